// The IDX format of MNIST and Fashion-MNIST (big-endian header, uint8 payload).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "datasets/common/dataset.hpp"

namespace ocb::datasets {

// Parses an IDX image file (magic 2051) and its label file (magic 2049);
// DataError naming `images_name` / `labels_name` on any inconsistency.
ImageSet parse_idx(std::span<const std::uint8_t> images, const std::string& images_name,
                   std::span<const std::uint8_t> labels, const std::string& labels_name);

}  // namespace ocb::datasets

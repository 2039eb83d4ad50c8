// CIFAR-10 (Krizhevsky 2009), binary version: 50,000 training and 10,000 test
// colour images, 3x32x32, channel-first RGB as stored.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "datasets/common/dataset.hpp"

namespace ocb::datasets::cifar10 {

DatasetInfo info();
// Appends the records of one batch file (label byte + 3072 pixel bytes each).
void parse_batch(std::span<const std::uint8_t> bytes, const std::string& name, ImageSet& into);

}  // namespace ocb::datasets::cifar10

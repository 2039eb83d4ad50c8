// Grids of dataset images written as PNG (libpng): the paper's Figure 2 (most
// normal and most anomalous test images) and Figure 4.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "datasets/common/dataset.hpp"

namespace ocb::harness {

struct ImagePanel {
  std::vector<std::int64_t> images;  // indices into the image set
  std::vector<bool> marked;          // drawn with a red frame (optional, same length)
};

// Panels side by side, each `rows` x `cols` images scaled by `zoom`.
void write_image_grid(const std::filesystem::path& png, const datasets::ImageSet& set, const std::vector<ImagePanel>& panels,
                      int rows, int cols, int zoom);

void write_png_rgb(const std::filesystem::path& png, int width, int height, const std::vector<std::uint8_t>& rgb);

}  // namespace ocb::harness

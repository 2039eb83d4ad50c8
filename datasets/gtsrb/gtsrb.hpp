// GTSRB (Stallkamp et al. 2012) for Table 2 of Ruff et al. 2018: stop signs
// (class 14) against adversarial examples. Images are read from the archives
// of the shared data folder (original layout, PPM and annotation CSVs),
// cropped to their annotated region of interest and resized to 32x32 with
// bilinear interpolation (OpenCV's INTER_LINEAR, as the Theano code's preprocessing).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "datasets/common/dataset.hpp"

namespace ocb::datasets::gtsrb {

inline constexpr int kStopSign = 14;
inline constexpr int kAdversarial = 43;  // the label of adversarial test images

struct Annotation {
  std::string file;
  int width = 0, height = 0, x1 = 0, y1 = 0, x2 = 0, y2 = 0, class_id = -1;
};

// Semicolon-separated annotation rows (header first).
std::vector<Annotation> parse_annotations(std::span<const std::uint8_t> csv, const std::string& name);

struct RgbImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> pixels;  // H x W x 3
};
RgbImage parse_ppm(std::span<const std::uint8_t> bytes, const std::string& name);

// Crops the annotation's region (x2, y2 exclusive) and resizes it to size x
// size, channel-first. `transposed` reproduces the Theano code's quirk of
// indexing rows with the X coordinates.
std::vector<std::uint8_t> crop_resize(const RgbImage& image, const Annotation& roi, int size, bool transposed);

// The images of the GTSRB stop-sign archive (gtsrb/gtsrb_stop14.tar.xz): the
// 780 training and the 270 test stop signs, with the test images' file names.
struct StopSigns {
  ImageSet train, test;
  std::vector<std::string> test_files;
};
StopSigns load_stop_signs(const DataLocator& locator, bool transposed_roi, std::map<std::string, std::string>* checksums);

// The 1-in-10 frame subset of all 43 classes (gtsrb/gtsrb_train_subset_1in10.tar.xz),
// for training the classifier that the adversarial examples fool.
ImageSet load_training_subset(const DataLocator& locator, std::map<std::string, std::string>* checksums);

DatasetInfo info();

}  // namespace ocb::datasets::gtsrb

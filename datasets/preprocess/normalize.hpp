// The paper's preprocessing (Ruff et al. 2018, §4.1): pixels/255, global contrast
// normalisation with the L1 norm (subtract the image mean, divide by the mean
// absolute deviation), then min-max scaling with one (min, max) pair computed
// over all pixels of the normal class's training images. All in float64, as
// the reference constants were derived.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace ocb::datasets {

// In place, on one image already scaled to [0, 1]. A constant image (zero
// deviation) is left at zero instead of becoming NaN.
void gcn_l1(std::span<double> image);

struct MinMax {
  double min = 0.0, max = 1.0;
  double scale(double x) const { return (x - min) / (max - min); }
};

// The preprocessing kinds an experiment can ask for.
//   "gcn_l1_minmax": pixels/255, GCN-L1, min-max from the training class
//   "minmax":        pixels/255, min-max from the training class
//   "raw":           pixels/255
bool is_preprocessing_kind(const std::string& kind);

}  // namespace ocb::datasets

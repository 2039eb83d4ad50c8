// GCN-L1 (normalize.hpp).
#include "datasets/preprocess/normalize.hpp"

#include <cmath>

namespace ocb::datasets {

void gcn_l1(std::span<double> image) {
  double mean = 0.0;
  for (double v : image) mean += v;
  mean /= static_cast<double>(image.size());
  double mad = 0.0;
  for (double& v : image) {
    v -= mean;
    mad += std::abs(v);
  }
  mad /= static_cast<double>(image.size());
  if (mad > 0.0)
    for (double& v : image) v /= mad;
}

bool is_preprocessing_kind(const std::string& kind) {
  return kind == "gcn_l1_minmax" || kind == "minmax" || kind == "raw";
}

}  // namespace ocb::datasets

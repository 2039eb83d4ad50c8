// PCA keeping the fewest leading components that explain a given fraction of
// the training variance (the shallow baselines' "PCA 95 %" of the Theano code's baselines).
#pragma once

#include <cstdint>
#include <vector>

#include "harness/core/samples.hpp"

namespace ocb::datasets {

struct PcaModel {
  std::int64_t input_features = 0;
  std::int64_t components = 0;
  double explained = 0.0;            // fraction of variance kept
  std::vector<double> mean;          // [input_features]
  std::vector<double> basis;         // [components x input_features], row-major
};

PcaModel fit_pca(const core::Samples& train, double variance_fraction);
// Projects onto the basis; the result has shape [n, components, 1, 1].
core::Samples apply_pca(const PcaModel& model, const core::Samples& x);

}  // namespace ocb::datasets

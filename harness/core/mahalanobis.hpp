// The adaptive statistical score of the hybrid/adaptive Deep SVDD study: a
// Gaussian fitted to the training (normal) representations, and each
// sample's Mahalanobis distance to it. The covariance gets a ridge of 1e-6 of
// its mean variance (plus 1e-12), so that a collapsed or rank-deficient
// representation still gives finite distances.
#pragma once

#include <vector>

#include "harness/core/samples.hpp"

namespace ocb::core {

class Mahalanobis {
 public:
  // rows of `train`: one representation per sample (features() dimensions).
  explicit Mahalanobis(const Samples& train);
  // Squared Mahalanobis distance of each row of x.
  std::vector<double> squared_distances(const Samples& x) const;
  std::size_t dim() const { return mean_.size(); }

 private:
  std::vector<double> mean_;
  std::vector<double> chol_;  // lower Cholesky factor of the covariance, row-major d x d
};

}  // namespace ocb::core

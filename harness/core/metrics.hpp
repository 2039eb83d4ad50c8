// Ranking metrics for anomaly scores (label 1 = anomaly = positive class,
// higher score = more anomalous): ROC AUC with ties counted one half, average
// precision as scikit-learn defines it, and the ROC curve itself.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace ocb::core {

// Mann-Whitney form with mid-ranks; throws if either class is empty.
double roc_auc(std::span<const double> scores, std::span<const std::uint8_t> anomaly);
// Sum over distinct thresholds of (recall step) x precision.
double average_precision(std::span<const double> scores, std::span<const std::uint8_t> anomaly);

struct RocCurve {
  std::vector<double> fpr, tpr;  // from (0, 0) to (1, 1), one point per distinct score
};
RocCurve roc_curve(std::span<const double> scores, std::span<const std::uint8_t> anomaly);

}  // namespace ocb::core

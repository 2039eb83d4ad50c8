// Ranking metrics for anomaly scores (label 1 = anomaly = positive class,
// higher score = more anomalous): ROC AUC with ties counted one half, average
// precision as scikit-learn defines it, and the ROC curve itself; decisions
// at a threshold (precision, recall, F1, accuracy) and the policies that set
// the threshold from training scores.
#pragma once

#include <cstdint>
#include <span>
#include <string>
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

// Decisions at a threshold: a sample is called anomalous when its score is
// strictly above it. Precision is 0 when nothing is called anomalous.
struct Decisions {
  double threshold = 0.0;
  std::int64_t tp = 0, fp = 0, tn = 0, fn = 0;
  double precision() const;
  double recall() const;
  double f1() const;        // 0 when precision + recall is 0
  double accuracy() const;
};
Decisions decide(std::span<const double> scores, std::span<const std::uint8_t> anomaly, double threshold);

// Threshold policies. From training scores only (normal samples):
//   the q-th percentile (q in [0, 100], linear interpolation between order
//   statistics, as numpy's default), and mean + k * std (population std).
double percentile_threshold(std::span<const double> train_scores, double q);
double mean_std_threshold(std::span<const double> train_scores, double k);
// The oracle: the threshold with the best F1 on the test labels themselves
// (between distinct scores; the higher threshold wins a tie). Not a policy
// a detector can use: tables label it as an oracle.
Decisions best_f1(std::span<const double> scores, std::span<const std::uint8_t> anomaly);

// The policies every run records: "p95" and "p99" (percentiles of the
// training scores), "mean+3sd" (of the training scores) and "oracle_f1" (the
// test set's best F1; an oracle).
struct PolicyDecision {
  std::string policy;
  Decisions decisions;
};
std::vector<PolicyDecision> threshold_policies(std::span<const double> train_scores, std::span<const double> test_scores,
                                               std::span<const std::uint8_t> anomaly);

}  // namespace ocb::core

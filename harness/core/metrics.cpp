// ROC AUC, average precision and ROC curves (metrics.hpp).
#include "harness/core/metrics.hpp"

#include <algorithm>
#include <numeric>

#include "harness/core/error.hpp"

namespace ocb::core {
namespace {

struct Counts {
  std::int64_t pos = 0, neg = 0;
};

Counts count(std::span<const double> scores, std::span<const std::uint8_t> anomaly) {
  if (scores.size() != anomaly.size())
    throw Error(fmt::format("metrics: {} scores for {} labels", scores.size(), anomaly.size()));
  Counts c;
  for (auto a : anomaly) (a ? c.pos : c.neg) += 1;
  if (c.pos == 0 || c.neg == 0)
    throw Error(fmt::format("metrics: need both normal and anomalous samples, got {} normal and {} anomalous",
                            c.neg, c.pos));
  return c;
}

// Indices sorted by decreasing score (stable, so the result does not depend on
// the sort implementation for ties).
std::vector<std::size_t> by_score_desc(std::span<const double> scores) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  return order;
}

}  // namespace

double roc_auc(std::span<const double> scores, std::span<const std::uint8_t> anomaly) {
  const Counts c = count(scores, anomaly);
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  // Sum of the anomalies' mid-ranks (1-based), tie groups sharing their mean rank.
  double rank_sum = 0.0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    std::int64_t pos_in_group = 0;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) pos_in_group += anomaly[order[j++]] ? 1 : 0;
    const double mid_rank = 0.5 * static_cast<double>(i + 1 + j);
    rank_sum += mid_rank * static_cast<double>(pos_in_group);
    i = j;
  }
  const double p = static_cast<double>(c.pos), n = static_cast<double>(c.neg);
  return (rank_sum - p * (p + 1.0) / 2.0) / (p * n);
}

double average_precision(std::span<const double> scores, std::span<const std::uint8_t> anomaly) {
  const Counts c = count(scores, anomaly);
  const auto order = by_score_desc(scores);
  double ap = 0.0, prev_recall = 0.0;
  std::int64_t tp = 0, seen = 0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) {
      tp += anomaly[order[j]] ? 1 : 0;
      ++j;
    }
    seen = static_cast<std::int64_t>(j);
    const double recall = static_cast<double>(tp) / static_cast<double>(c.pos);
    const double precision = static_cast<double>(tp) / static_cast<double>(seen);
    ap += (recall - prev_recall) * precision;
    prev_recall = recall;
    i = j;
  }
  return ap;
}

RocCurve roc_curve(std::span<const double> scores, std::span<const std::uint8_t> anomaly) {
  const Counts c = count(scores, anomaly);
  const auto order = by_score_desc(scores);
  RocCurve curve;
  curve.fpr.push_back(0.0);
  curve.tpr.push_back(0.0);
  std::int64_t tp = 0, fp = 0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) (anomaly[order[j++]] ? tp : fp) += 1;
    curve.fpr.push_back(static_cast<double>(fp) / static_cast<double>(c.neg));
    curve.tpr.push_back(static_cast<double>(tp) / static_cast<double>(c.pos));
    i = j;
  }
  return curve;
}

}  // namespace ocb::core

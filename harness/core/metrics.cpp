// ROC AUC, average precision and ROC curves (metrics.hpp).
#include "harness/core/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
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

double Decisions::precision() const { return tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0.0; }
double Decisions::recall() const { return tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0.0; }
double Decisions::f1() const {
  const double p = precision(), r = recall();
  return p + r > 0.0 ? 2.0 * p * r / (p + r) : 0.0;
}
double Decisions::accuracy() const {
  const auto n = tp + fp + tn + fn;
  return n ? static_cast<double>(tp + tn) / static_cast<double>(n) : 0.0;
}

Decisions decide(std::span<const double> scores, std::span<const std::uint8_t> anomaly, double threshold) {
  if (scores.size() != anomaly.size()) throw Error(fmt::format("decide: {} scores for {} labels", scores.size(), anomaly.size()));
  Decisions d;
  d.threshold = threshold;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const bool called = scores[i] > threshold;
    if (anomaly[i]) (called ? d.tp : d.fn) += 1;
    else (called ? d.fp : d.tn) += 1;
  }
  return d;
}

double percentile_threshold(std::span<const double> train, double q) {
  if (train.empty()) throw Error("percentile threshold: no training scores");
  if (!(q >= 0.0 && q <= 100.0)) throw Error(fmt::format("percentile threshold: q must be in [0, 100], got {}", q));
  std::vector<double> v(train.begin(), train.end());
  std::sort(v.begin(), v.end());
  const double pos = q / 100.0 * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

double mean_std_threshold(std::span<const double> train, double k) {
  if (train.empty()) throw Error("mean + k std threshold: no training scores");
  double mean = 0.0;
  for (double x : train) mean += x;
  mean /= static_cast<double>(train.size());
  double var = 0.0;
  for (double x : train) var += (x - mean) * (x - mean);
  return mean + k * std::sqrt(var / static_cast<double>(train.size()));
}

Decisions best_f1(std::span<const double> scores, std::span<const std::uint8_t> anomaly) {
  const Counts c = count(scores, anomaly);
  const auto order = by_score_desc(scores);
  // Walking down the distinct scores, calling everything at or above the
  // current one anomalous; the threshold sits just under it (the next lower
  // distinct score, or below the minimum).
  Decisions best;
  best.threshold = scores[order.front()];  // nothing called: F1 0
  best.fn = c.pos;
  best.tn = c.neg;
  double best_f1 = 0.0;
  std::int64_t tp = 0, fp = 0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) (anomaly[order[j++]] ? tp : fp) += 1;
    Decisions d;
    d.threshold = j < order.size() ? scores[order[j]] : std::nextafter(scores[order[i]], -std::numeric_limits<double>::infinity());
    d.tp = tp;
    d.fp = fp;
    d.fn = c.pos - tp;
    d.tn = c.neg - fp;
    if (d.f1() > best_f1) {
      best_f1 = d.f1();
      best = d;
    }
    i = j;
  }
  return best;
}

std::vector<PolicyDecision> threshold_policies(std::span<const double> train, std::span<const double> test,
                                               std::span<const std::uint8_t> anomaly) {
  return {{"p95", decide(test, anomaly, percentile_threshold(train, 95.0))},
          {"p99", decide(test, anomaly, percentile_threshold(train, 99.0))},
          {"mean+3sd", decide(test, anomaly, mean_std_threshold(train, 3.0))},
          {"oracle_f1", best_f1(test, anomaly)}};
}

}  // namespace ocb::core

// ROC AUC and average precision on hand-computed cases, ties included.
#include "harness/core/metrics.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "harness/core/error.hpp"
#include "harness/core/mahalanobis.hpp"

using ocb::core::average_precision;
using ocb::core::roc_auc;

TEST_CASE("AUC of a perfect and a reversed ranking", "[core]") {
  const std::vector<double> s{0.1, 0.2, 0.8, 0.9};
  const std::vector<std::uint8_t> y{0, 0, 1, 1};
  CHECK(roc_auc(s, y) == 1.0);
  const std::vector<std::uint8_t> reversed{1, 1, 0, 0};
  CHECK(roc_auc(s, reversed) == 0.0);
}

TEST_CASE("AUC counts ties one half", "[core]") {
  // Pairs (anomaly, normal): (0.5 vs 0.5) tie = 1/2, (0.5 vs 0.1) = 1, (0.9 vs both) = 2 -> 3.5 / 4.
  const std::vector<double> s{0.1, 0.5, 0.5, 0.9};
  const std::vector<std::uint8_t> y{0, 0, 1, 1};
  CHECK(roc_auc(s, y) == Approx(3.5 / 4.0).epsilon(1e-15));
  // All scores equal: every pair is a tie.
  const std::vector<double> flat{1, 1, 1, 1, 1};
  const std::vector<std::uint8_t> y5{0, 1, 0, 1, 1};
  CHECK(roc_auc(flat, y5) == 0.5);
}

TEST_CASE("AUC hand-computed on an interleaved ranking", "[core]") {
  // Sorted: n(1) a(2) n(3) a(4) n(5) a(6): anomaly wins = 1 + 2 + 3 = 6 of 9 pairs.
  const std::vector<double> s{1, 2, 3, 4, 5, 6};
  const std::vector<std::uint8_t> y{0, 1, 0, 1, 0, 1};
  CHECK(roc_auc(s, y) == Approx(6.0 / 9.0).epsilon(1e-15));
}

TEST_CASE("average precision matches the step-wise definition", "[core]") {
  // Ranking by score desc: a(0.9) n(0.8) a(0.7) n(0.1): precision at the two hits: 1, 2/3.
  const std::vector<double> s{0.9, 0.8, 0.7, 0.1};
  const std::vector<std::uint8_t> y{1, 0, 1, 0};
  CHECK(average_precision(s, y) == Approx(0.5 * 1.0 + 0.5 * (2.0 / 3.0)).epsilon(1e-15));
  // A tie group is one threshold: both at 0.5 -> recall jumps to 1 at precision 1/2.
  const std::vector<double> t{0.5, 0.5};
  const std::vector<std::uint8_t> yt{1, 0};
  CHECK(average_precision(t, yt) == 0.5);
}

TEST_CASE("metrics reject inputs with a single class", "[core]") {
  const std::vector<double> s{0.1, 0.2};
  const std::vector<std::uint8_t> y{0, 0};
  CHECK_THROWS_AS(roc_auc(s, y), ocb::core::Error);
  CHECK_THROWS_AS(average_precision(s, y), ocb::core::Error);
}

TEST_CASE("ROC curve runs from (0,0) to (1,1) with one point per distinct score", "[core]") {
  const std::vector<double> s{0.1, 0.5, 0.5, 0.9};
  const std::vector<std::uint8_t> y{0, 0, 1, 1};
  const auto c = ocb::core::roc_curve(s, y);
  REQUIRE(c.fpr.size() == 4);
  CHECK(c.fpr.front() == 0.0);
  CHECK(c.tpr.front() == 0.0);
  CHECK(c.fpr.back() == 1.0);
  CHECK(c.tpr.back() == 1.0);
  CHECK(c.tpr[1] == 0.5);
  CHECK(c.fpr[1] == 0.0);
}

TEST_CASE("decisions at a threshold: precision, recall, F1, accuracy by hand, and nothing called anomalous", "[core]") {
  using namespace ocb::core;
  const std::vector<double> s{0.1, 0.4, 0.35, 0.8};
  const std::vector<std::uint8_t> y{0, 0, 1, 1};
  const auto d = decide(s, y, 0.1);  // calls 0.4, 0.35, 0.8
  CHECK(d.tp == 2);
  CHECK(d.fp == 1);
  CHECK(d.tn == 1);
  CHECK(d.fn == 0);
  CHECK(d.precision() == Approx(2.0 / 3));
  CHECK(d.recall() == 1.0);
  CHECK(d.f1() == Approx(0.8));
  CHECK(d.accuracy() == 0.75);
  // A score equal to the threshold is not called anomalous.
  CHECK(decide(s, y, 0.35).tp == 1);
  // All-normal predictions: no precision, recall or F1; accuracy = share of normals.
  const auto none = decide(s, y, 10.0);
  CHECK(none.tp + none.fp == 0);
  CHECK(none.precision() == 0.0);
  CHECK(none.f1() == 0.0);
  CHECK(none.accuracy() == 0.5);
}

TEST_CASE("best-F1 oracle threshold by hand, with tied scores", "[core]") {
  using namespace ocb::core;
  // Descending: 0.8 (a), 0.4 (n), 0.35 (a), 0.1 (n): F1 0.667, 0.5, 0.8, 0.667.
  const std::vector<double> s{0.1, 0.4, 0.35, 0.8};
  const std::vector<std::uint8_t> y{0, 0, 1, 1};
  const auto b = best_f1(s, y);
  CHECK(b.f1() == Approx(0.8));
  CHECK(b.threshold == 0.1);
  CHECK(decide(s, y, b.threshold).f1() == Approx(0.8));
  // A tie group is called as a whole: {1, 1, 1} holds two anomalies and a normal.
  const std::vector<double> t{1, 1, 1, 0};
  const std::vector<std::uint8_t> ty{1, 0, 1, 0};
  const auto bt = best_f1(t, ty);
  CHECK(bt.tp == 2);
  CHECK(bt.fp == 1);
  CHECK(bt.threshold == 0.0);
  // Equal F1 at two thresholds: the higher one (fewer alarms) is kept.
  const std::vector<double> e{4, 3, 2, 1};
  const std::vector<std::uint8_t> ey{1, 0, 0, 1};  // F1: 0.667 at 3, 0.5, 0.4, 0.667 at all
  CHECK(best_f1(e, ey).threshold == 3.0);
}

TEST_CASE("threshold policies from training scores: percentile (numpy's interpolation) and mean + k std", "[core]") {
  using namespace ocb::core;
  const std::vector<double> train{5, 1, 4, 2, 3};
  CHECK(percentile_threshold(train, 95) == Approx(4.8));  // numpy.percentile([1..5], 95)
  CHECK(percentile_threshold(train, 0) == 1.0);
  CHECK(percentile_threshold(train, 100) == 5.0);
  CHECK(percentile_threshold(train, 50) == 3.0);
  CHECK(mean_std_threshold(train, 3) == Approx(3.0 + 3.0 * std::sqrt(2.0)));
  CHECK_THROWS_AS(percentile_threshold({}, 95), Error);
  CHECK_THROWS_AS(percentile_threshold(train, 101), Error);
}

TEST_CASE("Mahalanobis distance against a closed-form Gaussian, and a collapsed dimension stays finite", "[core]") {
  using namespace ocb::core;
  // Mean 0; population variances 2 (x) and 0.5 (y), no covariance.
  Samples train(Shape{4, 2, 1, 1}, {2, 0, -2, 0, 0, 1, 0, -1});
  const Mahalanobis g(train);
  Samples x(Shape{3, 2, 1, 1}, {2, 1, 0, 0, -1, 0});
  const auto d = g.squared_distances(x);
  CHECK(d[0] == Approx(4.0 / 2 + 1.0 / 0.5).epsilon(1e-5));  // 4
  CHECK(d[1] == Approx(0.0).margin(1e-12));
  CHECK(d[2] == Approx(0.5).epsilon(1e-5));
  // Correlated: y = x exactly plus a little noise on y; a point off the line is far.
  Samples corr(Shape{4, 2, 1, 1}, {1, 1.01f, -1, -0.99f, 2, 2.0f, -2, -2.02f});
  const Mahalanobis gc(corr);
  Samples on(Shape{2, 2, 1, 1}, {1, 1, 1, -1});
  const auto dc = gc.squared_distances(on);
  CHECK(dc[1] > 100 * dc[0]);
  // A dimension with no spread at all: the ridge keeps distances finite.
  Samples flat(Shape{3, 2, 1, 1}, {1, 5, 2, 5, 3, 5});
  const auto df = Mahalanobis(flat).squared_distances(flat);
  for (double v : df) CHECK(std::isfinite(v));
  CHECK_THROWS_AS(Mahalanobis(Samples(Shape{1, 2, 1, 1}, {1, 2})), Error);
}

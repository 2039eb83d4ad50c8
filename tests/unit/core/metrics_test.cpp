// ROC AUC and average precision on hand-computed cases, ties included.
#include "harness/core/metrics.hpp"

#include <catch2/catch.hpp>

#include "harness/core/error.hpp"

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

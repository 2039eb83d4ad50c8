// Method-specific checks of the shallow baselines beyond the conformance suite.
#include <catch2/catch.hpp>
#include <cmath>

#include "harness/core/method.hpp"
#include "harness/core/metrics.hpp"
#include "harness/core/run_context.hpp"
#include "methods/common/distances.hpp"
#include "tests/support.hpp"

namespace core = ocb::core;

namespace {

struct Fitted {
  std::unique_ptr<core::Method> method;
  core::RunContext ctx{core::CellInfo{"t", "t", "synthetic", 0, 1, "k", "k"}, 1, "cpu", "cache", {}};
};

std::unique_ptr<Fitted> fit(const std::string& id, core::ParamMap params, const core::LabeledSamples& train,
                            const core::LabeledSamples* validation = nullptr) {
  auto f = std::make_unique<Fitted>();
  core::ParamMap resolved;
  f->method = core::method_registry().get(id).make(params, resolved);
  f->method->fit({train.x, {}, validation}, f->ctx);
  return f;
}

}  // namespace

TEST_CASE("squared distances agree with the direct formula", "[methods]") {
  const auto a = ocb::test::blobs(7, 5, 0, 1), b = ocb::test::blobs(4, 5, 2, 2);
  const auto ra = ocb::methods::to_rows(a.x), rb = ocb::methods::to_rows(b.x);
  const auto d = ocb::methods::squared_distances(ra, rb);
  const auto self = ocb::methods::squared_distances(ra);
  for (int i = 0; i < 7; ++i) {
    for (int j = 0; j < 6; ++j) {
      double direct = 0;
      for (int k = 0; k < 5; ++k) direct += std::pow(double(a.x.row(i)[k]) - double(b.x.row(j)[k]), 2);
      REQUIRE(d[i * 6 + j] == Approx(direct).margin(1e-12));
    }
    REQUIRE(self[i * 7 + i] == 0.0);
  }
}

TEST_CASE("KDE scores are -log density of a Gaussian mixture", "[methods]") {
  const auto train = ocb::test::blobs(40, 3, 0, 5);
  auto f = fit("kde", {{"bandwidth_log2", std::vector<double>{0.0}}}, train);  // h = 1
  const auto test = ocb::test::blobs(3, 3, 1, 6);
  const auto s = f->method->score(test.x, f->ctx);
  for (int i = 0; i < 4; ++i) {
    double sum = 0;
    for (int j = 0; j < 40; ++j) {
      double d2 = 0;
      for (int k = 0; k < 3; ++k) d2 += std::pow(double(test.x.row(i)[k]) - double(train.x.row(j)[k]), 2);
      sum += std::exp(-d2 / 2.0) / std::pow(2 * M_PI, 1.5);
    }
    CHECK(s[i] == Approx(-std::log(sum / 40)).epsilon(1e-10));
  }
}

TEST_CASE("KDE cross-validation prefers a bandwidth near the data's scale", "[methods]") {
  const auto train = ocb::test::blobs(300, 2, 0, 7);  // std 0.1 per dimension
  auto f = fit("kde", {{"bandwidth_log2", std::vector<double>{-8, -3.3, 2}}}, train);
  const auto& entries = f->ctx.report().entries();
  auto it = std::find_if(entries.begin(), entries.end(), [](const auto& e) { return e.first == "selection.bandwidth"; });
  REQUIRE(it != entries.end());
  CHECK(std::get<double>(it->second) == Approx(std::exp2(-3.3)));
}

TEST_CASE("OC-SVM selection reports the grid and uses the holdout", "[methods]") {
  const auto train = ocb::test::blobs(200, 4, 0, 8);
  const auto holdout = ocb::test::blobs(50, 4, 10, 9);
  auto f = fit("ocsvm", {}, train, &holdout);
  std::map<std::string, core::Report::Value> r(f->ctx.report().entries().begin(), f->ctx.report().entries().end());
  CHECK(std::get<std::vector<double>>(r.at("selection.grid_auc")).size() == 20);
  CHECK(std::get<bool>(r.at("selection.uses_test_labels")));
  const auto test = ocb::test::blobs(100, 4, 10, 10);
  CHECK(core::roc_auc(f->method->score(test.x, f->ctx), test.anomaly) > 0.99);
  SECTION("train_only never needs labels") {
    auto g = fit("ocsvm", {{"selection", std::string("train_only")}}, train);
    CHECK(core::roc_auc(g->method->score(test.x, g->ctx), test.anomaly) > 0.99);
  }
}

TEST_CASE("Isolation Forest: seeded, deterministic, and path-length normalised", "[methods]") {
  const auto train = ocb::test::blobs(500, 6, 0, 11);
  const auto test = ocb::test::blobs(50, 6, 5, 12);
  auto a = fit("isolation_forest", {}, train);
  auto b = fit("isolation_forest", {}, train);
  const auto sa = a->method->score(test.x, a->ctx), sb = b->method->score(test.x, b->ctx);
  CHECK(sa == sb);
  for (double s : sa) {
    REQUIRE(s > 0.0);
    REQUIRE(s < 1.0);
  }
  // Far outliers isolate fast: s(x) well above 0.5; normals near or below it.
  CHECK(sa.back() > 0.6);
  CHECK(core::roc_auc(sa, test.anomaly) == 1.0);
}

// Method-specific checks of the shallow baselines beyond the conformance suite.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <random>

#include "harness/core/method.hpp"
#include "harness/core/metrics.hpp"
#include "harness/core/run_context.hpp"
#include "harness/core/shared_results.hpp"
#include "methods/common/distances.hpp"
#include "methods/common/kernels/rows.hpp"
#include "tests/support.hpp"

namespace core = ocb::core;

namespace {

struct Fitted {
  std::unique_ptr<core::Method> method;
  core::RunContext ctx{core::CellInfo{"t", "t", "synthetic", 0, 1, "k", "k"}, 1, "cpu", "cache", {}};
};

std::unique_ptr<Fitted> fit(const std::string& id, core::ParamMap params, const core::LabeledSamples& train,
                            const core::LabeledSamples* validation = nullptr, core::SharedResults* shared = nullptr) {
  auto f = std::make_unique<Fitted>();
  f->ctx.set_shared(shared);
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

TEST_CASE("KDE's kernel sums give the bytes of the scalar std::exp loops under every build", "[methods]") {
  namespace kn = ocb::methods::kernels;
  const kn::Isa before = kn::active_isa();
  // glibc runs its FMA build of exp where the CPU has AVX2 and FMA; the kernels
  // compute that build's results everywhere. Elsewhere the builds are compared
  // with each other only.
  __builtin_cpu_init();
  const bool glibc_fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  std::mt19937_64 rng(42);
  // exp itself: with one distance of 1 and shift 0, exp_sums gives exp(-a[k]) exactly.
  std::vector<double> x;
  std::uniform_real_distribution<double> wide(-1100.0, 720.0), near(-1.0, 1.0);
  for (int i = 0; i < 200000; ++i) x.push_back(wide(rng));
  for (int i = 0; i < 20000; ++i) x.push_back(near(rng) * std::exp2(-60.0 + 70.0 * (i % 100) / 100.0));
  for (double edge : {0x1p-54, 512.0, 1024.0, 708.0, 709.78, 745.13, 740.0, 0.0})
    for (int s : {-1, 1})
      for (int u = -40; u <= 40; ++u) x.push_back(s * (edge + u * std::max(edge, 1.0) * 0x1p-50));
  const double inf = std::numeric_limits<double>::infinity();
  x.insert(x.end(), {-0.0, inf, -inf, std::numeric_limits<double>::quiet_NaN(), -1e300, 1e300});
  std::vector<double> neg_x(x.size()), reference(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) neg_x[i] = -x[i], reference[i] = std::exp(x[i]);
  const double one = 1.0;
  // Sums: rows of 300 distances (every fifth below the row's shift would be
  // impossible in KDE; these are not), a fold of 60 skipped, 10 bandwidths.
  const std::int64_t rows = 13, n = 300, lo = 120, hi = 180;
  std::vector<double> d(static_cast<std::size_t>(rows * n)), shift(rows), a;
  std::uniform_real_distribution<double> dist(0.0, 800.0);
  for (auto& v : d) v = dist(rng);
  for (std::int64_t i = 0; i < rows; ++i) shift[i] = *std::min_element(d.begin() + i * n, d.begin() + (i + 1) * n);
  for (double h2 = 0.5; h2 <= 5.0; h2 += 0.5) a.push_back(0.5 / (std::exp2(h2) * std::exp2(h2)));
  std::vector<double> scalar_sums, scalar_rows(rows);
  for (std::int64_t i = 0; i < rows; ++i)
    for (double ak : a) {
      double s = 0.0;
      for (std::int64_t j = 0; j < n; ++j)
        if (j < lo || j >= hi) s += std::exp(-(d[i * n + j] - shift[i]) * ak);
      scalar_sums.push_back(s);
    }
  for (std::int64_t i = 0; i < rows; ++i) {
    double s = 0.0;
    for (std::int64_t j = 0; j < n; ++j) s += std::exp(-(d[i * n + j] - shift[i]) * a[3]);
    scalar_rows[i] = s;
  }
  std::vector<std::vector<double>> by_isa;
  for (auto isa : kn::supported_isas()) {
    kn::set_isa(isa);
    INFO(kn::isa_name(isa) << " build; glibc's FMA exp: " << glibc_fma);
    std::vector<double> got(x.size());
    kn::rows().exp_sums(&one, 1, 0, 0, 0.0, neg_x.data(), static_cast<std::int64_t>(x.size()), got.data());
    std::vector<double> sums(scalar_sums.size()), per_row(rows);
    for (std::int64_t i = 0; i < rows; ++i)
      kn::rows().exp_sums(d.data() + i * n, n, lo, hi, shift[i], a.data(), static_cast<std::int64_t>(a.size()), sums.data() + i * a.size());
    kn::rows().exp_sums_rows(d.data(), n, rows, n, shift.data(), a[3], per_row.data());
    if (glibc_fma) {
      std::size_t bad = 0;
      for (std::size_t i = 0; i < x.size(); ++i)
        if (std::memcmp(&got[i], &reference[i], sizeof(double)) != 0 && !(std::isnan(got[i]) && std::isnan(reference[i]))) {
          if (bad++ < 5) UNSCOPED_INFO("exp(" << x[i] << "): " << got[i] << " against glibc's " << reference[i]);
        }
      CHECK(bad == 0);
      CHECK(std::memcmp(sums.data(), scalar_sums.data(), sizeof(double) * sums.size()) == 0);
      CHECK(std::memcmp(per_row.data(), scalar_rows.data(), sizeof(double) * per_row.size()) == 0);
    }
    got.insert(got.end(), sums.begin(), sums.end());
    got.insert(got.end(), per_row.begin(), per_row.end());
    for (auto& v : got)
      if (std::isnan(v)) v = 0.0;  // NaN payloads aside
    by_isa.push_back(std::move(got));
  }
  for (std::size_t k = 1; k < by_isa.size(); ++k) {
    INFO(kn::isa_name(kn::supported_isas()[k]) << " against baseline");
    CHECK(std::memcmp(by_isa[k].data(), by_isa[0].data(), sizeof(double) * by_isa[0].size()) == 0);
  }
  kn::set_isa(before);
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

// The value of a report entry, or nothing.
template <class T>
std::optional<T> reported(core::RunContext& ctx, const std::string& key) {
  for (const auto& [k, v] : ctx.report().entries())
    if (k == key) return std::get<T>(v);
  return std::nullopt;
}

TEST_CASE("KDE and OC-SVM cells on one training set share its distances, KDE's search and scores, OC-SVM's grid, to the bit", "[methods]") {
  const auto train = ocb::test::blobs(300, 6, 0, 21);
  const auto holdout = ocb::test::blobs(60, 6, 12, 22), other_holdout = ocb::test::blobs(60, 6, 12, 23);
  const auto test = ocb::test::blobs(120, 6, 20, 24);
  auto same_bytes = [](const core::Scores& a, const core::Scores& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
  };
  // Alone: what each cell computes itself.
  auto svm_alone = fit("ocsvm", {}, train, &holdout);
  auto svm_alone2 = fit("ocsvm", {}, train, &other_holdout);
  auto kde_alone = fit("kde", {}, train);
  const auto svm_scores = svm_alone->method->score(test.x, svm_alone->ctx);
  const auto svm_scores2 = svm_alone2->method->score(test.x, svm_alone2->ctx);
  const auto kde_scores = kde_alone->method->score(test.x, kde_alone->ctx);
  const auto kde_train_scores = kde_alone->method->score(train.x, kde_alone->ctx);
  CHECK_FALSE(reported<bool>(kde_alone->ctx, "shared.search"));

  core::SharedResults shared(1 << 30);
  // OC-SVM first (as in a run): it computes the distances and the grid's
  // models; a second seed (another holdout, so maybe another model chosen)
  // takes the grid, and KDE the distances.
  auto svm = fit("ocsvm", {}, train, &holdout, &shared);
  CHECK(reported<bool>(svm->ctx, "shared.train_distances") == false);
  CHECK(reported<bool>(svm->ctx, "shared.grid") == false);
  CHECK(same_bytes(svm->method->score(test.x, svm->ctx), svm_scores));
  auto svm2 = fit("ocsvm", {}, train, &other_holdout, &shared);
  CHECK(reported<bool>(svm2->ctx, "shared.grid") == true);
  CHECK_FALSE(reported<bool>(svm2->ctx, "shared.train_distances"));  // the grid was not trained
  CHECK(same_bytes(svm2->method->score(test.x, svm2->ctx), svm_scores2));
  for (const char* key : {"selection.nu", "selection.gamma", "selection.holdout_auc"})
    CHECK(reported<double>(svm2->ctx, key) == reported<double>(svm_alone2->ctx, key));
  CHECK(reported<std::vector<double>>(svm2->ctx, "selection.grid_auc") ==
        reported<std::vector<double>>(svm_alone2->ctx, "selection.grid_auc"));
  // Another grid is another computation (its distances are taken).
  auto svm3 = fit("ocsvm", {{"nu", std::vector<double>{0.05}}}, train, &holdout, &shared);
  CHECK(reported<bool>(svm3->ctx, "shared.grid") == false);
  CHECK(reported<bool>(svm3->ctx, "shared.train_distances") == true);
  auto kde = fit("kde", {}, train, nullptr, &shared);
  CHECK(reported<bool>(kde->ctx, "shared.train_distances") == true);
  CHECK(reported<bool>(kde->ctx, "shared.search") == false);
  CHECK(same_bytes(kde->method->score(test.x, kde->ctx), kde_scores));
  CHECK(same_bytes(kde->method->score(train.x, kde->ctx), kde_train_scores));
  CHECK(reported<std::int64_t>(kde->ctx, "shared.scores") == 0);
  // A second KDE cell (another seed) computes nothing.
  auto kde2 = fit("kde", {}, train, nullptr, &shared);
  CHECK(reported<bool>(kde2->ctx, "shared.search") == true);
  CHECK_FALSE(reported<bool>(kde2->ctx, "shared.train_distances"));  // the search was not run
  CHECK(reported<double>(kde2->ctx, "selection.bandwidth") == reported<double>(kde_alone->ctx, "selection.bandwidth"));
  CHECK(same_bytes(kde2->method->score(test.x, kde2->ctx), kde_scores));
  CHECK(same_bytes(kde2->method->score(train.x, kde2->ctx), kde_train_scores));
  CHECK(reported<std::int64_t>(kde2->ctx, "shared.scores") == 2);
  // Other data, or another bandwidth grid, is another computation.
  auto kde3 = fit("kde", {}, ocb::test::blobs(300, 6, 0, 25), nullptr, &shared);
  CHECK(reported<bool>(kde3->ctx, "shared.search") == false);
  auto kde4 = fit("kde", {{"bandwidth_log2", std::vector<double>{0.0, 1.0}}}, train, nullptr, &shared);
  CHECK(reported<bool>(kde4->ctx, "shared.search") == false);
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

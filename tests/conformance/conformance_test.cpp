// Walks the method registry: every registered method, with its quick
// settings, on small synthetic images (1x28x28) must give finite scores, rank
// an easy anomaly above the normals, give more than one distinct score, give
// byte-identical scores for the same seed, and reject a bad parameter with an
// error naming the key. A new method is covered the moment it registers.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <set>

#include "harness/config/experiment.hpp"
#include "harness/core/method.hpp"
#include "harness/core/metrics.hpp"
#include "harness/core/rng.hpp"
#include "harness/core/run_context.hpp"
#include "tests/support.hpp"

namespace core = ocb::core;

namespace {

// Normal images: a vertical bar; anomalies: a horizontal bar; both noisy, in [0, 1].
core::LabeledSamples bars(std::int64_t normals, std::int64_t anomalies, std::uint64_t seed) {
  core::Rng rng(seed);
  const std::int64_t n = normals + anomalies;
  std::vector<float> v(static_cast<std::size_t>(n * 784));
  core::LabeledSamples out;
  for (std::int64_t i = 0; i < n; ++i) {
    const bool anomaly = i >= normals;
    const int offset = static_cast<int>(rng.below(5)) - 2;
    for (int y = 0; y < 28; ++y)
      for (int x = 0; x < 28; ++x) {
        const int along = anomaly ? y : x;
        const double bar = std::abs(along - 14 - offset) <= 2 ? 0.9 : 0.1;
        v[i * 784 + y * 28 + x] = static_cast<float>(std::clamp(bar + 0.05 * rng.normal(), 0.0, 1.0));
      }
    out.anomaly.push_back(anomaly ? 1 : 0);
    out.original_class.push_back(anomaly ? 1 : 0);
    out.source_index.push_back(i);
  }
  out.x = core::Samples({n, 1, 28, 28}, std::move(v));
  return out;
}

core::Scores fit_and_score(const core::MethodInfo& info, std::uint64_t seed, const ocb::test::TempDir& cache) {
  core::ParamMap resolved;
  auto method = info.make(info.quick, resolved);
  const auto train = bars(300, 0, 11);
  const auto test = bars(100, 40, 12);
  const auto validation = bars(60, 20, 13);
  core::CellInfo cell{info.id, info.id, "synthetic", 0, seed, "synthetic-bars", "synthetic-bars"};
  core::RunContext ctx(cell, 1, "cpu", cache.path(), {});
  const bool wants_holdout = method->requirements().test_holdout_fraction > 0.0;
  method->fit({train.x, {}, wants_holdout ? &validation : nullptr}, ctx);
  return method->score(test.x, ctx);
}

}  // namespace

TEST_CASE("every registered method conforms to the contract", "[conformance]") {
  const auto test = bars(100, 40, 12);
  for (const auto* info : core::listed_methods()) {
    DYNAMIC_SECTION(info->id) {
      ocb::test::TempDir cache;
      const auto a = fit_and_score(*info, 1, cache);
      REQUIRE(a.size() == 140);
      for (double s : a) REQUIRE(std::isfinite(s));
      CHECK(std::set<double>(a.begin(), a.end()).size() > 1);
      CHECK(core::roc_auc(a, test.anomaly) > 0.8);
      const auto b = fit_and_score(*info, 1, cache);
      CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
    }
  }
}

TEST_CASE("every registered method rejects unknown keys and mistyped values by name", "[conformance]") {
  ocb::test::TempDir tmp;
  for (const auto* info : core::listed_methods()) {
    DYNAMIC_SECTION(info->id) {
      const auto file = tmp / (info->id + ".toml");
      ocb::test::write_text(file, "name = \"x\"\n[datasets.mnist]\n[methods.m]\nmethod = \"" + info->id +
                                      "\"\nno_such_key = 1\n");
      CHECK_THROWS_WITH(ocb::harness::load_experiment(file),
                        Catch::Contains(file.string() + ":5:") && Catch::Contains("methods.m.no_such_key") &&
                            Catch::Contains(info->params.empty() ? "valid" : info->params.front().key));
      if (!info->params.empty()) {
        ocb::test::write_text(file, "name = \"x\"\n[datasets.mnist]\n[methods.m]\nmethod = \"" + info->id + "\"\n" +
                                        info->params.front().key + " = { a = 1 }\n");
        CHECK_THROWS_WITH(ocb::harness::load_experiment(file),
                          Catch::Contains("methods.m." + info->params.front().key + " must be") &&
                              Catch::Contains("got a table"));
      }
    }
  }
}

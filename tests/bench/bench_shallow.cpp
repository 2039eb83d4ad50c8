// Google Benchmark cases for the shallow baselines on one MNIST class (needs
// $OCBENCH_DATA): fit + score of OC-SVM (the paper's 20-point grid and
// holdout), KDE (5-fold CV over 10 bandwidths) and Isolation Forest, the
// workloads timed against scikit-learn in tests/bench/compare_sklearn.sh.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>

#include "datasets/common/dataset.hpp"
#include "datasets/preprocess/one_class.hpp"
#include "harness/core/method.hpp"
#include "harness/core/rng.hpp"
#include "harness/core/run_context.hpp"

namespace {

struct Data {
  ocb::datasets::OneClassSplit split;
  ocb::core::LabeledSamples holdout, rest;
};

const Data* mnist_class3() {
  static std::unique_ptr<Data> data = [] {
    const char* root = std::getenv("OCBENCH_DATA");
    if (!root) return std::unique_ptr<Data>();
    auto d = std::make_unique<Data>();
    const auto raw = ocb::datasets::load_dataset(ocb::datasets::dataset_info("mnist"), ocb::datasets::DataLocator({root}), {false});
    d->split = ocb::datasets::make_one_class_split(raw, 3, {});
    ocb::core::Rng rng(1);
    auto perm = rng.permutation(d->split.test.size());
    std::vector<std::int64_t> hold(perm.begin(), perm.begin() + 1000), rest(perm.begin() + 1000, perm.end());
    d->holdout = d->split.test.select(hold);
    d->rest = d->split.test.select(rest);
    return d;
  }();
  return data.get();
}

void fit_score(benchmark::State& state, const std::string& id) {
  const Data* d = mnist_class3();
  if (!d) {
    state.SkipWithError("set OCBENCH_DATA to run the shallow benchmarks");
    return;
  }
  for (auto _ : state) {
    ocb::core::ParamMap resolved;
    auto m = ocb::core::method_registry().get(id).make({}, resolved);
    ocb::core::RunContext ctx({id, id, "mnist", 3, 1, "bench", "bench"}, 1, "cpu", "cache", {});
    const bool holdout = m->requirements().test_holdout_fraction > 0;
    m->fit({d->split.train, {}, holdout ? &d->holdout : nullptr}, ctx);
    benchmark::DoNotOptimize(m->score(holdout ? d->rest.x : d->split.test.x, ctx));
  }
}

}  // namespace

BENCHMARK_CAPTURE(fit_score, ocsvm_mnist3, std::string("ocsvm"))->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(fit_score, kde_mnist3, std::string("kde"))->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(fit_score, isolation_forest_mnist3, std::string("isolation_forest"))->Unit(benchmark::kSecond)->Iterations(3);

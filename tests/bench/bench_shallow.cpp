// Google Benchmark cases for the shallow baselines on one MNIST class (needs
// $OCBENCH_DATA): fit + score of OC-SVM (the paper's 20-point grid and
// holdout), KDE (5-fold CV over 10 bandwidths) and Isolation Forest, the
// workloads timed against scikit-learn in tests/bench/compare_sklearn.sh.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <random>
#include <vector>

#include "datasets/common/dataset.hpp"
#include "datasets/preprocess/one_class.hpp"
#include "harness/core/method.hpp"
#include "harness/core/rng.hpp"
#include "harness/core/run_context.hpp"
#include "methods/common/kernels/rows.hpp"

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

// KDE's kernel sums (methods/common/kernels/exp_sums.inc) over 64 rows of
// 6,131 distances (MNIST class 3's training set): 10 bandwidths a row
// (exp_sums, cross-validation) or one bandwidth, a lane per row
// (exp_sums_rows, scoring). Arg 0 is the kernels' build (0 baseline, 1 AVX2,
// 2 AVX-512), -1 the scalar std::exp loop they replaced; counter: exps/s.
struct SumsData {
  std::int64_t rows = 64, n = 6131;
  std::vector<double> d, shift, a;
  SumsData() {
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(20.0, 120.0);
    d.resize(static_cast<std::size_t>(rows * n));
    for (auto& v : d) v = u(rng);
    shift.assign(static_cast<std::size_t>(rows), 20.0);
    for (double h2 = 0.5; h2 <= 5.0; h2 += 0.5) a.push_back(0.5 / std::exp2(2 * h2));
  }
};

void kde_sums(benchmark::State& state, bool bandwidths) {
  namespace kn = ocb::methods::kernels;
  static const SumsData data;
  const int build = static_cast<int>(state.range(0));
  const kn::Isa before = kn::active_isa();
  if (build >= 0) {
    if (!kn::isa_supported(static_cast<kn::Isa>(build))) {
      state.SkipWithError("this CPU lacks the build");
      return;
    }
    kn::set_isa(static_cast<kn::Isa>(build));
  }
  const auto& x = data;
  const std::int64_t nb = bandwidths ? static_cast<std::int64_t>(x.a.size()) : 1;
  std::vector<double> out(static_cast<std::size_t>(x.rows * nb));
  for (auto _ : state) {
    for (std::int64_t i = 0; i < x.rows && bandwidths; ++i) {
      const double* row = x.d.data() + i * x.n;
      if (build >= 0) {
        kn::rows().exp_sums(row, x.n, 0, 0, x.shift[i], x.a.data(), nb, out.data() + i * nb);
      } else {
        for (std::int64_t k = 0; k < nb; ++k) {
          double s = 0.0;
          for (std::int64_t j = 0; j < x.n; ++j) s += std::exp(-(row[j] - x.shift[i]) * x.a[k]);
          out[i * nb + k] = s;
        }
      }
    }
    if (!bandwidths) {
      if (build >= 0) {
        kn::rows().exp_sums_rows(x.d.data(), x.n, x.rows, x.n, x.shift.data(), x.a[3], out.data());
      } else {
        for (std::int64_t i = 0; i < x.rows; ++i) {
          double s = 0.0;
          for (std::int64_t j = 0; j < x.n; ++j) s += std::exp(-(x.d[i * x.n + j] - x.shift[i]) * x.a[3]);
          out[i] = s;
        }
      }
    }
    benchmark::DoNotOptimize(out.data());
  }
  kn::set_isa(before);
  state.counters["exps/s"] = benchmark::Counter(static_cast<double>(x.rows * x.n * nb), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK_CAPTURE(kde_sums, bandwidths, true)->Arg(-1)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(kde_sums, rows, false)->Arg(-1)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

BENCHMARK_CAPTURE(fit_score, ocsvm_mnist3, std::string("ocsvm"))->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(fit_score, kde_mnist3, std::string("kde"))->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(fit_score, isolation_forest_mnist3, std::string("isolation_forest"))->Unit(benchmark::kSecond)->Iterations(3);

// Gaussian kernel density estimation with the bandwidth chosen by 5-fold
// cross-validated log-likelihood on the training data (Ruff et al. 2018, §4.1, the
// paper's grid 2^0.5 .. 2^5). Score = -log density. All pairwise distances are
// computed once; each bandwidth then costs one pass of exp over them, where
// scikit-learn's GridSearchCV refits a tree per fold and bandwidth.
#include <algorithm>
#include <cmath>
#include <limits>

#include "harness/core/error.hpp"
#include "harness/core/method.hpp"
#include "harness/core/run_context.hpp"
#include "methods/common/distances.hpp"

namespace ocb::methods {
namespace {

// The smallest of row[j] over j in [0, n) outside [skip_lo, skip_hi).
double row_min(const double* row, std::int64_t n, std::int64_t skip_lo, std::int64_t skip_hi) {
  double m = std::numeric_limits<double>::infinity();
  for (std::int64_t j = 0; j < skip_lo; ++j) m = row[j] < m ? row[j] : m;
  for (std::int64_t j = skip_hi; j < n; ++j) m = row[j] < m ? row[j] : m;
  return m;
}

// log sum_j exp(-d_j / (2 h^2)) over j in [0, n) of `row` outside [skip_lo,
// skip_hi), shifted by min_d (that row's row_min, the same for every bandwidth).
double log_kernel_sum(const double* row, std::int64_t n, std::int64_t skip_lo, std::int64_t skip_hi, double min_d,
                      double inv_2h2) {
  double sum = 0.0;
  for (std::int64_t j = 0; j < skip_lo; ++j) sum += std::exp(-(row[j] - min_d) * inv_2h2);
  for (std::int64_t j = skip_hi; j < n; ++j) sum += std::exp(-(row[j] - min_d) * inv_2h2);
  return std::log(sum) - min_d * inv_2h2;
}

}  // namespace

class Kde final : public core::Method {
 public:
  struct Params {
    std::vector<double> bandwidth_log2{0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0};
    std::int64_t folds = 5;

    template <class V>
    void visit(V&& v) {
      v("bandwidth_log2", bandwidth_log2, "grid of log2 of the Gaussian bandwidth h", core::each(core::in_range(-30, 30)));
      v("folds", folds, "cross-validation folds (contiguous, unshuffled, as scikit-learn's KFold)", core::at_least(2));
    }
  };

  explicit Kde(Params p) : p_(std::move(p)) {}

  void fit(const core::TrainSet& train, core::RunContext& ctx) override {
    train_ = to_rows(train.x);
    const std::int64_t n = train_.n;
    if (n < p_.folds) throw core::Error(fmt::format("kde: {} training samples for {} folds", n, p_.folds));
    BigVector<double> dist;
    {
      auto t = ctx.phase("distances");
      dist = squared_distances(train_);
    }
    auto t = ctx.phase("cross_validation");
    // scikit-learn KFold: contiguous folds, the first n % k of them one sample longer.
    const std::int64_t base = n / p_.folds, extra = n % p_.folds;
    auto fold_lo = [&](std::int64_t f) { return f * base + std::min(f, extra); };
    auto fold_hi = [&](std::int64_t f) { return fold_lo(f) + base + (f < extra ? 1 : 0); };
    std::vector<double> mins(static_cast<std::size_t>(n));  // each held-out row's nearest fitted sample
    for (std::int64_t f = 0; f < p_.folds; ++f)
      for (std::int64_t i = fold_lo(f); i < fold_hi(f); ++i)
        mins[i] = row_min(dist.data() + i * n, n, fold_lo(f), fold_hi(f));
    std::vector<double> cv_scores;
    double best = -std::numeric_limits<double>::infinity();
    for (double h2 : p_.bandwidth_log2) {
      const double h = std::exp2(h2);
      double mean_fold_ll = 0.0;
      for (std::int64_t f = 0; f < p_.folds; ++f) {
        const std::int64_t lo = fold_lo(f), hi = fold_hi(f), fitted = n - (hi - lo);
        double ll = 0.0;
        for (std::int64_t i = lo; i < hi; ++i) ll += log_kernel_sum(dist.data() + i * n, n, lo, hi, mins[i], 0.5 / (h * h));
        ll -= static_cast<double>(hi - lo) * log_normaliser(fitted, h);
        mean_fold_ll += ll / static_cast<double>(p_.folds);
      }
      cv_scores.push_back(mean_fold_ll);
      if (mean_fold_ll > best) {
        best = mean_fold_ll;
        bandwidth_ = h;
      }
    }
    ctx.report().set("selection.bandwidth", bandwidth_);
    ctx.report().set("selection.cv_log_likelihood", cv_scores);
    ctx.report().set("selection.uses_test_labels", false);
  }

  core::Scores score(const core::Samples& x, core::RunContext& ctx) override {
    auto t = ctx.phase("density");
    const Rows rows = to_rows(x);
    const auto dist = squared_distances(rows, train_);
    core::Scores scores(static_cast<std::size_t>(rows.n));
    const double inv = 0.5 / (bandwidth_ * bandwidth_);
    for (std::int64_t i = 0; i < rows.n; ++i) {
      const double* row = dist.data() + i * train_.n;
      scores[i] = -(log_kernel_sum(row, train_.n, 0, 0, row_min(row, train_.n, 0, 0), inv) - log_normaliser(train_.n, bandwidth_));
    }
    return scores;
  }

 private:
  // log(n) + (D/2) log(2 pi h^2): turns the kernel sum into a log density.
  double log_normaliser(std::int64_t n, double h) const {
    return std::log(static_cast<double>(n)) + 0.5 * static_cast<double>(train_.d) * std::log(2.0 * M_PI * h * h);
  }

  Params p_;
  Rows train_;
  double bandwidth_ = 1.0;
};

OCB_REGISTER_METHOD(Kde, "kde", "Gaussian kernel density, bandwidth by 5-fold log-likelihood cross-validation")

}  // namespace ocb::methods

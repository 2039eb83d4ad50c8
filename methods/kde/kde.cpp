// Gaussian kernel density estimation with the bandwidth chosen by 5-fold
// cross-validated log-likelihood on the training data (Ruff et al. 2018, §4.1, the
// paper's grid 2^0.5 .. 2^5). Score = -log density. All pairwise distances are
// computed once, and one pass over them gives the kernel sums of every
// bandwidth (a vector lane each), where scikit-learn's GridSearchCV refits a
// tree per fold and bandwidth. The sums and their exp are the row kernels'
// (kernels/exp_sums.inc): each sum is taken in the order of the samples, with
// glibc's exp to the bit, so the scores are those of the plain scalar loop.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include <fmt/ranges.h>

#include "harness/core/error.hpp"
#include "harness/core/method.hpp"
#include "harness/core/run_context.hpp"
#include "harness/core/shared_results.hpp"
#include "methods/common/distances.hpp"
#include "methods/common/kernels/rows.hpp"

namespace ocb::methods {
namespace {

// The smallest of row[j] over j in [0, n) outside [skip_lo, skip_hi).
double row_min(const double* row, std::int64_t n, std::int64_t skip_lo, std::int64_t skip_hi) {
  double m = std::numeric_limits<double>::infinity();
  for (std::int64_t j = 0; j < skip_lo; ++j) m = row[j] < m ? row[j] : m;
  for (std::int64_t j = skip_hi; j < n; ++j) m = row[j] < m ? row[j] : m;
  return m;
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

  core::Requirements requirements() const override {
    core::Requirements r;
    r.shared_across_seeds = true;  // the search and the scores depend on the data's bytes alone
    return r;
  }

  void fit(const core::TrainSet& train, core::RunContext& ctx) override {
    train_ = to_rows(train.x);
    const std::int64_t n = train_.n;
    if (n < p_.folds) throw core::Error(fmt::format("kde: {} training samples for {} folds", n, p_.folds));
    // KDE draws no random numbers: the search depends on the training bytes
    // alone, so a run's cells with the same training set (every seed of a
    // class) share it (core::SharedResults). The training set's fingerprint
    // names it in the search's key and in score()'s.
    if (ctx.shared()) train_fp_ = core::fingerprint(train.x);
    bool reused = false;
    const auto search = core::shared_or_computed<Search>(
        ctx.shared(),
        [&] {
          return fmt::format("kde.search|{}|{}|bandwidth_log2={}|folds={}", ctx.numerics_key(), train_fp_,
                             fmt::join(p_.bandwidth_log2, ","), p_.folds);
        },
        [&] { return bandwidth_search(train.x, ctx); },
        [](const Search& s) { return sizeof(Search) + s.cv_scores.size() * sizeof(double); }, &reused);
    if (ctx.shared()) {
      ctx.report().set("shared.search", reused);
      shared_scores_ = 0;
      ctx.report().set("shared.scores", shared_scores_);
    }
    bandwidth_ = search->bandwidth;
    ctx.report().set("selection.bandwidth", bandwidth_);
    ctx.report().set("selection.cv_log_likelihood", search->cv_scores);
    ctx.report().set("selection.uses_test_labels", false);
  }

  core::Scores score(const core::Samples& x, core::RunContext& ctx) override {
    bool reused = false;
    const auto scores = core::shared_or_computed<core::Scores>(
        ctx.shared(),
        [&] { return fmt::format("kde.scores|{}|{}|{}|h={}", ctx.numerics_key(), train_fp_, core::fingerprint(x), bandwidth_); },
        [&] { return density_scores(x, ctx); }, [](const core::Scores& s) { return s.size() * sizeof(double); },
        &reused);
    if (reused) ctx.report().set("shared.scores", ++shared_scores_);
    return *scores;
  }

 private:
  // The bandwidth chosen and each bandwidth's mean held-out log-likelihood.
  struct Search {
    double bandwidth = 1.0;
    std::vector<double> cv_scores;
  };

  Search bandwidth_search(const core::Samples& x, core::RunContext& ctx) {
    const std::int64_t n = train_.n;
    bool reused = false;
    const auto shared_dist = shared_squared_distances(x, train_, ctx, "distances", &reused);
    if (ctx.shared()) ctx.report().set("shared.train_distances", reused);
    const BigVector<double>& dist = *shared_dist;
    auto t = ctx.phase("cross_validation");
    // scikit-learn KFold: contiguous folds, the first n % k of them one sample longer.
    const std::int64_t base = n / p_.folds, extra = n % p_.folds;
    auto fold_lo = [&](std::int64_t f) { return f * base + std::min(f, extra); };
    auto fold_hi = [&](std::int64_t f) { return fold_lo(f) + base + (f < extra ? 1 : 0); };
    std::vector<double> mins(static_cast<std::size_t>(n));  // each held-out row's nearest fitted sample
    for (std::int64_t f = 0; f < p_.folds; ++f)
      for (std::int64_t i = fold_lo(f); i < fold_hi(f); ++i)
        mins[i] = row_min(dist.data() + i * n, n, fold_lo(f), fold_hi(f));
    // log sum_j exp(-d_ij / (2 h^2)) over the fitted samples j of row i's fold,
    // for every bandwidth at once, shifted by the row's nearest distance.
    const std::size_t nb = p_.bandwidth_log2.size();
    std::vector<double> h(nb), inv_2h2(nb);
    for (std::size_t k = 0; k < nb; ++k) {
      h[k] = std::exp2(p_.bandwidth_log2[k]);
      inv_2h2[k] = 0.5 / (h[k] * h[k]);
    }
    std::vector<double> log_sums(nb * static_cast<std::size_t>(n)), sums(nb);
    const auto& rk = kernels::rows();
    for (std::int64_t f = 0; f < p_.folds; ++f)
      for (std::int64_t i = fold_lo(f); i < fold_hi(f); ++i) {
        rk.exp_sums(dist.data() + i * n, n, fold_lo(f), fold_hi(f), mins[i], inv_2h2.data(), static_cast<std::int64_t>(nb), sums.data());
        for (std::size_t k = 0; k < nb; ++k) log_sums[k * n + i] = std::log(sums[k]) - mins[i] * inv_2h2[k];
      }
    Search out;
    std::vector<double>& cv_scores = out.cv_scores;
    double best = -std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < nb; ++k) {
      double mean_fold_ll = 0.0;
      for (std::int64_t f = 0; f < p_.folds; ++f) {
        const std::int64_t lo = fold_lo(f), hi = fold_hi(f), fitted = n - (hi - lo);
        double ll = 0.0;
        for (std::int64_t i = lo; i < hi; ++i) ll += log_sums[k * n + i];
        ll -= static_cast<double>(hi - lo) * log_normaliser(fitted, h[k]);
        mean_fold_ll += ll / static_cast<double>(p_.folds);
      }
      cv_scores.push_back(mean_fold_ll);
      if (mean_fold_ll > best) {
        best = mean_fold_ll;
        out.bandwidth = h[k];
      }
    }
    return out;
  }

  core::Scores density_scores(const core::Samples& x, core::RunContext& ctx) {
    auto t = ctx.phase("density");
    const Rows rows = to_rows(x);
    const auto dist = squared_distances(rows, train_);
    core::Scores scores(static_cast<std::size_t>(rows.n));
    const double inv = 0.5 / (bandwidth_ * bandwidth_), norm = log_normaliser(train_.n, bandwidth_);
    std::vector<double> mins(static_cast<std::size_t>(rows.n)), sums(static_cast<std::size_t>(rows.n));
    for (std::int64_t i = 0; i < rows.n; ++i) mins[i] = row_min(dist.data() + i * train_.n, train_.n, 0, 0);
    kernels::rows().exp_sums_rows(dist.data(), train_.n, rows.n, train_.n, mins.data(), inv, sums.data());
    for (std::int64_t i = 0; i < rows.n; ++i) scores[i] = -((std::log(sums[i]) - mins[i] * inv) - norm);
    return scores;
  }

  // log(n) + (D/2) log(2 pi h^2): turns the kernel sum into a log density.
  double log_normaliser(std::int64_t n, double h) const {
    return std::log(static_cast<double>(n)) + 0.5 * static_cast<double>(train_.d) * std::log(2.0 * M_PI * h * h);
  }

  Params p_;
  Rows train_;
  double bandwidth_ = 1.0;
  std::string train_fp_;             // the training set's fingerprint (with shared results)
  std::int64_t shared_scores_ = 0;  // score() calls answered from an earlier cell
};

OCB_REGISTER_METHOD(Kde, "kde", "Gaussian kernel density, bandwidth by 5-fold log-likelihood cross-validation")

}  // namespace ocb::methods

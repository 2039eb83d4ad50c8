// One-class SVM (Schölkopf et al. 2001) with an RBF kernel on LIBSVM, selected
// as in Ruff et al. 2018 §4.1: every (nu, gamma) of the grid
// is fitted and the one with the best AUC on a labelled 10 % holdout of the
// test split wins; the holdout is removed from the test split. LIBSVM runs on
// a precomputed kernel: the squared distances are computed once per cell and
// only exp(-gamma d) changes across the grid. The grid's models depend on the
// training bytes alone (LIBSVM draws no random numbers here); only the holdout
// differs between seeds, so a run's cells on one training set share them
// (core::SharedResults).
#include <svm.h>

#include <cmath>
#include <memory>

#include <fmt/ranges.h>

#include "harness/core/error.hpp"
#include "harness/core/method.hpp"
#include "harness/core/metrics.hpp"
#include "harness/core/run_context.hpp"
#include "harness/core/shared_results.hpp"
#include "harness/core/versions.hpp"
#include "methods/common/distances.hpp"
#include "methods/common/big_vector.hpp"

namespace ocb::methods {
namespace {

void silent(const char*) {}

[[maybe_unused]] const bool version_added =
    core::add_library_version("libsvm", std::to_string(LIBSVM_VERSION / 100) + "." + std::to_string(LIBSVM_VERSION % 100));

struct ModelDeleter {
  void operator()(svm_model* m) const { svm_free_and_destroy_model(&m); }
};
using ModelPtr = std::unique_ptr<svm_model, ModelDeleter>;

}  // namespace

class Ocsvm final : public core::Method {
 public:
  struct Params {
    std::vector<double> nu{0.01, 0.1};
    std::vector<double> gamma_log2{-10, -9, -8, -7, -6, -5, -4, -3, -2, -1};
    std::string selection = "test_holdout";
    double holdout_fraction = 0.1;
    double tolerance = 1e-3;
    double cache_mb = 200;

    static core::ParamMap quick() { return {{"gamma_log2", std::vector<double>{-6, -5, -4, -3}}}; }

    template <class V>
    void visit(V&& v) {
      v("nu", nu, "grid of nu (upper bound on the outlier fraction)", core::each(core::in_range(0, 1, true, false)));
      v("gamma_log2", gamma_log2, "grid of log2 of the RBF gamma, k(x,y) = exp(-gamma |x-y|^2)",
        core::each(core::in_range(-30, 30)));
      v("selection", selection,
        "test_holdout: best AUC on a labelled holdout drawn from the test split (paper); train_only: no labels, "
        "first nu and gamma = 1/(D var(X)) (scikit-learn's 'scale')",
        core::one_of({"test_holdout", "train_only"}));
      v("holdout_fraction", holdout_fraction, "fraction of the test split used as the holdout",
        core::in_range(0, 0.5, true, false));
      v("tolerance", tolerance, "LIBSVM stopping tolerance (eps)", core::greater_than(0));
      v("cache_mb", cache_mb, "LIBSVM kernel cache in MB", core::greater_than(0));
    }
  };

  explicit Ocsvm(Params p) : p_(std::move(p)) {}

  core::Requirements requirements() const override {
    core::Requirements r;
    if (p_.selection == "test_holdout") r.test_holdout_fraction = p_.holdout_fraction;
    r.shared_across_seeds = true;  // the distances and the grid depend on the training bytes alone
    return r;
  }

  void fit(const core::TrainSet& train, core::RunContext& ctx) override {
    svm_set_print_string_function(&silent);
    train_ = to_rows(train.x);
    if (p_.selection == "train_only") {
      double mean = 0.0, sq = 0.0;
      for (double v : train_.values) mean += v;
      mean /= static_cast<double>(train_.values.size());
      for (double v : train_.values) sq += (v - mean) * (v - mean);
      const double var = sq / static_cast<double>(train_.values.size());
      gamma_ = var > 0 ? 1.0 / (static_cast<double>(train_.d) * var) : 1.0;
      nu_ = p_.nu.front();
      model_ = train_grid(train.x, {nu_}, {gamma_}, ctx).models.front();
      ctx.report().set("selection.uses_test_labels", false);
    } else {
      if (!train.validation) throw core::Error("test_holdout selection needs a validation split");
      std::vector<double> gammas;
      for (double g : p_.gamma_log2) gammas.push_back(std::exp2(g));
      bool reused = false;
      const auto grid = core::shared_or_computed<Grid>(
          ctx.shared(),
          [&] {
            return fmt::format("ocsvm.grid|{}|{}|nu={}|gamma_log2={}|eps={}|cache_mb={}", ctx.numerics_key(),
                               core::fingerprint(train.x), fmt::join(p_.nu, ","), fmt::join(p_.gamma_log2, ","),
                               p_.tolerance, p_.cache_mb);
          },
          [&] { return train_grid(train.x, p_.nu, gammas, ctx); },
          [](const Grid& g) {
            std::size_t b = sizeof(Grid);
            for (const auto& m : g.models) b += sizeof(Model) + m.sv.size() * (sizeof(int) + sizeof(double));
            return b;
          },
          &reused);
      if (ctx.shared()) ctx.report().set("shared.grid", reused);
      select_on_holdout(*grid, *train.validation, ctx);
    }
    ctx.report().set("selection.nu", nu_);
    ctx.report().set("selection.gamma", gamma_);
    ctx.report().set("support_vectors", static_cast<std::int64_t>(model_.sv.size()));
  }

  core::Scores score(const core::Samples& x, core::RunContext& ctx) override {
    auto t = ctx.phase("decision");
    return decision_scores(to_rows(x), model_, gamma_);
  }

 private:
  // What scoring needs of a LIBSVM model: its support vectors (0-based rows
  // of the training set), their coefficients, and rho.
  struct Model {
    double nu = 0.0, gamma = 0.0;
    std::vector<int> sv;
    std::vector<double> coef;
    double rho = 0.0;
  };
  // A model per (nu, gamma), gamma-major: models[g * nus + v].
  struct Grid {
    std::vector<Model> models;
  };

  // Every (nu, gamma) fitted on the training set, gamma-major so that each
  // kernel matrix is filled once for all nu.
  Grid train_grid(const core::Samples& x, const std::vector<double>& nus, const std::vector<double>& gammas,
                  core::RunContext& ctx) {
    const std::int64_t n = train_.n;
    // The training set's distances: shared with the run's other cells on the
    // same training set (KDE's), the same bytes.
    bool reused = false;
    const auto shared_dist = shared_squared_distances(x, train_, ctx, "kernel", &reused);
    if (ctx.shared()) ctx.report().set("shared.train_distances", reused);
    const BigVector<double>& dist = *shared_dist;
    // LIBSVM's precomputed format: row i = [0: i+1, 1..n: K(i, j), -1: end].
    // Values are written by fill_kernel; the buffer is never zero-filled.
    BigVector<svm_node> nodes(static_cast<std::size_t>(n * (n + 2)));
    std::vector<svm_node*> rows(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) rows[i] = nodes.data() + i * (n + 2);
    std::vector<double> labels(static_cast<std::size_t>(n), 1.0);
    double filled_gamma = 0.0;
    Grid grid;
    for (double gamma : gammas) {
      fill_kernel(dist, rows, gamma, filled_gamma, ctx);
      filled_gamma = gamma;
      for (double nu : nus) grid.models.push_back(train_one(rows, labels, nu, gamma, ctx));
    }
    return grid;
  }

  // K(i, j) = exp(-gamma d_ij). When gamma is exactly twice the gamma already
  // in the buffer (consecutive exponents of the paper's grid), squaring the
  // stored values gives the same kernel without a pass of exp.
  void fill_kernel(const BigVector<double>& dist, const std::vector<svm_node*>& rows, double gamma, double filled_gamma,
                   core::RunContext& ctx) {
    auto t = ctx.phase("kernel");
    const std::int64_t n = train_.n;
    const bool square = filled_gamma > 0.0 && gamma == 2.0 * filled_gamma;
    for (std::int64_t i = 0; i < n; ++i) {
      svm_node* r = rows[i];
      if (square) {
        for (std::int64_t j = 1; j <= n; ++j) r[j].value *= r[j].value;
        continue;
      }
      const double* d = dist.data() + i * n;
      r[0] = {0, static_cast<double>(i + 1)};
      for (std::int64_t j = 0; j < n; ++j) r[j + 1] = {static_cast<int>(j + 1), std::exp(-gamma * d[j])};
      r[n + 1] = {-1, 0.0};
    }
  }

  Model train_one(const std::vector<svm_node*>& rows, std::vector<double>& labels, double nu, double gamma,
                  core::RunContext& ctx) {
    auto t = ctx.phase("svm_train");
    svm_problem prob{static_cast<int>(train_.n), labels.data(), const_cast<svm_node**>(rows.data())};
    svm_parameter param{};
    param.svm_type = ONE_CLASS;
    param.kernel_type = PRECOMPUTED;
    param.nu = nu;
    param.gamma = gamma;
    param.eps = p_.tolerance;
    param.cache_size = p_.cache_mb;
    param.shrinking = 1;
    if (const char* err = svm_check_parameter(&prob, &param)) throw core::Error(fmt::format("LIBSVM: {}", err));
    const ModelPtr m(svm_train(&prob, &param));
    Model out{nu, gamma, {}, {}, m->rho[0]};
    for (int k = 0; k < m->l; ++k) {
      out.sv.push_back(m->sv_indices[k] - 1);
      out.coef.push_back(m->sv_coef[0][k]);
    }
    return out;
  }

  // -(sum_i coef_i K(x, sv_i) - rho): LIBSVM's decision value, negated so that
  // higher = more anomalous. Distances only to the support vectors.
  core::Scores decision_scores(const Rows& x, const Model& m, double gamma) const {
    Rows svs;
    svs.n = static_cast<std::int64_t>(m.sv.size());
    svs.d = train_.d;
    for (std::int64_t i : m.sv) {
      svs.values.insert(svs.values.end(), train_.values.begin() + i * train_.d, train_.values.begin() + (i + 1) * train_.d);
      svs.sq_norms.push_back(train_.sq_norms[i]);
    }
    const auto d = squared_distances(x, svs);
    core::Scores scores(static_cast<std::size_t>(x.n));
    for (std::int64_t i = 0; i < x.n; ++i) {
      double f = 0.0;
      for (std::int64_t k = 0; k < svs.n; ++k) f += m.coef[k] * std::exp(-gamma * d[i * svs.n + k]);
      scores[i] = -(f - m.rho);
    }
    return scores;
  }

  // Picks the grid's model with the best holdout AUC: in nu-major order, the
  // first best winning on ties.
  void select_on_holdout(const Grid& grid, const core::LabeledSamples& holdout, core::RunContext& ctx) {
    const Rows hold = to_rows(holdout.x);
    BigVector<double> hold_dist;
    {
      auto t = ctx.phase("kernel");
      hold_dist = squared_distances(hold, train_);
    }
    const std::size_t n_nu = p_.nu.size(), n_gamma = p_.gamma_log2.size();
    std::vector<double> grid_auc(n_nu * n_gamma);
    double best = -1.0;
    std::size_t best_at = 0;
    for (std::size_t g = 0; g < n_gamma; ++g) {
      for (std::size_t v = 0; v < n_nu; ++v) {
        const Model& m = grid.models[g * n_nu + v];
        const std::size_t at = v * n_gamma + g;
        double auc;
        {
          auto th = ctx.phase("holdout_decision");
          auc = core::roc_auc(holdout_scores(hold_dist, hold.n, m), holdout.anomaly);
        }
        grid_auc[at] = auc;
        ctx.log(fmt::format("ocsvm nu={} gamma=2^{} holdout auc {:.4f}", p_.nu[v], p_.gamma_log2[g], auc));
        if (auc > best || (auc == best && at < best_at)) {
          best = auc;
          best_at = at;
          nu_ = m.nu;
          gamma_ = m.gamma;
          model_ = m;
        }
      }
    }
    ctx.report().set("selection.uses_test_labels", true);
    ctx.report().set("selection.holdout_size", static_cast<std::int64_t>(holdout.size()));
    ctx.report().set("selection.holdout_auc", best);
    ctx.report().set("selection.grid_auc", grid_auc);
  }

  // Decision values of the holdout from its precomputed distances to the training set.
  core::Scores holdout_scores(const BigVector<double>& hold_dist, std::int64_t n_hold, const Model& m) const {
    core::Scores scores(static_cast<std::size_t>(n_hold));
    for (std::int64_t i = 0; i < n_hold; ++i) {
      const double* d = hold_dist.data() + i * train_.n;
      double f = 0.0;
      for (std::size_t k = 0; k < m.sv.size(); ++k) f += m.coef[k] * std::exp(-m.gamma * d[m.sv[k]]);
      scores[i] = -(f - m.rho);
    }
    return scores;
  }

  Params p_;
  Rows train_;
  Model model_;
  double nu_ = 0.0, gamma_ = 0.0;
};

OCB_REGISTER_METHOD(Ocsvm, "ocsvm", "one-class SVM, RBF kernel (LIBSVM), paper's grid and holdout rule")

}  // namespace ocb::methods

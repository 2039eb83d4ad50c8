// Isolation Forest (Liu et al. 2008) with the paper's t = 100 trees and
// psi = 256 samples per tree (Ruff et al. 2018, §4.1). Splits follow scikit-learn's
// IsolationForest: a random non-constant feature, a threshold uniform between
// its node minimum and maximum, depth limit ceil(log2 psi). Score = s(x) =
// 2^(-E[h(x)] / c(psi)), higher = more anomalous.
#include <algorithm>
#include <cmath>

#include "harness/core/error.hpp"
#include "harness/core/method.hpp"
#include "harness/core/rng.hpp"
#include "harness/core/run_context.hpp"

namespace ocb::methods {
namespace {

// Average path length of an unsuccessful search in a binary search tree of n
// points: the normaliser c(n) of the paper.
double average_path_length(std::int64_t n) {
  if (n <= 1) return 0.0;
  if (n == 2) return 1.0;
  const double m = static_cast<double>(n - 1);
  return 2.0 * (std::log(m) + 0.5772156649015329) - 2.0 * m / static_cast<double>(n);
}

struct Node {
  std::int32_t feature = -1;  // -1: leaf
  float threshold = 0.f;      // x[feature] <= threshold goes left
  std::int32_t left = 0, right = 0;
  double leaf_depth = 0.0;    // for leaves: depth + c(samples in leaf)
};

}  // namespace

class IsolationForest final : public core::Method {
 public:
  struct Params {
    std::int64_t trees = 100;
    std::int64_t max_samples = 256;

    template <class V>
    void visit(V&& v) {
      v("trees", trees, "number of isolation trees t", core::at_least(1));
      v("max_samples", max_samples, "sub-sample size psi per tree (capped at the training size)", core::at_least(2));
    }
  };

  explicit IsolationForest(Params p) : p_(p) {}

  void fit(const core::TrainSet& train, core::RunContext& ctx) override {
    const core::Samples& x = train.x;
    d_ = x.features();
    psi_ = std::min<std::int64_t>(p_.max_samples, x.size());
    const int max_depth = static_cast<int>(std::ceil(std::log2(static_cast<double>(std::max<std::int64_t>(psi_, 2)))));
    core::Rng rng(ctx.seed_for("isolation_forest"));
    forest_.clear();
    for (std::int64_t t = 0; t < p_.trees; ++t) {
      auto perm = rng.permutation(x.size());
      std::vector<std::int64_t> rows(perm.begin(), perm.begin() + psi_);
      std::vector<Node> tree;
      grow(x, rows, 0, static_cast<std::int64_t>(rows.size()), 0, max_depth, rng, tree);
      forest_.push_back(std::move(tree));
    }
  }

  core::Scores score(const core::Samples& x, core::RunContext&) override {
    core::Scores s(static_cast<std::size_t>(x.size()));
    const double c = average_path_length(psi_);
    for (std::int64_t i = 0; i < x.size(); ++i) {
      const float* row = x.row(i).data();
      double depth = 0.0;
      for (const auto& tree : forest_) {
        std::int32_t k = 0;
        while (tree[k].feature >= 0) k = row[tree[k].feature] <= tree[k].threshold ? tree[k].left : tree[k].right;
        depth += tree[k].leaf_depth;
      }
      s[i] = std::exp2(-(depth / static_cast<double>(forest_.size())) / c);
    }
    return s;
  }

 private:
  // Grows the subtree of rows[lo, hi) at `depth`; returns its node index.
  std::int32_t grow(const core::Samples& x, std::vector<std::int64_t>& rows, std::int64_t lo, std::int64_t hi, int depth,
                    int max_depth, core::Rng& rng, std::vector<Node>& tree) const {
    const auto index = static_cast<std::int32_t>(tree.size());
    tree.emplace_back();
    const std::int64_t count = hi - lo;
    if (depth < max_depth && count > 1) {
      // Draw features without replacement until one is not constant here.
      std::vector<std::int32_t> candidates(static_cast<std::size_t>(d_));
      for (std::int32_t f = 0; f < d_; ++f) candidates[f] = f;
      for (std::int64_t left_to_draw = d_; left_to_draw > 0; --left_to_draw) {
        const auto pick = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(left_to_draw)));
        const std::int32_t f = candidates[pick];
        std::swap(candidates[pick], candidates[left_to_draw - 1]);
        float fmin = x.row(rows[lo])[f], fmax = fmin;
        for (std::int64_t r = lo + 1; r < hi; ++r) {
          const float v = x.row(rows[r])[f];
          fmin = std::min(fmin, v);
          fmax = std::max(fmax, v);
        }
        if (!(fmax > fmin)) continue;
        float threshold = static_cast<float>(rng.uniform(fmin, fmax));
        if (threshold >= fmax) threshold = fmin;
        const auto mid = std::partition(rows.begin() + lo, rows.begin() + hi,
                                        [&](std::int64_t r) { return x.row(r)[f] <= threshold; }) - rows.begin();
        const std::int32_t left = grow(x, rows, lo, mid, depth + 1, max_depth, rng, tree);
        const std::int32_t right = grow(x, rows, mid, hi, depth + 1, max_depth, rng, tree);
        tree[index].feature = f;
        tree[index].threshold = threshold;
        tree[index].left = left;
        tree[index].right = right;
        return index;
      }
    }
    tree[index].leaf_depth = depth + average_path_length(count);
    return index;
  }

  Params p_;
  std::int64_t d_ = 0, psi_ = 0;
  std::vector<std::vector<Node>> forest_;
};

OCB_REGISTER_METHOD(IsolationForest, "isolation_forest", "Isolation Forest, 100 trees of 256 samples")

}  // namespace ocb::methods

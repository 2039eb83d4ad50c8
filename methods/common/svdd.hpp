// The hypersphere machinery shared by Deep SVDD, Deep SAD and the hybrid:
// the centre c (eval-mode mean of φ over the training data, coordinates with
// |c_i| < eps pushed to ±eps, then fixed, as the reference code does), the one-class,
// soft-boundary and semi-supervised objectives, the radius rules, scoring and
// the collapse check.
#pragma once

#include <functional>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/core/params.hpp"
#include "harness/core/samples.hpp"
#include "harness/core/run_context.hpp"
#include "methods/common/networks.hpp"
#include "methods/common/trainer.hpp"

namespace ocb::methods {

struct SvddParams {
  std::string objective = "one-class";
  double nu = 0.1;
  std::string radius_rule = "minibatch_quantile";
  std::int64_t warm_up_epochs = 10;
  std::int64_t epochs = 150;
  double lr = 1e-4;
  std::vector<std::int64_t> milestones{50};
  double weight_decay = 0.5e-6;
  double center_eps = 0.1;

  template <class V>
  void visit(V&& v) {
    v("objective", objective, "one-class (eq. 4) or soft-boundary (eq. 3)", core::one_of({"one-class", "soft-boundary"}));
    v("nu", nu, "soft-boundary trade-off nu (fraction of training points allowed outside the sphere)",
      core::in_range(0, 1, true, false));
    v("radius_rule", radius_rule,
      "soft-boundary R: minibatch_quantile (PyTorch code: (1-nu)-quantile of each batch's distances) or "
      "block_coordinate (Theano code: of the whole training set every 5 epochs)",
      core::one_of({"minibatch_quantile", "block_coordinate"}));
    v("warm_up_epochs", warm_up_epochs, "epochs before the radius starts to follow the quantile", core::at_least(0));
    v("epochs", epochs, "training epochs of φ", core::at_least(1));
    v("lr", lr, "Adam learning rate", core::greater_than(0));
    v("milestones", milestones, "epochs from which the learning rate is divided by 10", core::any_value());
    v("weight_decay", weight_decay, "Adam weight decay (coupled L2; the Theano code's lambda is twice this)",
      core::at_least(0));
    v("center_eps", center_eps, "centre coordinates closer to 0 than this are pushed to +-eps", core::at_least(0));
  }
  void check() const;
  Schedule schedule(std::int64_t batch_size) const;
};

// Deep SAD's labels (+1 known normal, -1 known anomaly, 0 unlabelled; one per
// training sample) and its weights (Ruff et al., ICLR 2020, eq. 7).
struct SemiSupervision {
  at::Tensor labels;  // int8 [N] on the training device
  double eta = 1.0;
  double eps = 1e-6;
};

// The hybrid's second term: a decoder trained jointly with φ, the loss
// becoming mu1 * (SVDD term) + mu2 * (batch mean of per-sample summed squared
// reconstruction error).
struct ReconstructionTerm {
  std::shared_ptr<Decoder> decoder;
  double mu1 = 1.0, mu2 = 1.0;
};

class SvddModel {
 public:
  // fixed_blocks: the Theano code's batching (trainer.hpp), with the same
  // kept subset as the cell's pretraining.
  SvddModel(std::shared_ptr<Encoder> phi, SvddParams params, std::int64_t batch_size, bool fixed_blocks = false);

  // Fixes c from x, then trains φ. `semi` (may be null) switches on Deep SAD's
  // loss; `recon` (may be null) adds the hybrid's reconstruction term.
  void fit(const at::Tensor& x, const SemiSupervision* semi, core::RunContext& ctx,
           const ReconstructionTerm* recon = nullptr);
  core::Scores score(const at::Tensor& x, core::RunContext& ctx) const;
  at::Tensor embed(const at::Tensor& x) const;  // φ(x), [N, D], in eval mode
  // Grad-CAM of the distance |φ(x) - c|^2 (grad_cam below), [N, 1, H, W].
  at::Tensor grad_cam(const at::Tensor& x) const;

  void init_center(const at::Tensor& x);
  at::Tensor distances(const at::Tensor& z) const;  // |z - c|^2 per row
  const at::Tensor& center() const { return c_; }
  double radius() const { return radius_; }
  Encoder& encoder() { return *phi_; }
  // Reports representation spread and the collapse flag for x.
  void check_collapse(const at::Tensor& x, core::RunContext& ctx) const;

 private:
  friend class SoftBoundaryLoss;
  std::shared_ptr<Encoder> phi_;
  SvddParams p_;
  std::int64_t batch_size_;
  bool fixed_blocks_ = false;
  at::Tensor c_;
  double radius_ = 0.0;  // R (not squared)
};

// Grad-CAM (Selvaraju et al. 2017) of a score s(φ(x)) for each sample: the
// gradient of s with respect to the last convolution block's feature maps A,
// each channel weighted by its gradient's spatial mean, the positive part of
// the weighted sum of the maps, upsampled (bilinear) to the input's size.
// `score` maps codes [N, D] to one score per row [N]. phi is put in eval mode.
at::Tensor grad_cam(Encoder& phi, const at::Tensor& x, const std::function<at::Tensor(const at::Tensor&)>& score);

// numpy.quantile with linear interpolation.
double quantile(std::vector<double> values, double q);

}  // namespace ocb::methods

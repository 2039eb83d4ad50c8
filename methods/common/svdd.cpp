// Centre, objectives, radius rules and scoring of the SVDD family (svdd.hpp).
#include "methods/common/svdd.hpp"

#include <torch/csrc/autograd/autograd.h>

#include <algorithm>
#include <cmath>

#include "harness/core/error.hpp"

namespace ocb::methods {
namespace {

std::vector<double> to_vector(const at::Tensor& t) {
  auto d = t.detach().to(at::kCPU).to(at::kDouble).contiguous();
  return {d.data_ptr<double>(), d.data_ptr<double>() + d.numel()};
}

}  // namespace

void SvddParams::check() const {
  for (auto m : milestones)
    if (m < 0) throw core::ParamError("milestones", fmt::format("must hold epochs >= 0, got {}", m));
}

Schedule SvddParams::schedule(std::int64_t batch_size) const { return {epochs, lr, milestones, weight_decay, batch_size}; }

double quantile(std::vector<double> v, double q) {
  OCB_CHECK(!v.empty(), "quantile of nothing");
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

// Adds the hybrid's weighted reconstruction term to an SVDD loss.
at::Tensor with_reconstruction(const at::Tensor& svdd_loss, const at::Tensor& z, const at::Tensor& x,
                               const ReconstructionTerm* recon) {
  if (!recon) return svdd_loss;
  const auto err = (recon->decoder->forward(z) - x).pow(2).flatten(1).sum(1).mean();
  return recon->mu1 * svdd_loss + recon->mu2 * err;
}

// mean |φ(x) - c|^2, or Deep SAD's labelled variant of it.
class OneClassLoss : public Objective {
 public:
  OneClassLoss(SvddModel& m, const SemiSupervision* semi, const ReconstructionTerm* recon)
      : m_(m), semi_(semi), recon_(recon) {}
  at::Tensor batch_loss(const at::Tensor& x, const at::Tensor& index, std::int64_t epoch) override {
    return loss_of(m_.encoder().forward(x), x, index, epoch);
  }
  bool splits_forward() const override { return recon_ == nullptr; }
  at::Tensor loss_of(const at::Tensor& z, const at::Tensor& x, const at::Tensor& index, std::int64_t) override {
    auto dist = m_.distances(z);
    if (semi_) {
      auto y = semi_->labels.index_select(0, index);
      // Batches without labelled samples take the one-class path, so Deep SAD
      // with no labels is bit-identical to one-class Deep SVDD.
      if (y.ne(0).any().item<bool>()) {
        auto labelled = semi_->eta * (dist + semi_->eps).pow(y.to(dist.scalar_type()));
        return with_reconstruction(at::where(y.eq(0), dist, labelled).mean(), z, x, recon_);
      }
    }
    return with_reconstruction(dist.mean(), z, x, recon_);
  }

 private:
  SvddModel& m_;
  const SemiSupervision* semi_;
  const ReconstructionTerm* recon_;
};

class SoftBoundaryLoss : public Objective {
 public:
  SoftBoundaryLoss(SvddModel& m, const at::Tensor& train, const ReconstructionTerm* recon)
      : m_(m), train_(train), recon_(recon) {
    if (m_.p_.radius_rule == "block_coordinate") set_radius_from_training_set();
  }
  at::Tensor batch_loss(const at::Tensor& x, const at::Tensor& index, std::int64_t epoch) override {
    return loss_of(m_.encoder().forward(x), x, index, epoch);
  }
  bool splits_forward() const override { return recon_ == nullptr; }
  at::Tensor loss_of(const at::Tensor& z, const at::Tensor& x, const at::Tensor&, std::int64_t) override {
    auto dist = m_.distances(z);
    last_dist_ = dist.detach();
    const double r2 = m_.radius_ * m_.radius_;
    return with_reconstruction(r2 + (1.0 / m_.p_.nu) * at::clamp_min(dist - r2, 0.0).mean(), z, x, recon_);
  }
  void after_step(std::int64_t epoch) override {
    if (m_.p_.radius_rule == "minibatch_quantile" && epoch >= m_.p_.warm_up_epochs)
      m_.radius_ = quantile(to_vector(last_dist_.sqrt()), 1.0 - m_.p_.nu);
  }
  void after_epoch(std::int64_t epoch) override {
    if (m_.p_.radius_rule != "block_coordinate") return;
    if (epoch < m_.p_.warm_up_epochs || (epoch - m_.p_.warm_up_epochs) % 5 == 0) {
      set_radius_from_training_set();
      m_.encoder().train();
    }
  }

 private:
  // The (1-nu)-quantile of the training distances: the exact minimiser of the
  // soft-boundary objective in R^2 with φ fixed.
  void set_radius_from_training_set() {
    m_.encoder().eval();
    const auto dist = map_batches(train_, m_.batch_size_, [&](const at::Tensor& b) { return m_.distances(m_.encoder().forward(b)); });
    m_.radius_ = std::sqrt(quantile(to_vector(dist), 1.0 - m_.p_.nu));
  }
  SvddModel& m_;
  at::Tensor train_, last_dist_;
  const ReconstructionTerm* recon_;
};

SvddModel::SvddModel(std::shared_ptr<Encoder> phi, SvddParams params, std::int64_t batch_size, bool fixed_blocks)
    : phi_(std::move(phi)), p_(std::move(params)), batch_size_(batch_size), fixed_blocks_(fixed_blocks) {}

void SvddModel::init_center(const at::Tensor& x) {
  phi_->eval();
  at::NoGradGuard guard;
  c_ = map_batches(x, batch_size_, [&](const at::Tensor& b) { return phi_->forward(b); }).mean(0);
  const double eps = p_.center_eps;
  c_ = at::where(c_.abs().lt(eps).logical_and(c_.lt(0)), at::full_like(c_, -eps), c_);
  c_ = at::where(c_.abs().lt(eps).logical_and(c_.gt(0)), at::full_like(c_, eps), c_);
}

at::Tensor SvddModel::distances(const at::Tensor& z) const { return (z - c_).pow(2).sum(1); }

void SvddModel::fit(const at::Tensor& x, const SemiSupervision* semi, core::RunContext& ctx,
                    const ReconstructionTerm* recon) {
  Schedule schedule = p_.schedule(batch_size_);
  schedule.fixed_blocks = fixed_blocks_;
  schedule.block_seed = ctx.seed_for("train_blocks");
  {
    auto t = ctx.phase("center");
    if (fixed_blocks_) {
      // The Theano code computes c over its (truncated) training set.
      auto kept = kept_rows(x.size(0), schedule);
      std::sort(kept.begin(), kept.end());
      init_center(x.index_select(0, at::tensor(kept, at::kLong).to(x.device())));
    } else {
      init_center(x);
    }
  }
  std::unique_ptr<Objective> loss;
  if (p_.objective == "soft-boundary") {
    if (semi) throw core::Error("the semi-supervised loss has no soft-boundary variant");
    loss = std::make_unique<SoftBoundaryLoss>(*this, x, recon);
  } else {
    loss = std::make_unique<OneClassLoss>(*this, semi, recon);
  }
  core::Rng shuffle(ctx.seed_for("svdd_shuffle"));
  TrainLog log;
  if (recon) {
    // φ and the decoder are trained together (and switched to train mode together).
    Autoencoder joint(phi_, recon->decoder);
    log = train(joint, joint.parameters(), x, *loss, schedule, shuffle, ctx, "train");
    recon->decoder->eval();
  } else {
    const Batching batching = batching_of(*phi_);
    log = train(*phi_, phi_->parameters(), x, *loss, schedule, shuffle, ctx, "train", &batching);
  }
  phi_->eval();
  ctx.facts().curve("train", log.curve());
  ctx.report().set("center_norm", c_.norm().item<double>());
  if (p_.objective == "soft-boundary") ctx.report().set("radius", radius_);
  check_collapse(x, ctx);
}

core::Scores SvddModel::score(const at::Tensor& x, core::RunContext&) const {
  phi_->eval();
  auto dist = map_batches(x, batch_size_, [&](const at::Tensor& b) { return distances(phi_->forward(b)); });
  auto s = to_vector(dist);
  if (p_.objective == "soft-boundary")
    for (double& v : s) v -= radius_ * radius_;
  return s;
}

at::Tensor SvddModel::embed(const at::Tensor& x) const {
  at::NoGradGuard guard;
  phi_->eval();
  return map_batches(x, batch_size_, [&](const at::Tensor& b) { return phi_->forward(b); });
}

at::Tensor SvddModel::grad_cam(const at::Tensor& x) const {
  const at::Tensor c = c_;
  return methods::grad_cam(*phi_, x, [&](const at::Tensor& z) { return (z - c).pow(2).sum(1); });
}

at::Tensor grad_cam(Encoder& phi, const at::Tensor& x, const std::function<at::Tensor(const at::Tensor&)>& score) {
  phi.eval();
  at::Tensor a;
  {
    at::NoGradGuard no_grad;
    a = phi.last_conv(x);
  }
  a = a.detach().requires_grad_(true);
  const at::Tensor s = score(phi.from_last_conv(a));
  // The samples are independent in eval mode, so the gradient of the sum is
  // each sample's own gradient.
  const at::Tensor g = torch::autograd::grad({s.sum()}, {a})[0];
  at::NoGradGuard no_grad;
  const at::Tensor weights = g.mean({2, 3}, /*keepdim=*/true);
  const at::Tensor cam = at::relu((weights * a.detach()).sum(1, /*keepdim=*/true));
  return at::upsample_bilinear2d(cam, {x.size(2), x.size(3)}, /*align_corners=*/false);
}

void SvddModel::check_collapse(const at::Tensor& x, core::RunContext& ctx) const {
  at::NoGradGuard guard;
  phi_->eval();
  const auto z = map_batches(x, batch_size_, [&](const at::Tensor& b) { return phi_->forward(b); }).to(at::kDouble);
  // Mean per-dimension standard deviation of the representation, relative to
  // the centre's scale: ~0 means φ maps everything to (nearly) one point.
  const double spread = z.std(0, /*unbiased=*/false).mean().item<double>();
  const double scale = std::max(1e-12, c_.to(at::kDouble).pow(2).mean().sqrt().item<double>());
  ctx.facts().representation({spread, spread / scale < 1e-3});
}

}  // namespace ocb::methods

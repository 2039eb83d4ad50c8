// Deep SVDD (Ruff et al., ICML 2018): a bias-free encoder φ, initialised from
// the pretrained autoencoder's encoder, is trained to map the normal data near
// a fixed centre c. One-class objective (eq. 4): mean |φ(x) - c|^2 + weight
// decay. Soft-boundary objective (eq. 3): R^2 + 1/ν mean max(0, |φ(x) - c|^2 -
// R^2), with R updated as the PyTorch reference does (per mini-batch
// (1-ν)-quantile after warm-up) or as the Theano code's block-coordinate
// scheme (full training set every 5 epochs after warm-up). Score =
// |φ(x) - c|^2 (soft-boundary: minus R^2). PROTOCOL.md §4, §5.
#include <algorithm>
#include <cmath>

#include "harness/core/error.hpp"
#include "harness/core/method.hpp"
#include "harness/core/run_context.hpp"
#include "methods/common/pretrain_params.hpp"
#include "methods/common/svdd.hpp"
#include "methods/common/torch_env.hpp"

namespace ocb::methods {

class DeepSvdd final : public core::Method {
 public:
  // 2: the direct kernels' fused multiply-adds and eight-lane sums (the same bytes on every CPU).
  static constexpr int numerics_version = 2;
  struct Params {
    NetParams net;
    PretrainParams pretrain;
    SvddParams svdd;
    bool pretrained = true;

    static core::ParamMap quick() {
      return merged(merged(quick_pretraining(), quick_training()), {{"warm_up_epochs", std::int64_t{2}}});
    }
    template <class V>
    void visit(V&& v) {
      net.visit(v);
      pretrain.visit(v);
      svdd.visit(v);
      v("pretrained", pretrained,
        "start φ from the pretrained autoencoder's encoder (the paper); false = random init, an ablation",
        core::any_value());
    }
    void check() const { svdd.check(); }
  };

  explicit DeepSvdd(Params p) : p_(std::move(p)) {}

  core::Requirements requirements() const override {
    return {0.0, p_.pretrained ? p_.pretrain.stage(p_.net) : std::string()};
  }

  void fit(const core::TrainSet& train, core::RunContext& ctx) override {
    torch_errors_translated([&] {
      device_ = torch_setup(ctx);
      const auto x = as_tensor(train.x, device_);
      const std::string arch = p_.net.architecture(train.x);
      phi_ = make_encoder(arch, p_.net.options());
      phi_->to(device_);
      if (p_.pretrained) {
        const auto stage = pretrained_autoencoder(p_.pretrain.config(p_.net, train.x), x, device_, ctx);
        copy_state(*stage.model->encoder, *phi_);
      } else {
        core::Rng init(ctx.seed_for("init"));
        init_encoder(*phi_, arch, false, init);
      }
      ctx.report().set("pretrained", p_.pretrained);
      model_ = std::make_unique<SvddModel>(phi_, p_.svdd, p_.net.batch_size, p_.net.fixed_blocks());
      model_->fit(x, {}, ctx);
    });
  }

  core::Scores score(const core::Samples& x, core::RunContext& ctx) override {
    return torch_errors_translated([&] {
      torch_setup(ctx);
      auto t = ctx.phase("embed");
      return model_->score(as_tensor(x, device_), ctx);
    });
  }

 private:
  Params p_;
  at::Device device_{at::kCPU};
  std::shared_ptr<Encoder> phi_;
  std::unique_ptr<SvddModel> model_;
};

OCB_REGISTER_METHOD(DeepSvdd, "deep_svdd", "Deep SVDD, one-class or soft-boundary objective, from the pretrained encoder")

}  // namespace ocb::methods

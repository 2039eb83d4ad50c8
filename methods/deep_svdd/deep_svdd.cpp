// Deep SVDD (Ruff et al., ICML 2018): a bias-free encoder φ, initialised from
// the pretrained autoencoder's encoder, is trained to map the normal data near
// a fixed centre c. One-class objective (eq. 4): mean |φ(x) - c|^2 + weight
// decay. Soft-boundary objective (eq. 3): R^2 + 1/ν mean max(0, |φ(x) - c|^2 -
// R^2), with R updated as the PyTorch reference does (per mini-batch
// (1-ν)-quantile after warm-up) or as the Theano code's block-coordinate
// scheme (full training set every 5 epochs after warm-up). Score =
// |φ(x) - c|^2 (soft-boundary: minus R^2). Ruff et al. 2018, §3.
#include "methods/common/svdd_method.hpp"

namespace ocb::methods {

class DeepSvdd final : public SvddFamilyMethod {
 public:
  // 2: the direct kernels' fused multiply-adds and eight-lane sums (the same
  // bytes on every CPU); per network and device: SvddFamilyParams::numerics_version.
  static constexpr int numerics_version = 2;

  struct Params : SvddFamilyParams {
    bool pretrained = true;

    static core::ParamMap quick() { return merged(SvddFamilyParams::quick(), {{"warm_up_epochs", std::int64_t{2}}}); }
    template <class V>
    void visit(V&& v) {
      SvddFamilyParams::visit(v);
      v("pretrained", pretrained,
        "start φ from the pretrained autoencoder's encoder (the paper); false = random init, an ablation",
        core::any_value());
    }
    std::vector<std::string> unused() const {
      auto keys = SvddFamilyParams::unused();
      if (!pretrained) keys.insert(keys.end(), {"ae_epochs", "ae_lr", "ae_milestones", "ae_weight_decay", "ae_train_fraction"});
      return keys;
    }
  };

  explicit DeepSvdd(Params p) : SvddFamilyMethod(p_), p_(std::move(p)) {}

  core::Requirements requirements() const override {
    return p_.pretrained ? SvddFamilyMethod::requirements() : core::Requirements{};
  }

 private:
  void train(const core::TrainSet& train, const at::Tensor& x, core::RunContext& ctx) override {
    std::shared_ptr<Encoder> phi;
    if (p_.pretrained) {
      phi = encoder_from(pretrained(train, x, ctx), train);
    } else {
      const std::string arch = p_.net.architecture(train.x);
      phi = make_encoder(arch, p_.net.options());
      phi->to(device_);
      core::Rng init(ctx.seed_for("init"));
      init_encoder(*phi, arch, false, init);
    }
    ctx.report().set("pretrained", p_.pretrained);
    model_ = make_model(phi);
    model_->fit(x, nullptr, ctx);
  }

  Params p_;
};

OCB_REGISTER_METHOD(DeepSvdd, "deep_svdd", "Deep SVDD, one-class or soft-boundary objective, from the pretrained encoder")

}  // namespace ocb::methods

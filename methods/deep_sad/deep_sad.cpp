// Deep SAD (Ruff et al., ICLR 2020): Deep SVDD with labelled samples. Per
// sample: unlabelled |φ(x) - c|^2; labelled eta (|φ(x) - c|^2 + eps)^y, i.e.
// known normals (y = +1) pulled in and known anomalies (y = -1) pushed out
// through the inverse distance (PROTOCOL.md §9.1). The pretrained encoder is
// really transferred (the reference code's key mismatch dropped it). With no
// labelled samples the loss, and so every score, equals one-class Deep SVDD's.
// The training set's composition (gamma_l, gamma_p, k_l) comes from the
// experiment (harness keys labelled_anomalies, pollution, known_anomaly_classes).
#include "harness/core/error.hpp"
#include "harness/core/method.hpp"
#include "harness/core/run_context.hpp"
#include "methods/common/pretrain_params.hpp"
#include "methods/common/svdd.hpp"
#include "methods/common/torch_env.hpp"

namespace ocb::methods {

class DeepSad final : public core::Method {
 public:
  // 2: the direct kernels' fused multiply-adds and eight-lane sums (the same bytes on every CPU).
  static constexpr int numerics_version = 2;
  struct Params {
    NetParams net;
    PretrainParams pretrain;
    SvddParams svdd;
    double eta = 1.0;
    double eps = 1e-6;

    static core::ParamMap quick() { return merged(quick_pretraining(), quick_training()); }
    template <class V>
    void visit(V&& v) {
      net.visit(v);
      pretrain.visit(v);
      svdd.visit(v);
      v("eta", eta, "weight of the labelled samples' term", core::greater_than(0));
      v("eps", eps, "added to the distance before it is inverted for labelled anomalies", core::greater_than(0));
    }
    void check() const {
      svdd.check();
      if (svdd.objective != "one-class") throw core::ParamError("objective", "must be \"one-class\" for Deep SAD");
    }
  };

  explicit DeepSad(Params p) : p_(std::move(p)) {}

  core::Requirements requirements() const override { return {0.0, p_.pretrain.stage(p_.net)}; }

  void fit(const core::TrainSet& train, core::RunContext& ctx) override {
    torch_errors_translated([&] {
      device_ = torch_setup(ctx);
      const auto x = as_tensor(train.x, device_);
      const std::string arch = p_.net.architecture(train.x);
      phi_ = make_encoder(arch, p_.net.options());
      phi_->to(device_);
      const auto stage = pretrained_autoencoder(p_.pretrain.config(p_.net, train.x), x, device_, ctx);
      copy_state(*stage.model->encoder, *phi_);
      model_ = std::make_unique<SvddModel>(phi_, p_.svdd, p_.net.batch_size, p_.net.fixed_blocks());
      std::int64_t labelled = 0;
      for (auto y : train.semi_labels) labelled += y != 0;
      ctx.report().set("labelled_samples", labelled);
      if (labelled == 0) {
        model_->fit(x, nullptr, ctx);
        return;
      }
      SemiSupervision semi;
      semi.labels = at::from_blob(const_cast<std::int8_t*>(train.semi_labels.data()),
                                  {static_cast<std::int64_t>(train.semi_labels.size())}, at::kChar)
                        .to(device_, /*non_blocking=*/false, /*copy=*/true);
      semi.eta = p_.eta;
      semi.eps = p_.eps;
      model_->fit(x, &semi, ctx);
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

OCB_REGISTER_METHOD(DeepSad, "deep_sad", "Deep SAD: Deep SVDD with labelled normals and anomalies (eta, eps)")

}  // namespace ocb::methods

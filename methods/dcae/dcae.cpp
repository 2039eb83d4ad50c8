// DCAE, the deep convolutional autoencoder baseline of Ruff et al. 2018
// (Table 1): the pretraining autoencoder of the same cell, scored by the
// per-sample sum of squared reconstruction errors (the PyTorch reference's AE loss).
#include "harness/core/method.hpp"
#include "harness/core/run_context.hpp"
#include "methods/common/pretrain_params.hpp"
#include "methods/common/torch_env.hpp"

namespace ocb::methods {

class Dcae final : public core::Method {
 public:
  // 2: the direct kernels' fused multiply-adds and eight-lane sums (the same
  // bytes on every CPU); per network and device: Params::numerics_version.
  static constexpr int numerics_version = 2;
  struct Params {
    NetParams net;
    PretrainParams pretrain;

    static core::ParamMap quick() { return quick_pretraining(); }
    int numerics_version(const core::Shape& sample, const std::string& device) const {
      return net.numerics_version(sample, device);
    }
    template <class V>
    void visit(V&& v) {
      net.visit(v);
      pretrain.visit(v);
    }
  };

  explicit Dcae(Params p) : p_(std::move(p)) {}

  core::Requirements requirements() const override { return {0.0, p_.pretrain.stage(p_.net)}; }

  void fit(const core::TrainSet& train, core::RunContext& ctx) override {
    torch_errors_translated([&] {
      device_ = torch_setup(ctx);
      stage_ = pretrained_autoencoder(p_.pretrain.config(p_.net, train.x), as_tensor(train.x, device_), device_, ctx);
    });
  }

  core::Scores score(const core::Samples& x, core::RunContext& ctx) override {
    return torch_errors_translated([&] {
      torch_setup(ctx);
      auto t = ctx.phase("reconstruct");
      const auto err = reconstruction_errors(*stage_.model, as_tensor(x, device_)).to(at::kCPU).to(at::kDouble).contiguous();
      return core::Scores(err.data_ptr<double>(), err.data_ptr<double>() + err.numel());
    });
  }

 private:
  Params p_;
  at::Device device_{at::kCPU};
  AeStage stage_;
};

OCB_REGISTER_METHOD(Dcae, "dcae", "deep convolutional autoencoder, reconstruction error (the pretraining stage)")

}  // namespace ocb::methods

// Hybrid Deep SVDD, ocbench's corrected version of the "SVDD + reconstruction"
// variant (PROTOCOL.md Part 1 §6 and §8): one shared bias-free encoder φ and
// the pretrained decoder, both initialised from the pretrained autoencoder and
// both trained on mu1 * (Deep SVDD loss) + mu2 * (mean per-sample sum of
// squared reconstruction errors). In the reference code [H] the
// reconstruction term used a frozen, separate autoencoder and so changed
// nothing; here it shapes φ. Score: the distance (as [H]) or, with
// score = "distance_plus_reconstruction", distance + (mu2/mu1) * reconstruction error.
#include "harness/core/method.hpp"
#include "harness/core/run_context.hpp"
#include "methods/common/pretrain_params.hpp"
#include "methods/common/svdd.hpp"
#include "methods/common/torch_env.hpp"

namespace ocb::methods {

class HybridSvdd final : public core::Method {
 public:
  // 2: the direct kernels' fused multiply-adds and eight-lane sums (the same bytes on every CPU).
  static constexpr int numerics_version = 2;
  struct Params {
    NetParams net;
    PretrainParams pretrain;
    SvddParams svdd;
    double mu1 = 1.0;
    double mu2 = 0.1;
    std::string score = "distance";

    static core::ParamMap quick() { return merged(quick_pretraining(), quick_training()); }
    template <class V>
    void visit(V&& v) {
      net.visit(v);
      pretrain.visit(v);
      svdd.visit(v);
      v("mu1", mu1, "weight of the SVDD term", core::greater_than(0));
      v("mu2", mu2, "weight of the reconstruction term (the reference grid: 0.1, 0.5, 1, 2)", core::at_least(0));
      v("score", score, "distance, or distance_plus_reconstruction (distance + mu2/mu1 x reconstruction error)",
        core::one_of({"distance", "distance_plus_reconstruction"}));
    }
    void check() const { svdd.check(); }
  };

  explicit HybridSvdd(Params p) : p_(std::move(p)) {}

  core::Requirements requirements() const override { return {0.0, p_.pretrain.stage(p_.net)}; }

  void fit(const core::TrainSet& train, core::RunContext& ctx) override {
    torch_errors_translated([&] {
      device_ = torch_setup(ctx);
      const auto x = as_tensor(train.x, device_);
      auto stage = pretrained_autoencoder(p_.pretrain.config(p_.net, train.x), x, device_, ctx);
      // The stage's model was loaded for this cell alone: train it in place.
      ae_ = stage.model;
      model_ = std::make_unique<SvddModel>(ae_->encoder, p_.svdd, p_.net.batch_size, p_.net.fixed_blocks());
      const ReconstructionTerm recon{ae_->decoder, p_.mu1, p_.mu2};
      model_->fit(x, nullptr, ctx, &recon);
      ae_->eval();
      ctx.report().set("mu1", p_.mu1);
      ctx.report().set("mu2", p_.mu2);
    });
  }

  core::Scores score(const core::Samples& x, core::RunContext& ctx) override {
    return torch_errors_translated([&] {
      torch_setup(ctx);
      auto t = ctx.phase("embed");
      const auto xt = as_tensor(x, device_);
      auto s = model_->score(xt, ctx);
      if (p_.score == "distance_plus_reconstruction") {
        const auto err = reconstruction_errors(*ae_, xt).to(at::kCPU).to(at::kDouble).contiguous();
        for (std::size_t i = 0; i < s.size(); ++i) s[i] += p_.mu2 / p_.mu1 * err.data_ptr<double>()[i];
      }
      return s;
    });
  }

 private:
  Params p_;
  at::Device device_{at::kCPU};
  std::shared_ptr<Autoencoder> ae_;
  std::unique_ptr<SvddModel> model_;
};

OCB_REGISTER_METHOD(HybridSvdd, "hybrid_svdd", "hybrid Deep SVDD: encoder and decoder trained on mu1 SVDD + mu2 reconstruction")

}  // namespace ocb::methods

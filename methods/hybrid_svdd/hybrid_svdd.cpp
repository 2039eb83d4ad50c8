// Hybrid Deep SVDD, ocbench's corrected version of the "SVDD + reconstruction"
// variant of the reference code [H]: one shared bias-free encoder φ and
// the pretrained decoder, both initialised from the pretrained autoencoder and
// both trained on mu1 * (Deep SVDD loss) + mu2 * (mean per-sample sum of
// squared reconstruction errors). In the reference code [H] the
// reconstruction term used a frozen, separate autoencoder and so changed
// nothing; here it shapes φ. Score: the distance (as [H]) or, with
// score = "distance_plus_reconstruction", distance + (mu2/mu1) * reconstruction error.
#include "methods/common/svdd_method.hpp"

namespace ocb::methods {

class HybridSvdd final : public SvddFamilyMethod {
 public:
  // 2: the direct kernels' fused multiply-adds and eight-lane sums (the same
  // bytes on every CPU); per network and device: SvddFamilyParams::numerics_version.
  static constexpr int numerics_version = 2;

  struct Params : SvddFamilyParams {
    double mu1 = 1.0;
    double mu2 = 0.1;
    std::string score = "distance";

    template <class V>
    void visit(V&& v) {
      SvddFamilyParams::visit(v);
      v("mu1", mu1, "weight of the SVDD term", core::greater_than(0));
      v("mu2", mu2, "weight of the reconstruction term (the reference grid: 0.1, 0.5, 1, 2)", core::at_least(0));
      v("score", score, "distance, or distance_plus_reconstruction (distance + mu2/mu1 x reconstruction error)",
        core::one_of({"distance", "distance_plus_reconstruction"}));
    }
  };

  explicit HybridSvdd(Params p) : SvddFamilyMethod(p_), p_(std::move(p)) {}

 private:
  void train(const core::TrainSet& train, const at::Tensor& x, core::RunContext& ctx) override {
    // The stage's model was loaded for this cell alone: φ and the decoder train in place.
    ae_ = pretrained(train, x, ctx).model;
    model_ = make_model(ae_->encoder);
    const ReconstructionTerm recon{ae_->decoder, p_.mu1, p_.mu2};
    model_->fit(x, nullptr, ctx, &recon);
    ae_->eval();
    ctx.report().set("mu1", p_.mu1);
    ctx.report().set("mu2", p_.mu2);
  }

  void adjust_scores(const at::Tensor& x, core::Scores& s) override {
    if (p_.score != "distance_plus_reconstruction") return;
    const auto err = reconstruction_errors(*ae_, x).to(at::kCPU).to(at::kDouble).contiguous();
    for (std::size_t i = 0; i < s.size(); ++i) s[i] += p_.mu2 / p_.mu1 * err.data_ptr<double>()[i];
  }

  Params p_;
  std::shared_ptr<Autoencoder> ae_;
};

OCB_REGISTER_METHOD(HybridSvdd, "hybrid_svdd", "hybrid Deep SVDD: encoder and decoder trained on mu1 SVDD + mu2 reconstruction")

}  // namespace ocb::methods

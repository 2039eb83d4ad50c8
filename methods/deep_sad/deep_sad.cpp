// Deep SAD (Ruff et al., ICLR 2020): Deep SVDD with labelled samples. Per
// sample: unlabelled |φ(x) - c|^2; labelled eta (|φ(x) - c|^2 + eps)^y, i.e.
// known normals (y = +1) pulled in and known anomalies (y = -1) pushed out
// through the inverse distance (Ruff et al., ICLR 2020, eq. 7). The pretrained encoder is
// really transferred (the reference code's key mismatch dropped it). With no
// labelled samples the loss, and so every score, equals one-class Deep SVDD's.
// The training set's composition (gamma_l, gamma_p, k_l) comes from the
// experiment (harness keys labelled_anomalies, pollution, known_anomaly_classes).
#include "methods/common/svdd_method.hpp"

namespace ocb::methods {

class DeepSad final : public SvddFamilyMethod {
 public:
  // 2: the direct kernels' fused multiply-adds and eight-lane sums (the same
  // bytes on every CPU); per network and device: SvddFamilyParams::numerics_version.
  static constexpr int numerics_version = 2;

  struct Params : SvddFamilyParams {
    double eta = 1.0;
    double eps = 1e-6;

    template <class V>
    void visit(V&& v) {
      SvddFamilyParams::visit(v);
      v("eta", eta, "weight of the labelled samples' term", core::greater_than(0));
      v("eps", eps, "added to the distance before it is inverted for labelled anomalies", core::greater_than(0));
    }
    void check() const {
      SvddFamilyParams::check();
      if (svdd.objective != "one-class") throw core::ParamError("objective", "must be \"one-class\" for Deep SAD");
    }
    // Deep SAD has no soft boundary.
    std::vector<std::string> unused() const { return {"objective", "nu", "radius_rule", "warm_up_epochs"}; }
  };

  explicit DeepSad(Params p) : SvddFamilyMethod(p_), p_(std::move(p)) {}

 private:
  void train(const core::TrainSet& train, const at::Tensor& x, core::RunContext& ctx) override {
    model_ = make_model(encoder_from(pretrained(train, x, ctx), train));
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
  }

  Params p_;
};

OCB_REGISTER_METHOD(DeepSad, "deep_sad", "Deep SAD: Deep SVDD with labelled normals and anomalies (eta, eps)")

}  // namespace ocb::methods

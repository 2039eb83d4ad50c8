// The SVDD family's shared plugin code (svdd_method.hpp).
#include "methods/common/svdd_method.hpp"

namespace ocb::methods {

std::vector<std::string> SvddFamilyParams::unused() const {
  if (svdd.objective == "one-class") return {"nu", "radius_rule", "warm_up_epochs"};
  return {};
}

void SvddFamilyMethod::fit(const core::TrainSet& train, core::RunContext& ctx) {
  torch_errors_translated([&] {
    device_ = torch_setup(ctx);
    this->train(train, as_tensor(train.x, device_), ctx);
  });
}

core::Scores SvddFamilyMethod::score(const core::Samples& x, core::RunContext& ctx) {
  return torch_errors_translated([&] {
    torch_setup(ctx);
    auto t = ctx.phase("embed");
    const auto xt = as_tensor(x, device_);
    auto s = model_->score(xt, ctx);
    adjust_scores(xt, s);
    return s;
  });
}

std::optional<core::Samples> SvddFamilyMethod::represent(const core::Samples& x, core::RunContext& ctx) {
  return torch_errors_translated([&] {
    torch_setup(ctx);
    const auto z = model_->embed(as_tensor(x, device_)).to(at::kCPU).to(at::kFloat).contiguous();
    std::vector<float> data(z.data_ptr<float>(), z.data_ptr<float>() + z.numel());
    return std::optional<core::Samples>(core::Samples(core::Shape{z.size(0), z.size(1), 1, 1}, std::move(data)));
  });
}

std::optional<core::Samples> SvddFamilyMethod::explain(const core::Samples& x, core::RunContext& ctx) {
  return torch_errors_translated([&] {
    torch_setup(ctx);
    const auto cam = model_->grad_cam(as_tensor(x, device_)).to(at::kCPU).to(at::kFloat).contiguous();
    std::vector<float> data(cam.data_ptr<float>(), cam.data_ptr<float>() + cam.numel());
    return std::optional<core::Samples>(core::Samples(core::Shape{cam.size(0), 1, cam.size(2), cam.size(3)}, std::move(data)));
  });
}

AeStage SvddFamilyMethod::pretrained(const core::TrainSet& train, const at::Tensor& x, core::RunContext& ctx) const {
  return pretrained_autoencoder(base_.pretrain.config(base_.net, train.x), x, device_, ctx);
}

std::shared_ptr<Encoder> SvddFamilyMethod::encoder_from(const AeStage& stage, const core::TrainSet& train) const {
  auto phi = make_encoder(base_.net.architecture(train.x), base_.net.options());
  phi->to(device_);
  copy_state(*stage.model->encoder, *phi);
  return phi;
}

std::unique_ptr<SvddModel> SvddFamilyMethod::make_model(std::shared_ptr<Encoder> phi) const {
  return std::make_unique<SvddModel>(std::move(phi), base_.svdd, base_.net.batch_size, base_.net.fixed_blocks());
}

}  // namespace ocb::methods

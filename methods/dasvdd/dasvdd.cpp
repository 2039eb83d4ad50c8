// DASVDD (Hojjati & Armanfard, IEEE TKDE 2024): a fully connected autoencoder
// and a hypersphere centre on its code, trained by alternating updates on each
// mini-batch (Hojjati and Armanfard's DASVDD; its reference code's batch means):
//  1. autoencoder step (Adam 1e-3) on the batch's first ceil(0.9 B) samples:
//     mean squared reconstruction error + gamma * mean |code - c|^2;
//  2. centre step (Adagrad lr 1, lr decay 0.01) on the remaining samples: the
//     mean squared error between c and their mean code.
// gamma = mean over T = 10 untrained autoencoders of (reconstruction MSE) /
// (mean |code|^2); c ~ N(0, I) from the cell's seed. Score = per-sample mean
// squared reconstruction error + gamma |code - c|^2.
#include <torch/nn/modules/linear.h>
#include <torch/optim/adagrad.h>

#include <cmath>

#include "harness/core/error.hpp"
#include "harness/core/method.hpp"
#include "harness/core/run_context.hpp"
#include "methods/common/torch_env.hpp"
#include "methods/common/trainer.hpp"

namespace ocb::methods {
namespace {

// 784-1024-256-256 | 256-256-1024-784 (MNIST, Fashion-MNIST; sigmoid output) or
// 3072-1024-512-256-256 | 256-256-512-1024-3072 (CIFAR-10; leaky output), with
// biases and leaky ReLU (0.01) after every layer, the code included.
class FcAutoencoder : public torch::nn::Module {
 public:
  FcAutoencoder(std::int64_t input, core::Rng& rng) : sigmoid_(input == 784) {
    const std::vector<std::int64_t> widths = input == 784 ? std::vector<std::int64_t>{784, 1024, 256, 256}
                                                          : std::vector<std::int64_t>{input, 1024, 512, 256, 256};
    for (std::size_t i = 0; i + 1 < widths.size(); ++i) encoder_.push_back(layer(fmt::format("enc{}", i), widths[i], widths[i + 1], rng));
    for (std::size_t i = widths.size() - 1; i > 0; --i)
      decoder_.push_back(layer(fmt::format("dec{}", widths.size() - 1 - i), widths[i], widths[i - 1], rng));
  }
  at::Tensor encode(const at::Tensor& x) {
    at::Tensor h = x;
    for (auto& l : encoder_) h = at::leaky_relu(l->forward(h), 0.01);
    return h;
  }
  at::Tensor decode(const at::Tensor& code) {
    at::Tensor h = code;
    for (std::size_t i = 0; i < decoder_.size(); ++i) {
      h = decoder_[i]->forward(h);
      h = i + 1 < decoder_.size() || !sigmoid_ ? at::leaky_relu(h, 0.01) : at::sigmoid(h);
    }
    return h;
  }

 private:
  // PyTorch's default Linear initialisation, drawn from `rng`.
  torch::nn::Linear layer(const std::string& name, std::int64_t in, std::int64_t out, core::Rng& rng) {
    auto l = register_module(name, torch::nn::Linear(in, out));
    const double bound = 1.0 / std::sqrt(static_cast<double>(in));
    at::NoGradGuard guard;
    for (auto* t : {&l->weight, &l->bias}) {
      std::vector<float> v(static_cast<std::size_t>(t->numel()));
      for (auto& x : v) x = static_cast<float>(rng.uniform(-bound, bound));
      t->copy_(at::from_blob(v.data(), t->sizes(), at::kFloat));
    }
    return l;
  }
  bool sigmoid_;
  std::vector<torch::nn::Linear> encoder_, decoder_;
};

// The autoencoder step as the trainer's objective; the centre step runs in
// after_step on the rest of the same batch.
class DasvddLoss final : public Objective {
 public:
  DasvddLoss(FcAutoencoder& ae, at::Tensor& c, double gamma, double support, torch::optim::Adagrad& centre_opt)
      : ae_(ae), c_(c), gamma_(gamma), support_(support), centre_opt_(centre_opt) {}
  at::Tensor batch_loss(const at::Tensor& x, const at::Tensor&, std::int64_t) override {
    const auto flat = x.flatten(1);
    const auto k = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(support_ * static_cast<double>(flat.size(0)))));
    const auto s = flat.slice(0, 0, k);
    centre_batch_ = k < flat.size(0) ? flat.slice(0, k) : s;
    const auto code = ae_.encode(s);
    return (ae_.decode(code) - s).pow(2).mean() + gamma_ * (code - c_).pow(2).sum(1).mean();
  }
  void after_step(std::int64_t) override {
    at::Tensor target;
    {
      at::NoGradGuard guard;
      target = ae_.encode(centre_batch_).mean(0);
    }
    centre_opt_.zero_grad();
    (c_ - target).pow(2).mean().backward();
    centre_opt_.step();
  }

 private:
  FcAutoencoder& ae_;
  at::Tensor& c_;
  double gamma_, support_;
  torch::optim::Adagrad& centre_opt_;
  at::Tensor centre_batch_;
};

}  // namespace

class Dasvdd final : public core::Method {
 public:
  struct Params {
    std::int64_t epochs = 300;
    std::int64_t batch_size = 200;
    double lr = 1e-3;
    double centre_lr = 1.0;
    double centre_lr_decay = 0.01;
    double support_fraction = 0.9;
    std::int64_t gamma_models = 10;

    static core::ParamMap quick() { return {{"epochs", std::int64_t{10}}, {"gamma_models", std::int64_t{3}}}; }
    template <class V>
    void visit(V&& v) {
      v("epochs", epochs, "training epochs (the paper-era code: 300)", core::at_least(1));
      v("batch_size", batch_size, "mini-batch size (the paper-era code: 200)", core::at_least(2));
      v("lr", lr, "Adam learning rate of the autoencoder", core::greater_than(0));
      v("centre_lr", centre_lr, "Adagrad learning rate of the centre", core::greater_than(0));
      v("centre_lr_decay", centre_lr_decay, "Adagrad learning-rate decay of the centre", core::at_least(0));
      v("support_fraction", support_fraction, "share of each batch for the autoencoder step (K)", core::in_range(0, 1, true, false));
      v("gamma_models", gamma_models, "untrained autoencoders averaged to estimate gamma (T)", core::at_least(1));
    }
  };

  explicit Dasvdd(Params p) : p_(p) {}

  void fit(const core::TrainSet& train, core::RunContext& ctx) override {
    torch_errors_translated([&] {
      device_ = torch_setup(ctx);
      const auto x = as_tensor(train.x, device_);
      const std::int64_t d = train.x.features();
      {
        auto t = ctx.phase("gamma");
        gamma_ = estimate_gamma(x, d, ctx);
      }
      core::Rng init(ctx.seed_for("init"));
      ae_ = std::make_shared<FcAutoencoder>(d, init);
      ae_->to(device_);
      std::vector<float> c0(256);
      for (auto& v : c0) v = static_cast<float>(init.normal());
      c_ = at::from_blob(c0.data(), {256}, at::kFloat).clone().to(device_).requires_grad_(true);
      torch::optim::Adagrad centre_opt({c_}, torch::optim::AdagradOptions(p_.centre_lr).lr_decay(p_.centre_lr_decay));
      DasvddLoss loss(*ae_, c_, gamma_, p_.support_fraction, centre_opt);
      core::Rng shuffle(ctx.seed_for("shuffle"));
      const Schedule schedule{p_.epochs, p_.lr, {}, 0.0, p_.batch_size};
      const auto log = methods::train(*ae_, ae_->parameters(), x, loss, schedule, shuffle, ctx, "train");
      ae_->eval();
      ctx.report().set("gamma", gamma_);
      ctx.facts().curve("train", log.curve());
    });
  }

  core::Scores score(const core::Samples& x, core::RunContext& ctx) override {
    return torch_errors_translated([&] {
      torch_setup(ctx);
      auto t = ctx.phase("score");
      const auto s = map_batches(as_tensor(x, device_), p_.batch_size, [&](const at::Tensor& b) {
                       const auto flat = b.flatten(1);
                       const auto code = ae_->encode(flat);
                       return (ae_->decode(code) - flat).pow(2).mean(1) + gamma_ * (code - c_).pow(2).sum(1);
                     }).to(at::kCPU).to(at::kDouble).contiguous();
      return core::Scores(s.data_ptr<double>(), s.data_ptr<double>() + s.numel());
    });
  }

 private:
  // gamma_t = (mean over batches of the reconstruction MSE) / (mean over
  // batches of the batch-mean |code|^2) of an untrained autoencoder; gamma =
  // the mean over T of them.
  double estimate_gamma(const at::Tensor& x, std::int64_t d, core::RunContext& ctx) const {
    core::Rng rng(ctx.seed_for("gamma"));
    at::NoGradGuard guard;
    double gamma = 0.0;
    for (std::int64_t t = 0; t < p_.gamma_models; ++t) {
      FcAutoencoder ae(d, rng);
      ae.to(device_);
      double re = 0.0, r = 0.0;
      std::int64_t batches = 0;
      for (std::int64_t start = 0; start < x.size(0); start += p_.batch_size, ++batches) {
        const auto b = x.slice(0, start, std::min(x.size(0), start + p_.batch_size)).flatten(1);
        const auto code = ae.encode(b);
        re += (ae.decode(code) - b).pow(2).mean().item<double>();
        r += code.pow(2).sum(1).mean().item<double>();
      }
      gamma += (re / static_cast<double>(batches)) / (r / static_cast<double>(batches));
    }
    return gamma / static_cast<double>(p_.gamma_models);
  }

  Params p_;
  at::Device device_{at::kCPU};
  std::shared_ptr<FcAutoencoder> ae_;
  at::Tensor c_;
  double gamma_ = 0.0;
};

OCB_REGISTER_METHOD(Dasvdd, "dasvdd", "DASVDD: autoencoder and hypersphere on its code, alternating updates")

}  // namespace ocb::methods

// One training step of the paper's networks, as the benchmarks and the
// profiler time it: the encoder under the Deep SVDD loss or the autoencoder
// under the reconstruction loss, one Adam step on a random batch of the
// architecture's image size. Header-only, for tests/bench's programs.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>

#include "harness/core/rng.hpp"
#include "methods/common/networks.hpp"

namespace ocb::bench {

struct TrainStep {
  TrainStep(const std::string& arch, bool autoencoder, methods::ops::Kernels kernels, std::int64_t batch)
      : autoencoder_(autoencoder) {
    methods::NetOptions o;
    o.kernels = kernels;
    enc_ = methods::make_encoder(arch, o);
    auto dec = methods::make_decoder(arch, o);
    ae_ = std::make_shared<methods::Autoencoder>(enc_, dec);
    core::Rng rng(1);
    methods::init_encoder(*enc_, arch, autoencoder, rng);
    methods::init_decoder(*dec, arch, rng);
    ae_->train();
    const bool gray = arch == "mnist_lenet";
    torch::manual_seed(0);
    x_ = torch::rand({batch, gray ? 1 : 3, gray ? 28 : 32, gray ? 28 : 32});
    c_ = torch::randn({enc_->rep_dim()});
    adam_ = std::make_unique<torch::optim::Adam>(autoencoder ? ae_->parameters() : enc_->parameters(), torch::optim::AdamOptions(1e-4));
  }
  void zero_grad() { adam_->zero_grad(); }
  at::Tensor loss() {
    return autoencoder_ ? (ae_->forward(x_) - x_).pow(2).flatten(1).sum(1).mean() : (enc_->forward(x_) - c_).pow(2).sum(1).mean();
  }
  void optimizer_step() { adam_->step(); }
  void operator()() {
    zero_grad();
    loss().backward();
    optimizer_step();
  }

 private:
  bool autoencoder_;
  std::shared_ptr<methods::Encoder> enc_;
  std::shared_ptr<methods::Autoencoder> ae_;
  at::Tensor x_, c_;
  std::unique_ptr<torch::optim::Adam> adam_;
};

}  // namespace ocb::bench

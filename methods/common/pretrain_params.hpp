// The parameters of the autoencoder pretraining stage, shared by DCAE and by
// every method that starts from the pretrained encoder. Cells whose values are
// all equal share one pretraining. Defaults: the PyTorch reference's MNIST
// command (its README); CIFAR-10 experiments set 350 epochs,
// milestone 250, weight decay 0.5e-6.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/core/params.hpp"
#include "harness/core/samples.hpp"
#include "methods/common/autoencoder.hpp"

namespace ocb::methods {

struct NetParams {
  std::string network = "auto";
  double leaky_slope = 0.01;
  bool bn_affine = false;
  std::string kernels = "native";
  std::int64_t batch_size = 200;
  std::string batching = "reshuffle";

  template <class V>
  void visit(V&& v) {
    v("network", network, "network architecture; auto picks mnist_lenet (1x28x28) or cifar10_lenet (3x32x32)",
      core::one_of({"auto", "mnist_lenet", "cifar10_lenet", "gtsrb_lenet"}));
    v("leaky_slope", leaky_slope, "negative slope of the leaky ReLUs (code: 0.01, paper text: 0.1)", core::in_range(0, 1));
    v("bn_affine", bn_affine, "learnable BatchNorm gamma/beta (the Theano code's default; PyTorch code: false)",
      core::any_value());
    v("kernels", kernels, "CPU kernels: native (ocbench's) or torch (LibTorch's, the reference)",
      core::one_of({"native", "torch"}));
    v("batch_size", batch_size, "mini-batch size of every training phase", core::at_least(1));
    v("batching", batching,
      "reshuffle (PyTorch code: a new permutation each epoch, last partial batch kept) or theano_blocks (Theano "
      "code: a seeded draw keeps the largest multiple of batch_size, cut once into fixed blocks whose order is "
      "shuffled each epoch)",
      core::added_later(core::one_of({"reshuffle", "theano_blocks"})));
  }
  bool fixed_blocks() const { return batching == "theano_blocks"; }
  NetOptions options() const;
  // The numerics version of cells on samples of this shape on this device
  // (network_numerics_version of the network they get).
  int numerics_version(const core::Shape& sample, const std::string& device) const;
  std::string architecture(const core::Samples& x) const;
};

struct PretrainParams {
  std::int64_t ae_epochs = 150;
  double ae_lr = 1e-4;
  std::vector<std::int64_t> ae_milestones{50};
  double ae_weight_decay = 0.5e-3;
  double ae_train_fraction = 1.0;

  template <class V>
  void visit(V&& v) {
    v("ae_epochs", ae_epochs, "autoencoder pretraining epochs", core::at_least(1));
    v("ae_lr", ae_lr, "autoencoder Adam learning rate", core::greater_than(0));
    v("ae_milestones", ae_milestones, "epochs from which the autoencoder's learning rate is divided by 10",
      core::any_value());
    v("ae_weight_decay", ae_weight_decay, "autoencoder Adam weight decay (coupled L2)", core::at_least(0));
    v("ae_train_fraction", ae_train_fraction,
      "share of the training set the autoencoder trains on, a seeded draw (the Theano DCAE script: 5/6, "
      "0.8333333333333334)",
      core::added_later(core::in_range(0, 1, true, false)));
  }
  AeConfig config(const NetParams& net, const core::Samples& x) const;
  // The stage key for the runner's grouping (independent of the data).
  std::string stage(const NetParams& net) const;
};

// quick() settings of the deep methods (the CI gate's, and the conformance
// suite's): a short pretraining, and a short training phase after it.
core::ParamMap quick_pretraining();
core::ParamMap quick_training();  // epochs, milestones, lr
core::ParamMap merged(core::ParamMap a, const core::ParamMap& b);

}  // namespace ocb::methods

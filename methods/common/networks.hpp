// The paper's networks (Ruff et al. 2018, §4.1): LeNet-type encoders φ without bias
// terms, with BatchNorm (eps 1e-4, affine-free by default) and leaky ReLU, and
// the decoders of their autoencoders. Built from methods/common/ops, so the
// same module runs on ocbench's CPU kernels or on LibTorch's (CPU or CUDA).
#pragma once

#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/rng.hpp"
#include "methods/common/ops.hpp"
#include "methods/common/trainer.hpp"

namespace ocb::methods {

struct NetOptions {
  double leaky_slope = 0.01;  // PyTorch/Theano code; the paper's text says 0.1
  bool bn_affine = false;     // the Theano code learns BatchNorm's gamma and beta
  double bn_eps = 1e-4;
  double bn_momentum = 0.1;
  ops::Kernels kernels = ops::Kernels::native;
  std::string canonical() const;  // every option, for keys
};

// A 5x5 convolution (or transposed convolution), stride 1, no bias.
class Conv5x5Impl : public torch::nn::Module {
 public:
  Conv5x5Impl(std::int64_t in, std::int64_t out, std::int64_t pad, bool transposed, ops::Kernels kernels);
  at::Tensor forward(const at::Tensor& x);
  // forward(upsample2x(x)), with x read upsampled as it is loaded (ops'
  // `upsampled`: the same bytes, without the upsampled copy).
  at::Tensor forward_upsampled(const at::Tensor& x);
  // K cells' layers as one (ops::group_conv5x5); layers[0] alone is forward().
  static at::Tensor forward_group(const std::vector<Conv5x5Impl*>& layers, const at::Tensor& x);
  std::int64_t pad() const { return pad_; }
  bool transposed() const { return transposed_; }
  ops::Kernels kernels() const { return kernels_; }
  at::Tensor weight;

 private:
  std::int64_t pad_;
  bool transposed_;
  ops::Kernels kernels_;
};

class BatchNormImpl : public torch::nn::Module {
 public:
  BatchNormImpl(std::int64_t channels, const NetOptions& o);
  at::Tensor forward(const at::Tensor& x);
  // leaky_relu(forward(x)) then `after` (pooling, upsampling or nothing), fused where the kernels allow.
  at::Tensor forward_act(const at::Tensor& x, ops::After after);
  // K cells' layers as one (ops::group_batch_norm): forward (act: nullopt)
  // or forward_act; one layer gets exactly those ops (group_batch_norm's
  // single-cell path).
  static at::Tensor forward_group(const std::vector<BatchNormImpl*>& layers, const at::Tensor& x,
                                  std::optional<ops::After> act);
  at::Tensor running_mean, running_var, weight, bias;  // weight/bias undefined when affine-free

 private:
  NetOptions o_;
};

// x -> code [N, rep_dim]; forward(x) is from_last_conv(last_conv(x)), split
// where Grad-CAM reads the feature maps (the last convolution block's
// activations, before its pooling).
class Encoder : public torch::nn::Module {
 public:
  virtual at::Tensor forward(const at::Tensor& x) = 0;
  // K encoders of this one's class as one network (trainer.hpp's batched
  // training): x holds the K cells' inputs side by side along dim 1
  // ([N, K*C, H, W]), the result their codes ([N, K*rep_dim]). On the CPU
  // each cell's values are the bytes of its own forward().
  virtual at::Tensor forward_group(const std::vector<Encoder*>& nets, const at::Tensor& x) = 0;
  virtual at::Tensor last_conv(const at::Tensor& x) = 0;
  virtual at::Tensor from_last_conv(const at::Tensor& a) = 0;
  virtual std::int64_t rep_dim() const = 0;
  virtual const NetOptions& options() const = 0;
};

// code -> reconstruction in the input's shape.
class Decoder : public torch::nn::Module {
 public:
  virtual at::Tensor forward(const at::Tensor& code) = 0;
  // As Encoder::forward_group: codes [N, K*rep_dim] -> [N, K*C, H, W].
  virtual at::Tensor forward_group(const std::vector<Decoder*>& nets, const at::Tensor& code) = 0;
  virtual const NetOptions& options() const = 0;
};

class Autoencoder : public torch::nn::Module {
 public:
  Autoencoder(std::shared_ptr<Encoder> encoder, std::shared_ptr<Decoder> decoder);
  at::Tensor forward(const at::Tensor& x) { return decoder->forward(encoder->forward(x)); }
  static at::Tensor forward_group(const std::vector<Autoencoder*>& nets, const at::Tensor& x);
  std::shared_ptr<Encoder> encoder;
  std::shared_ptr<Decoder> decoder;
};

// The trainer's batching of encoders and autoencoders of this network's
// class and options (trainer.hpp).
Batching batching_of(const Encoder& e);
Batching batching_of(const Autoencoder& ae);

// Architectures: "mnist_lenet" (1x28x28, rep 32), "cifar10_lenet" (3x32x32,
// rep 128), "gtsrb_lenet" (3x32x32, rep 32). "auto" picks mnist_lenet or
// cifar10_lenet by input shape.
std::string resolve_architecture(const std::string& name, std::int64_t c, std::int64_t h, std::int64_t w);

// The numerics version of a network's training on a device ("cpu", "cuda",
// "cuda-fp32") with these kernels: what its cells' records carry as their
// method version (NetParams::numerics_version) and what the autoencoder
// cache's key holds, so that weights and scores of two versions never mix.
// 2: the direct kernels' fused multiply-adds and eight-lane sums (the same
// bytes on every CPU). 3: cifar10_lenet on the CPU with the native kernels,
// whose many-channel layers (32->64, 64->128 and their mirrors) moved from
// oneDNN to the direct kernels, their weight gradients to another order
// (kernels/conv5x5.hpp: conv5x5_weight_grad_channels).
int network_numerics_version(const std::string& arch, const std::string& device, ops::Kernels kernels);
std::shared_ptr<Encoder> make_encoder(const std::string& arch, const NetOptions& o);
std::shared_ptr<Decoder> make_decoder(const std::string& arch, const NetOptions& o);

// Initialisation, drawn from `rng` in module order (reproducible on any
// device): PyTorch's defaults (uniform +-1/sqrt(fan_in)); for the CIFAR-10
// autoencoder's convolutions, Xavier-uniform with the leaky-ReLU gain, as the
// reference code does.
void init_encoder(Encoder& e, const std::string& arch, bool autoencoder, core::Rng& rng);
void init_decoder(Decoder& d, const std::string& arch, core::Rng& rng);

// Copies every parameter and buffer of `from` into the same-named tensors of
// `to` (the encoder's weights and BatchNorm statistics into φ).
void copy_state(const torch::nn::Module& from, torch::nn::Module& to);

// Multiply-adds per sample, for GFLOP/s and for what a target asks of a core:
// of the forward pass, and of a training step (the forward pass, every
// weight gradient, and every input gradient but the network input's, which
// the trainer never computes). `all` counts every tap of every 5x5 window, as
// the benchmarks' rates do; `inside` only the taps that land inside the
// input, not on its zero padding (a convolution that skips the padding does
// that many).
struct MacCount {
  double forward = 0, forward_inside = 0, training = 0, training_inside = 0;
};
MacCount macs(const std::string& arch, bool with_decoder);

// One layer of a network, as the counts see it: a 5x5 convolution on an
// h x w input with padding `pad` (a transposed one counts as the convolution
// it equals: padding 4 - pad on the flipped kernel), or, with h = 0, a dense
// layer from cin to cout.
struct LayerShape {
  std::int64_t cin, cout, h = 0, w = 0, pad = 0;
  bool transposed = false;
};
// The layers of `arch` in order, the encoder's first, then (with_decoder) the decoder's.
std::vector<LayerShape> network_layers(const std::string& arch, bool with_decoder);
struct LayerMacs {
  double all, inside;
};
// One layer's multiply-adds per sample.
LayerMacs layer_macs(const LayerShape& layer);

}  // namespace ocb::methods

// The paper's networks (networks.hpp; Ruff et al. 2018, §4.1 and appendix): MNIST and CIFAR-10 LeNets.
#include "methods/common/networks.hpp"

#include <cmath>
#include <typeinfo>
#include <vector>

#include "harness/core/error.hpp"

namespace ocb::methods {
namespace {

void fill_uniform(at::Tensor& t, double bound, core::Rng& rng) {
  at::NoGradGuard guard;
  std::vector<float> v(static_cast<std::size_t>(t.numel()));
  for (auto& x : v) x = static_cast<float>(rng.uniform(-bound, bound));
  t.copy_(at::from_blob(v.data(), t.sizes(), at::kFloat));
}

// PyTorch's fan-in of a weight: size(1) times the receptive field (also for
// transposed convolutions, whose size(1) is the output channels).
double fan_in(const at::Tensor& w) { return static_cast<double>(w.size(1) * (w.dim() > 2 ? w.size(2) * w.size(3) : 1)); }
double fan_out(const at::Tensor& w) { return static_cast<double>(w.size(0) * (w.dim() > 2 ? w.size(2) * w.size(3) : 1)); }

void default_init(at::Tensor& w, core::Rng& rng) { fill_uniform(w, 1.0 / std::sqrt(fan_in(w)), rng); }
void xavier_leaky_init(at::Tensor& w, core::Rng& rng) {
  const double gain = std::sqrt(2.0 / (1.0 + 0.01 * 0.01));
  fill_uniform(w, gain * std::sqrt(6.0 / (fan_in(w) + fan_out(w))), rng);
}

at::Tensor new_weight(torch::nn::Module& m, const std::string& name, at::IntArrayRef shape) {
  return m.register_parameter(name, at::zeros(shape));
}

// K networks of class Net run as one (Encoder::forward_group): each layer
// gathers the K cells' weights. With one network every call is exactly that
// network's own op, so forward() goes through it too and the architecture is
// written once.
template <class Net>
class Stack {
 public:
  explicit Stack(std::vector<Net*> nets) : nets_(std::move(nets)) {}
  std::int64_t k() const { return static_cast<std::int64_t>(nets_.size()); }
  at::Tensor conv(std::shared_ptr<Conv5x5Impl> Net::*layer, const at::Tensor& x) const {
    return Conv5x5Impl::forward_group(gather(layer), x);
  }
  at::Tensor bn(std::shared_ptr<BatchNormImpl> Net::*layer, const at::Tensor& x) const {
    return BatchNormImpl::forward_group(gather(layer), x, std::nullopt);
  }
  at::Tensor bn_act(std::shared_ptr<BatchNormImpl> Net::*layer, const at::Tensor& x, ops::After after) const {
    return BatchNormImpl::forward_group(gather(layer), x, after);
  }
  // conv(upsample2x(x)): one cell's convolution reads x upsampled as it loads
  // it (Conv5x5Impl::forward_upsampled), K cells' get the upsampled copy.
  at::Tensor conv_up(std::shared_ptr<Conv5x5Impl> Net::*layer, const at::Tensor& x) const {
    if (k() == 1) return (nets_[0]->*layer)->forward_upsampled(x);
    return conv(layer, ops::upsample2x(x, (nets_[0]->*layer)->kernels()));
  }
  // conv(bn_act(x, upsample2x)): one cell's norm layer writes its activations
  // once, at their own size, for conv_up; K cells' upsample in the norm layer.
  // The same bytes either way.
  at::Tensor bn_act_conv_up(std::shared_ptr<BatchNormImpl> Net::*norm, const at::Tensor& x,
                            std::shared_ptr<Conv5x5Impl> Net::*layer) const {
    if (k() == 1) return conv_up(layer, bn_act(norm, x, ops::After::none));
    return conv(layer, bn_act(norm, x, ops::After::upsample2x));
  }
  // x [N, K*F] -> [N, K*R]
  at::Tensor linear(at::Tensor Net::*weight, const at::Tensor& x) const {
    std::vector<at::Tensor> w;
    for (Net* n : nets_) w.push_back(n->*weight);
    return ops::group_linear(x, w);
  }

 private:
  template <class Layer>
  std::vector<Layer*> gather(std::shared_ptr<Layer> Net::*layer) const {
    std::vector<Layer*> out;
    for (Net* n : nets_) out.push_back((n->*layer).get());
    return out;
  }
  std::vector<Net*> nets_;
};

// The networks of a group as their (common) class.
template <class Net, class Base>
Stack<Net> stack_of(const std::vector<Base*>& nets) {
  std::vector<Net*> out;
  for (Base* b : nets) {
    auto* n = dynamic_cast<Net*>(b);
    if (!n) throw core::Error("forward_group: the networks of a group must have one architecture");
    out.push_back(n);
  }
  return Stack<Net>(std::move(out));
}

// ---------------------------------------------------------------- MNIST
class MnistEncoder final : public Encoder {
  using S = Stack<MnistEncoder>;

 public:
  explicit MnistEncoder(const NetOptions& o) : o_(o) {
    conv1 = register_module("conv1", std::make_shared<Conv5x5Impl>(1, 8, 2, false, o.kernels));
    bn1 = register_module("bn1", std::make_shared<BatchNormImpl>(8, o));
    conv2 = register_module("conv2", std::make_shared<Conv5x5Impl>(8, 4, 2, false, o.kernels));
    bn2 = register_module("bn2", std::make_shared<BatchNormImpl>(4, o));
    fc1 = new_weight(*this, "fc1", {32, 4 * 7 * 7});
  }
  // forward() pools inside the last block's fused op; last_conv() and
  // from_last_conv() split it for Grad-CAM (the same bytes).
  at::Tensor forward(const at::Tensor& x) override { return run(S({this}), x); }
  at::Tensor forward_group(const std::vector<Encoder*>& nets, const at::Tensor& x) override {
    return run(stack_of<MnistEncoder>(nets), x);
  }
  at::Tensor last_conv(const at::Tensor& x) override { return blocks(S({this}), x, ops::After::none); }
  at::Tensor from_last_conv(const at::Tensor& a) override { return head(S({this}), ops::max_pool2x2(a, o_.kernels)); }
  std::int64_t rep_dim() const override { return 32; }
  std::shared_ptr<Conv5x5Impl> conv1, conv2;
  std::shared_ptr<BatchNormImpl> bn1, bn2;
  at::Tensor fc1;

  const NetOptions& options() const override { return o_; }

 private:
  at::Tensor run(const S& s, const at::Tensor& x) { return head(s, blocks(s, x, ops::After::pool2x2)); }
  at::Tensor blocks(const S& s, const at::Tensor& x, ops::After last) {
    const auto h = s.bn_act(&MnistEncoder::bn1, s.conv(&MnistEncoder::conv1, x), ops::After::pool2x2);
    return s.bn_act(&MnistEncoder::bn2, s.conv(&MnistEncoder::conv2, h), last);
  }
  at::Tensor head(const S& s, const at::Tensor& pooled) { return s.linear(&MnistEncoder::fc1, pooled.flatten(1)); }
  NetOptions o_;
};

class MnistDecoder final : public Decoder {
  using S = Stack<MnistDecoder>;

 public:
  explicit MnistDecoder(const NetOptions& o) : o_(o) {
    deconv1 = register_module("deconv1", std::make_shared<Conv5x5Impl>(2, 4, 2, true, o.kernels));
    bn3 = register_module("bn3", std::make_shared<BatchNormImpl>(4, o));
    deconv2 = register_module("deconv2", std::make_shared<Conv5x5Impl>(4, 8, 3, true, o.kernels));
    bn4 = register_module("bn4", std::make_shared<BatchNormImpl>(8, o));
    deconv3 = register_module("deconv3", std::make_shared<Conv5x5Impl>(8, 1, 2, true, o.kernels));
  }
  at::Tensor forward(const at::Tensor& code) override { return run(S({this}), code); }
  at::Tensor forward_group(const std::vector<Decoder*>& nets, const at::Tensor& code) override {
    return run(stack_of<MnistDecoder>(nets), code);
  }
  std::shared_ptr<Conv5x5Impl> deconv1, deconv2, deconv3;
  std::shared_ptr<BatchNormImpl> bn3, bn4;

  const NetOptions& options() const override { return o_; }

 private:
  at::Tensor run(const S& s, const at::Tensor& code) {
    // Each transposed convolution reads its input upsampled by 2: 4 -> 8, 8 -> 16 (out 14), 14 -> 28.
    auto h = s.conv_up(&MnistDecoder::deconv1, at::leaky_relu(code.view({code.size(0), 2 * s.k(), 4, 4}), o_.leaky_slope));
    h = s.bn_act_conv_up(&MnistDecoder::bn3, h, &MnistDecoder::deconv2);
    return at::sigmoid(s.bn_act_conv_up(&MnistDecoder::bn4, h, &MnistDecoder::deconv3));
  }
  NetOptions o_;
};

// ---------------------------------------------------------------- CIFAR-10
class Cifar10Encoder final : public Encoder {
  using S = Stack<Cifar10Encoder>;

 public:
  explicit Cifar10Encoder(const NetOptions& o) : o_(o) {
    conv1 = register_module("conv1", std::make_shared<Conv5x5Impl>(3, 32, 2, false, o.kernels));
    bn1 = register_module("bn1", std::make_shared<BatchNormImpl>(32, o));
    conv2 = register_module("conv2", std::make_shared<Conv5x5Impl>(32, 64, 2, false, o.kernels));
    bn2 = register_module("bn2", std::make_shared<BatchNormImpl>(64, o));
    conv3 = register_module("conv3", std::make_shared<Conv5x5Impl>(64, 128, 2, false, o.kernels));
    bn3 = register_module("bn3", std::make_shared<BatchNormImpl>(128, o));
    fc1 = new_weight(*this, "fc1", {128, 128 * 4 * 4});
  }
  at::Tensor forward(const at::Tensor& x) override { return run(S({this}), x); }
  at::Tensor forward_group(const std::vector<Encoder*>& nets, const at::Tensor& x) override {
    return run(stack_of<Cifar10Encoder>(nets), x);
  }
  at::Tensor last_conv(const at::Tensor& x) override { return blocks(S({this}), x, ops::After::none); }
  at::Tensor from_last_conv(const at::Tensor& a) override { return head(S({this}), ops::max_pool2x2(a, o_.kernels)); }
  std::int64_t rep_dim() const override { return 128; }
  std::shared_ptr<Conv5x5Impl> conv1, conv2, conv3;
  std::shared_ptr<BatchNormImpl> bn1, bn2, bn3;
  at::Tensor fc1;

  const NetOptions& options() const override { return o_; }

 private:
  at::Tensor run(const S& s, const at::Tensor& x) { return head(s, blocks(s, x, ops::After::pool2x2)); }
  at::Tensor blocks(const S& s, const at::Tensor& x, ops::After last) {
    auto h = s.bn_act(&Cifar10Encoder::bn1, s.conv(&Cifar10Encoder::conv1, x), ops::After::pool2x2);
    h = s.bn_act(&Cifar10Encoder::bn2, s.conv(&Cifar10Encoder::conv2, h), ops::After::pool2x2);
    return s.bn_act(&Cifar10Encoder::bn3, s.conv(&Cifar10Encoder::conv3, h), last);
  }
  at::Tensor head(const S& s, const at::Tensor& pooled) { return s.linear(&Cifar10Encoder::fc1, pooled.flatten(1)); }
  NetOptions o_;
};

class Cifar10Decoder final : public Decoder {
  using S = Stack<Cifar10Decoder>;

 public:
  explicit Cifar10Decoder(const NetOptions& o) : o_(o) {
    bn_code = register_module("bn_code", std::make_shared<BatchNormImpl>(128, o));  // [P]'s BatchNorm1d on the code
    deconv1 = register_module("deconv1", std::make_shared<Conv5x5Impl>(8, 128, 2, true, o.kernels));
    bn4 = register_module("bn4", std::make_shared<BatchNormImpl>(128, o));
    deconv2 = register_module("deconv2", std::make_shared<Conv5x5Impl>(128, 64, 2, true, o.kernels));
    bn5 = register_module("bn5", std::make_shared<BatchNormImpl>(64, o));
    deconv3 = register_module("deconv3", std::make_shared<Conv5x5Impl>(64, 32, 2, true, o.kernels));
    bn6 = register_module("bn6", std::make_shared<BatchNormImpl>(32, o));
    deconv4 = register_module("deconv4", std::make_shared<Conv5x5Impl>(32, 3, 2, true, o.kernels));
  }
  at::Tensor forward(const at::Tensor& code) override { return run(S({this}), code); }
  at::Tensor forward_group(const std::vector<Decoder*>& nets, const at::Tensor& code) override {
    return run(stack_of<Cifar10Decoder>(nets), code);
  }
  std::shared_ptr<BatchNormImpl> bn_code, bn4, bn5, bn6;
  std::shared_ptr<Conv5x5Impl> deconv1, deconv2, deconv3, deconv4;

  const NetOptions& options() const override { return o_; }

 private:
  at::Tensor run(const S& s, const at::Tensor& code) {
    auto h = s.bn(&Cifar10Decoder::bn_code, code).view({code.size(0), 8 * s.k(), 4, 4});
    h = s.conv(&Cifar10Decoder::deconv1, at::leaky_relu(h, o_.leaky_slope));                                 // 4x4
    h = s.bn_act_conv_up(&Cifar10Decoder::bn4, h, &Cifar10Decoder::deconv2);                                 // 8x8
    h = s.bn_act_conv_up(&Cifar10Decoder::bn5, h, &Cifar10Decoder::deconv3);                                 // 16x16
    return at::sigmoid(s.bn_act_conv_up(&Cifar10Decoder::bn6, h, &Cifar10Decoder::deconv4));                 // 32x32
  }
  NetOptions o_;
};

// ---------------------------------------------------------------- GTSRB
// The Theano code's GTSRB network (its gtsrb_cnn): two conv modules (16,
// 32 filters), a 64-unit dense layer with leaky ReLU, then the 32-d code; its
// decoder uses plain 'same' convolutions with BatchNorm before the sigmoid.
class GtsrbEncoder final : public Encoder {
  using S = Stack<GtsrbEncoder>;

 public:
  explicit GtsrbEncoder(const NetOptions& o) : o_(o) {
    conv1 = register_module("conv1", std::make_shared<Conv5x5Impl>(3, 16, 2, false, o.kernels));
    bn1 = register_module("bn1", std::make_shared<BatchNormImpl>(16, o));
    conv2 = register_module("conv2", std::make_shared<Conv5x5Impl>(16, 32, 2, false, o.kernels));
    bn2 = register_module("bn2", std::make_shared<BatchNormImpl>(32, o));
    fc1 = new_weight(*this, "fc1", {64, 32 * 8 * 8});
    fc2 = new_weight(*this, "fc2", {32, 64});
  }
  at::Tensor forward(const at::Tensor& x) override { return run(S({this}), x); }
  at::Tensor forward_group(const std::vector<Encoder*>& nets, const at::Tensor& x) override {
    return run(stack_of<GtsrbEncoder>(nets), x);
  }
  at::Tensor last_conv(const at::Tensor& x) override { return blocks(S({this}), x, ops::After::none); }
  at::Tensor from_last_conv(const at::Tensor& a) override { return head(S({this}), ops::max_pool2x2(a, o_.kernels)); }
  std::int64_t rep_dim() const override { return 32; }
  std::shared_ptr<Conv5x5Impl> conv1, conv2;
  std::shared_ptr<BatchNormImpl> bn1, bn2;
  at::Tensor fc1, fc2;

  const NetOptions& options() const override { return o_; }

 private:
  at::Tensor run(const S& s, const at::Tensor& x) { return head(s, blocks(s, x, ops::After::pool2x2)); }
  at::Tensor blocks(const S& s, const at::Tensor& x, ops::After last) {
    const auto h = s.bn_act(&GtsrbEncoder::bn1, s.conv(&GtsrbEncoder::conv1, x), ops::After::pool2x2);
    return s.bn_act(&GtsrbEncoder::bn2, s.conv(&GtsrbEncoder::conv2, h), last);
  }
  at::Tensor head(const S& s, const at::Tensor& pooled) {
    return s.linear(&GtsrbEncoder::fc2, at::leaky_relu(s.linear(&GtsrbEncoder::fc1, pooled.flatten(1)), o_.leaky_slope));
  }
  NetOptions o_;
};

class GtsrbDecoder final : public Decoder {
  using S = Stack<GtsrbDecoder>;

 public:
  explicit GtsrbDecoder(const NetOptions& o) : o_(o) {
    fc3 = new_weight(*this, "fc3", {64, 32});
    conv3 = register_module("conv3", std::make_shared<Conv5x5Impl>(1, 32, 2, false, o.kernels));
    bn3 = register_module("bn3", std::make_shared<BatchNormImpl>(32, o));
    conv4 = register_module("conv4", std::make_shared<Conv5x5Impl>(32, 16, 2, false, o.kernels));
    bn4 = register_module("bn4", std::make_shared<BatchNormImpl>(16, o));
    conv5 = register_module("conv5", std::make_shared<Conv5x5Impl>(16, 3, 2, false, o.kernels));
    bn5 = register_module("bn5", std::make_shared<BatchNormImpl>(3, o));
  }
  at::Tensor forward(const at::Tensor& code) override { return run(S({this}), code); }
  at::Tensor forward_group(const std::vector<Decoder*>& nets, const at::Tensor& code) override {
    return run(stack_of<GtsrbDecoder>(nets), code);
  }
  at::Tensor fc3;
  std::shared_ptr<Conv5x5Impl> conv3, conv4, conv5;
  std::shared_ptr<BatchNormImpl> bn3, bn4, bn5;

  const NetOptions& options() const override { return o_; }

 private:
  at::Tensor run(const S& s, const at::Tensor& code) {
    auto h = at::leaky_relu(s.linear(&GtsrbDecoder::fc3, code).view({code.size(0), s.k(), 8, 8}), o_.leaky_slope);
    h = s.bn_act_conv_up(&GtsrbDecoder::bn3, s.conv(&GtsrbDecoder::conv3, h), &GtsrbDecoder::conv4);  // 16x16
    h = s.bn_act_conv_up(&GtsrbDecoder::bn4, h, &GtsrbDecoder::conv5);                               // 32x32
    return at::sigmoid(s.bn(&GtsrbDecoder::bn5, h));
  }
  NetOptions o_;
};

}  // namespace

Conv5x5Impl::Conv5x5Impl(std::int64_t in, std::int64_t out, std::int64_t pad, bool transposed, ops::Kernels kernels)
    : pad_(pad), transposed_(transposed), kernels_(kernels) {
  weight = register_parameter("weight", transposed ? at::zeros({in, out, 5, 5}) : at::zeros({out, in, 5, 5}));
}

at::Tensor Conv5x5Impl::forward(const at::Tensor& x) {
  return transposed_ ? ops::conv_transpose5x5(x, weight, pad_, kernels_) : ops::conv5x5(x, weight, pad_, kernels_);
}

at::Tensor Conv5x5Impl::forward_upsampled(const at::Tensor& x) {
  return transposed_ ? ops::conv_transpose5x5(x, weight, pad_, kernels_, true) : ops::conv5x5(x, weight, pad_, kernels_, true);
}

at::Tensor Conv5x5Impl::forward_group(const std::vector<Conv5x5Impl*>& layers, const at::Tensor& x) {
  if (layers.size() == 1) return layers[0]->forward(x);
  std::vector<at::Tensor> w;
  for (const auto* l : layers) w.push_back(l->weight);
  const auto& first = *layers[0];
  return ops::group_conv5x5(x, w, first.pad_, first.transposed_, first.kernels_);
}

BatchNormImpl::BatchNormImpl(std::int64_t channels, const NetOptions& o) : o_(o) {
  running_mean = register_buffer("running_mean", at::zeros({channels}));
  running_var = register_buffer("running_var", at::ones({channels}));
  if (o.bn_affine) {
    weight = register_parameter("weight", at::ones({channels}));
    bias = register_parameter("bias", at::zeros({channels}));
  }
}

at::Tensor BatchNormImpl::forward(const at::Tensor& x) {
  return ops::batch_norm(x, running_mean, running_var, weight, bias, is_training(), o_.bn_momentum, o_.bn_eps, o_.kernels);
}

at::Tensor BatchNormImpl::forward_act(const at::Tensor& x, ops::After after) {
  return ops::batch_norm_act(x, running_mean, running_var, weight, bias, is_training(), o_.bn_momentum, o_.bn_eps,
                             o_.leaky_slope, after, o_.kernels);
}

at::Tensor BatchNormImpl::forward_group(const std::vector<BatchNormImpl*>& layers, const at::Tensor& x,
                                        std::optional<ops::After> act) {
  const auto& o = layers[0]->o_;
  std::vector<ops::BnCell> cells;
  for (auto* l : layers) cells.push_back({l->running_mean, l->running_var, l->weight, l->bias});
  return ops::group_batch_norm(x, cells, layers[0]->is_training(), o.bn_momentum, o.bn_eps, o.leaky_slope, act, o.kernels);
}

std::string NetOptions::canonical() const {
  return fmt::format("slope={}|bn_affine={}|bn_eps={}|bn_momentum={}|kernels={}", leaky_slope, bn_affine, bn_eps, bn_momentum,
                     kernels == ops::Kernels::native ? "native" : "torch");
}

Batching batching_of(const Encoder& e) {
  return {fmt::format("encoder {}|{}", typeid(e).name(), e.options().canonical()),
          [](const std::vector<torch::nn::Module*>& models, const at::Tensor& x) {
            std::vector<Encoder*> nets;
            for (auto* m : models) nets.push_back(static_cast<Encoder*>(m));
            return nets[0]->forward_group(nets, x);
          }};
}

Batching batching_of(const Autoencoder& ae) {
  return {fmt::format("autoencoder {}|{}|{}", typeid(*ae.encoder).name(), typeid(*ae.decoder).name(),
                      ae.encoder->options().canonical()),
          [](const std::vector<torch::nn::Module*>& models, const at::Tensor& x) {
            std::vector<Autoencoder*> nets;
            for (auto* m : models) nets.push_back(static_cast<Autoencoder*>(m));
            return Autoencoder::forward_group(nets, x);
          }};
}

Autoencoder::Autoencoder(std::shared_ptr<Encoder> e, std::shared_ptr<Decoder> d)
    : encoder(register_module("encoder", std::move(e))), decoder(register_module("decoder", std::move(d))) {}

at::Tensor Autoencoder::forward_group(const std::vector<Autoencoder*>& nets, const at::Tensor& x) {
  std::vector<Encoder*> encoders;
  std::vector<Decoder*> decoders;
  for (auto* n : nets) {
    encoders.push_back(n->encoder.get());
    decoders.push_back(n->decoder.get());
  }
  return decoders[0]->forward_group(decoders, encoders[0]->forward_group(encoders, x));
}

namespace {

// The paper's networks, one row each: the input shape "auto" picks them by,
// their encoder and decoder, whether they start from Xavier (the CIFAR-10
// autoencoder, as the reference code) and their layers in order (the
// encoder's first layer first), as the classes above build them.
struct Network {
  const char* name;
  std::int64_t c, h, w;  // the input shape that selects it under "auto" (0: never)
  std::shared_ptr<Encoder> (*encoder)(const NetOptions&);
  std::shared_ptr<Decoder> (*decoder)(const NetOptions&);
  bool xavier;           // Xavier (leaky ReLU gain) for the autoencoder's convolutions and the decoder
  std::vector<LayerShape> encoder_layers, decoder_layers;
};

template <class T, class Base>
std::shared_ptr<Base> make(const NetOptions& o) {
  return std::make_shared<T>(o);
}

const Network kNetworks[] = {
    {"mnist_lenet", 1, 28, 28, make<MnistEncoder, Encoder>, make<MnistDecoder, Decoder>, false,
     {{1, 8, 28, 28, 2}, {8, 4, 14, 14, 2}, {4 * 7 * 7, 32}},
     {{2, 4, 8, 8, 2, true}, {4, 8, 16, 16, 3, true}, {8, 1, 28, 28, 2, true}}},
    {"cifar10_lenet", 3, 32, 32, make<Cifar10Encoder, Encoder>, make<Cifar10Decoder, Decoder>, true,
     {{3, 32, 32, 32, 2}, {32, 64, 16, 16, 2}, {64, 128, 8, 8, 2}, {128 * 4 * 4, 128}},
     {{8, 128, 4, 4, 2, true}, {128, 64, 8, 8, 2, true}, {64, 32, 16, 16, 2, true}, {32, 3, 32, 32, 2, true}}},
    {"gtsrb_lenet", 0, 0, 0, make<GtsrbEncoder, Encoder>, make<GtsrbDecoder, Decoder>, false,
     {{3, 16, 32, 32, 2}, {16, 32, 16, 16, 2}, {32 * 8 * 8, 64}, {64, 32}},
     {{32, 64}, {1, 32, 8, 8, 2}, {32, 16, 16, 16, 2}, {16, 3, 32, 32, 2}}},
};

// Pairs (output position, tap) along one axis of n inputs whose tap lands
// inside the input rather than on the padding.
std::int64_t taps_inside(std::int64_t n, std::int64_t out, std::int64_t pad) {
  std::int64_t count = 0;
  for (std::int64_t y = 0; y < out; ++y)
    for (std::int64_t k = 0; k < 5; ++k) count += (y + k - pad >= 0 && y + k - pad < n) ? 1 : 0;
  return count;
}

const Network& network(const std::string& arch) {
  for (const auto& n : kNetworks)
    if (arch == n.name) return n;
  throw core::Error("unknown network '" + arch + "' (known: auto, mnist_lenet, cifar10_lenet, gtsrb_lenet)");
}

}  // namespace

std::string resolve_architecture(const std::string& name, std::int64_t c, std::int64_t h, std::int64_t w) {
  if (name != "auto") return name;
  for (const auto& n : kNetworks)
    if (n.c == c && n.h == h && n.w == w) return n.name;
  throw core::Error(fmt::format("no network for inputs of shape {}x{}x{}: set 'network'", c, h, w));
}

int network_numerics_version(const std::string& arch, const std::string& device, ops::Kernels kernels) {
  return arch == "cifar10_lenet" && device == "cpu" && kernels == ops::Kernels::native ? 3 : 2;
}

std::shared_ptr<Encoder> make_encoder(const std::string& arch, const NetOptions& o) { return network(arch).encoder(o); }

std::shared_ptr<Decoder> make_decoder(const std::string& arch, const NetOptions& o) { return network(arch).decoder(o); }

void init_encoder(Encoder& e, const std::string& arch, bool autoencoder, core::Rng& rng) {
  const bool xavier = autoencoder && network(arch).xavier;
  for (auto& p : e.named_parameters()) {
    if (p.value().dim() < 2) continue;  // BatchNorm gamma/beta keep 1 and 0
    at::Tensor t = p.value();
    const bool conv = t.dim() == 4;
    if (xavier && conv) xavier_leaky_init(t, rng);
    else default_init(t, rng);
  }
}

void init_decoder(Decoder& d, const std::string& arch, core::Rng& rng) {
  const bool xavier = network(arch).xavier;
  for (auto& p : d.named_parameters()) {
    if (p.value().dim() < 2) continue;
    at::Tensor t = p.value();
    if (xavier) xavier_leaky_init(t, rng);
    else default_init(t, rng);
  }
}

void copy_state(const torch::nn::Module& from, torch::nn::Module& to) {
  at::NoGradGuard guard;
  auto src_p = from.named_parameters(), src_b = from.named_buffers();
  for (auto& p : to.named_parameters()) {
    const auto* s = src_p.find(p.key());
    if (!s) throw core::Error("copy_state: no parameter '" + p.key() + "' in the source network");
    p.value().copy_(*s);
  }
  for (auto& b : to.named_buffers()) {
    const auto* s = src_b.find(b.key());
    if (!s) throw core::Error("copy_state: no buffer '" + b.key() + "' in the source network");
    b.value().copy_(*s);
  }
}

LayerMacs layer_macs(const LayerShape& l) {
  const double pairs = static_cast<double>(l.cin * l.cout);
  if (l.h == 0) return {pairs, pairs};
  const std::int64_t p = l.transposed ? 4 - l.pad : l.pad, ho = l.h + 2 * p - 4, wo = l.w + 2 * p - 4;
  return {pairs * static_cast<double>(ho * wo * 25),
          pairs * static_cast<double>(taps_inside(l.h, ho, p) * taps_inside(l.w, wo, p))};
}

std::vector<LayerShape> network_layers(const std::string& arch, bool with_decoder) {
  const auto& n = network(arch);
  auto out = n.encoder_layers;
  if (with_decoder) out.insert(out.end(), n.decoder_layers.begin(), n.decoder_layers.end());
  return out;
}

MacCount macs(const std::string& arch, bool with_decoder) {
  const auto& n = network(arch);
  MacCount m;
  auto add = [&](const std::vector<LayerShape>& layers, bool first_is_input) {
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const auto& l = layers[i];
      const auto c = layer_macs(l);
      // forward, the weight gradient, and the input gradient unless the
      // input is the network's (nothing asks for that one)
      const double passes = first_is_input && i == 0 ? 2 : 3;
      m.forward += c.all;
      m.forward_inside += c.inside;
      m.training += passes * c.all;
      m.training_inside += passes * c.inside;
    }
  };
  add(n.encoder_layers, true);
  if (with_decoder) add(n.decoder_layers, false);
  return m;
}

}  // namespace ocb::methods

// The paper's networks (networks.hpp; Ruff et al. 2018, §4.1 and appendix): MNIST and CIFAR-10 LeNets.
#include "methods/common/networks.hpp"

#include <cmath>

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

// ---------------------------------------------------------------- MNIST
class MnistEncoder final : public Encoder {
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
  at::Tensor forward(const at::Tensor& x) override { return head(bn2->forward_act(conv2->forward(trunk(x)), ops::After::pool2x2)); }
  at::Tensor last_conv(const at::Tensor& x) override { return bn2->forward_act(conv2->forward(trunk(x)), ops::After::none); }
  at::Tensor from_last_conv(const at::Tensor& a) override { return head(ops::max_pool2x2(a, o_.kernels)); }
  std::int64_t rep_dim() const override { return 32; }
  std::shared_ptr<Conv5x5Impl> conv1, conv2;
  std::shared_ptr<BatchNormImpl> bn1, bn2;
  at::Tensor fc1;

 private:
  at::Tensor trunk(const at::Tensor& x) { return bn1->forward_act(conv1->forward(x), ops::After::pool2x2); }
  at::Tensor head(const at::Tensor& pooled) { return at::linear(pooled.flatten(1), fc1); }
  NetOptions o_;
};

class MnistDecoder final : public Decoder {
 public:
  explicit MnistDecoder(const NetOptions& o) : o_(o) {
    deconv1 = register_module("deconv1", std::make_shared<Conv5x5Impl>(2, 4, 2, true, o.kernels));
    bn3 = register_module("bn3", std::make_shared<BatchNormImpl>(4, o));
    deconv2 = register_module("deconv2", std::make_shared<Conv5x5Impl>(4, 8, 3, true, o.kernels));
    bn4 = register_module("bn4", std::make_shared<BatchNormImpl>(8, o));
    deconv3 = register_module("deconv3", std::make_shared<Conv5x5Impl>(8, 1, 2, true, o.kernels));
  }
  at::Tensor forward(const at::Tensor& code) override {
    auto h = ops::upsample2x(at::leaky_relu(code.view({code.size(0), 2, 4, 4}), o_.leaky_slope), o_.kernels);  // 8x8
    h = bn3->forward_act(deconv1->forward(h), ops::After::upsample2x);         // 16x16
    h = bn4->forward_act(deconv2->forward(h), ops::After::upsample2x);         // 14 -> 28
    return at::sigmoid(deconv3->forward(h));
  }
  std::shared_ptr<Conv5x5Impl> deconv1, deconv2, deconv3;
  std::shared_ptr<BatchNormImpl> bn3, bn4;

 private:
  NetOptions o_;
};

// ---------------------------------------------------------------- CIFAR-10
class Cifar10Encoder final : public Encoder {
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
  at::Tensor forward(const at::Tensor& x) override { return head(bn3->forward_act(conv3->forward(trunk(x)), ops::After::pool2x2)); }
  at::Tensor last_conv(const at::Tensor& x) override { return bn3->forward_act(conv3->forward(trunk(x)), ops::After::none); }
  at::Tensor from_last_conv(const at::Tensor& a) override { return head(ops::max_pool2x2(a, o_.kernels)); }
  std::int64_t rep_dim() const override { return 128; }
  std::shared_ptr<Conv5x5Impl> conv1, conv2, conv3;
  std::shared_ptr<BatchNormImpl> bn1, bn2, bn3;
  at::Tensor fc1;

 private:
  at::Tensor trunk(const at::Tensor& x) {
    auto h = bn1->forward_act(conv1->forward(x), ops::After::pool2x2);
    return bn2->forward_act(conv2->forward(h), ops::After::pool2x2);
  }
  at::Tensor head(const at::Tensor& pooled) { return at::linear(pooled.flatten(1), fc1); }
  NetOptions o_;
};

class Cifar10Decoder final : public Decoder {
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
  at::Tensor forward(const at::Tensor& code) override {
    auto h = bn_code->forward(code).view({code.size(0), 8, 4, 4});
    h = deconv1->forward(at::leaky_relu(h, o_.leaky_slope));                                            // 4x4
    h = bn4->forward_act(h, ops::After::upsample2x);                   // 8x8
    h = bn5->forward_act(deconv2->forward(h), ops::After::upsample2x);  // 16x16
    h = bn6->forward_act(deconv3->forward(h), ops::After::upsample2x);  // 32x32
    return at::sigmoid(deconv4->forward(h));
  }
  std::shared_ptr<BatchNormImpl> bn_code, bn4, bn5, bn6;
  std::shared_ptr<Conv5x5Impl> deconv1, deconv2, deconv3, deconv4;

 private:
  NetOptions o_;
};

// ---------------------------------------------------------------- GTSRB
// The Theano code's GTSRB network (its gtsrb_cnn): two conv modules (16,
// 32 filters), a 64-unit dense layer with leaky ReLU, then the 32-d code; its
// decoder uses plain 'same' convolutions with BatchNorm before the sigmoid.
class GtsrbEncoder final : public Encoder {
 public:
  explicit GtsrbEncoder(const NetOptions& o) : o_(o) {
    conv1 = register_module("conv1", std::make_shared<Conv5x5Impl>(3, 16, 2, false, o.kernels));
    bn1 = register_module("bn1", std::make_shared<BatchNormImpl>(16, o));
    conv2 = register_module("conv2", std::make_shared<Conv5x5Impl>(16, 32, 2, false, o.kernels));
    bn2 = register_module("bn2", std::make_shared<BatchNormImpl>(32, o));
    fc1 = new_weight(*this, "fc1", {64, 32 * 8 * 8});
    fc2 = new_weight(*this, "fc2", {32, 64});
  }
  at::Tensor forward(const at::Tensor& x) override { return head(bn2->forward_act(conv2->forward(trunk(x)), ops::After::pool2x2)); }
  at::Tensor last_conv(const at::Tensor& x) override { return bn2->forward_act(conv2->forward(trunk(x)), ops::After::none); }
  at::Tensor from_last_conv(const at::Tensor& a) override { return head(ops::max_pool2x2(a, o_.kernels)); }
  std::int64_t rep_dim() const override { return 32; }
  std::shared_ptr<Conv5x5Impl> conv1, conv2;
  std::shared_ptr<BatchNormImpl> bn1, bn2;
  at::Tensor fc1, fc2;

 private:
  at::Tensor trunk(const at::Tensor& x) { return bn1->forward_act(conv1->forward(x), ops::After::pool2x2); }
  at::Tensor head(const at::Tensor& pooled) {
    return at::linear(at::leaky_relu(at::linear(pooled.flatten(1), fc1), o_.leaky_slope), fc2);
  }
  NetOptions o_;
};

class GtsrbDecoder final : public Decoder {
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
  at::Tensor forward(const at::Tensor& code) override {
    auto h = at::leaky_relu(at::linear(code, fc3).view({code.size(0), 1, 8, 8}), o_.leaky_slope);
    h = bn3->forward_act(conv3->forward(h), ops::After::upsample2x);  // 16x16
    h = bn4->forward_act(conv4->forward(h), ops::After::upsample2x);  // 32x32
    return at::sigmoid(bn5->forward(conv5->forward(h)));
  }
  at::Tensor fc3;
  std::shared_ptr<Conv5x5Impl> conv3, conv4, conv5;
  std::shared_ptr<BatchNormImpl> bn3, bn4, bn5;

 private:
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

Autoencoder::Autoencoder(std::shared_ptr<Encoder> e, std::shared_ptr<Decoder> d)
    : encoder(register_module("encoder", std::move(e))), decoder(register_module("decoder", std::move(d))) {}

namespace {

// The paper's networks, one row each: the input shape "auto" picks them by,
// their encoder and decoder, whether they start from Xavier (the CIFAR-10
// autoencoder, as the reference code) and their multiply-adds per sample.
struct Network {
  const char* name;
  std::int64_t c, h, w;  // the input shape that selects it under "auto" (0: never)
  std::shared_ptr<Encoder> (*encoder)(const NetOptions&);
  std::shared_ptr<Decoder> (*decoder)(const NetOptions&);
  bool xavier;           // Xavier (leaky ReLU gain) for the autoencoder's convolutions and the decoder
  double encoder_macs, decoder_macs;
};

template <class T, class Base>
std::shared_ptr<Base> make(const NetOptions& o) {
  return std::make_shared<T>(o);
}

// Convolutions: output positions x in x out x 25; dense layers: in x out.
const Network kNetworks[] = {
    {"mnist_lenet", 1, 28, 28, make<MnistEncoder, Encoder>, make<MnistDecoder, Decoder>, false,
     28 * 28 * 1 * 8 * 25 + 14 * 14 * 8 * 4 * 25 + 196 * 32, 8 * 8 * 2 * 4 * 25 + 14 * 14 * 4 * 8 * 25 + 28 * 28 * 8 * 1 * 25},
    {"cifar10_lenet", 3, 32, 32, make<Cifar10Encoder, Encoder>, make<Cifar10Decoder, Decoder>, true,
     32 * 32 * 3 * 32 * 25.0 + 16 * 16 * 32 * 64 * 25.0 + 8 * 8 * 64 * 128 * 25.0 + 2048 * 128,
     4 * 4 * 8 * 128 * 25.0 + 8 * 8 * 128 * 64 * 25.0 + 16 * 16 * 64 * 32 * 25.0 + 32 * 32 * 32 * 3 * 25.0},
    {"gtsrb_lenet", 0, 0, 0, make<GtsrbEncoder, Encoder>, make<GtsrbDecoder, Decoder>, false,
     32 * 32 * 3 * 16 * 25.0 + 16 * 16 * 16 * 32 * 25.0 + 2048 * 64 + 64 * 32,
     32 * 64 + 8 * 8 * 1 * 32 * 25.0 + 16 * 16 * 32 * 16 * 25.0 + 32 * 32 * 16 * 3 * 25.0},
};

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

double forward_macs(const std::string& arch, bool with_decoder) {
  const auto& n = network(arch);
  return n.encoder_macs + (with_decoder ? n.decoder_macs : 0.0);
}

}  // namespace ocb::methods

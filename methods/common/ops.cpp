// Autograd wrappers of the native kernels and the LibTorch fallbacks (ops.hpp).
#include "methods/common/ops.hpp"

#include <ATen/Parallel.h>
#include <ATen/record_function.h>
#include <torch/csrc/autograd/custom_function.h>

#include <atomic>

#include "harness/core/error.hpp"
#include "methods/common/kernels/conv5x5.hpp"
#include "methods/common/kernels/norm_pool.hpp"

namespace ocb::methods::ops {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

namespace {

bool native(const at::Tensor& x, Kernels k) {
  return k == Kernels::native && x.device().is_cpu() && x.scalar_type() == at::kFloat;
}

// Splits [0, n) into at most get_num_threads() contiguous chunks, runs
// fn(chunk, begin, end) on them in parallel; the chunking depends only on n and
// the thread count, so results are reproducible for a fixed thread count.
template <class F>
void for_chunks(std::int64_t n, F&& fn) {
  const std::int64_t chunks = std::max<std::int64_t>(1, std::min<std::int64_t>(at::get_num_threads(), n));
  if (chunks == 1) {
    fn(0, 0, n);
    return;
  }
  at::parallel_for(0, chunks, 1, [&](std::int64_t lo, std::int64_t hi) {
    for (std::int64_t c = lo; c < hi; ++c) fn(c, c * n / chunks, (c + 1) * n / chunks);
  });
}

// The convolution's shape for input x; `upsampled`: x is read upsampled by 2
// (kernels::ConvShape), the convolution sees twice its height and width.
kernels::ConvShape shape_of(const at::Tensor& x, std::int64_t out_channels, std::int64_t pad, bool upsampled = false) {
  const std::int64_t f = upsampled ? 2 : 1;
  return {x.size(0), x.size(1), out_channels, f * x.size(2), f * x.size(3), pad, upsampled};
}

at::Tensor conv_forward(const at::Tensor& x, const at::Tensor& w, std::int64_t pad, bool upsampled = false) {
  const auto s = shape_of(x, w.size(0), pad, upsampled);
  auto y = at::empty({s.batch, s.out_channels, s.out_height(), s.out_width()}, x.options());
  const std::int64_t in_stride = s.in_channels * s.stored_plane(), out_stride = s.out_channels * s.out_height() * s.out_width();
  for_chunks(s.batch, [&](std::int64_t, std::int64_t lo, std::int64_t hi) {
    auto part = s;
    part.batch = hi - lo;
    kernels::conv5x5_forward(part, x.data_ptr<float>() + lo * in_stride, w.data_ptr<float>(), y.data_ptr<float>() + lo * out_stride);
  });
  return y;
}

at::Tensor conv_weight_grad(const at::Tensor& x, const at::Tensor& gy, std::int64_t pad, bool upsampled = false) {
  const auto s = shape_of(x, gy.size(1), pad, upsampled);
  const std::int64_t chunks = std::max<std::int64_t>(1, std::min<std::int64_t>(at::get_num_threads(), s.batch));
  auto partial = at::empty({chunks, s.out_channels, s.in_channels, 5, 5}, x.options());
  const std::int64_t in_stride = s.in_channels * s.stored_plane(), out_stride = s.out_channels * s.out_height() * s.out_width();
  for_chunks(s.batch, [&](std::int64_t c, std::int64_t lo, std::int64_t hi) {
    auto part = s;
    part.batch = hi - lo;
    kernels::conv5x5_weight_grad(part, x.data_ptr<float>() + lo * in_stride, gy.data_ptr<float>() + lo * out_stride,
                                 partial[c].data_ptr<float>());
  });
  // Summed in chunk order: reproducible.
  auto gw = partial[0].clone();
  for (std::int64_t c = 1; c < chunks; ++c) gw.add_(partial[c]);
  return gw;
}

at::Tensor flipped(const at::Tensor& w) {
  auto out = at::empty({w.size(1), w.size(0), 5, 5}, w.options());
  kernels::flip_transpose5x5(w.data_ptr<float>(), w.size(0), w.size(1), out.data_ptr<float>());
  return out;
}

// The input gradient of a convolution that read its input upsampled:
// conv_forward(gy, w, pad) at full size, then upsample2x's backward (each
// stored element gets the sum of its four copies' gradients). Sixteen
// samples at a time, so that the full-size part is still in the L2 cache
// when it is summed (each sample's bytes do not depend on the others').
at::Tensor upsampled_input_grad(const at::Tensor& gy, const at::Tensor& w, std::int64_t pad) {
  const auto s = shape_of(gy, w.size(0), pad);
  const std::int64_t ho = s.out_height(), wo = s.out_width(), out_sample = s.out_channels * ho * wo;
  const std::int64_t gy_sample = s.in_channels * s.height * s.width;
  auto gx = at::empty({s.batch, s.out_channels, ho / 2, wo / 2}, gy.options());
  constexpr std::int64_t kPart = 16;
  for_chunks(s.batch, [&](std::int64_t, std::int64_t lo, std::int64_t hi) {
    std::vector<float> full(static_cast<std::size_t>(std::min(kPart, hi - lo) * out_sample));
    for (std::int64_t b = lo; b < hi; b += kPart) {
      auto part = s;
      part.batch = std::min(kPart, hi - b);
      kernels::conv5x5_forward(part, gy.data_ptr<float>() + b * gy_sample, w.data_ptr<float>(), full.data());
      kernels::upsample2x_backward(full.data(), part.batch * s.out_channels, ho / 2, wo / 2,
                                   gx.data_ptr<float>() + b * out_sample / 4);
    }
  });
  return gx;
}

// `up`: x is read upsampled by 2 (conv5x5's `upsampled`); x is what is kept
// for the backward, and its gradient goes through upsample2x's backward.
struct Conv5x5 : torch::autograd::Function<Conv5x5> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x_in, const at::Tensor& w_in, std::int64_t pad, bool up) {
    RECORD_FUNCTION("ocb::conv5x5", std::vector<c10::IValue>());  // named in profiles (tests/bench/profile_step.cpp)
    auto x = x_in.contiguous(), w = w_in.contiguous();
    ctx->save_for_backward({x, w});
    ctx->saved_data["pad"] = pad;
    ctx->saved_data["up"] = up;
    return conv_forward(x, w, pad, up);
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const auto& x = saved[0];
    const auto& w = saved[1];
    const std::int64_t pad = ctx->saved_data["pad"].toInt();
    const bool up = ctx->saved_data["up"].toBool();
    auto gy = grads[0].contiguous();
    at::Tensor gx, gw;
    // d/dx of a convolution is the convolution of gy with the flipped,
    // transposed weights and the complementary padding.
    if (ctx->needs_input_grad(0)) gx = up ? upsampled_input_grad(gy, flipped(w), 4 - pad) : conv_forward(gy, flipped(w), 4 - pad);
    if (ctx->needs_input_grad(1)) gw = conv_weight_grad(x, gy, pad, up);
    return {gx, gw, at::Tensor(), at::Tensor()};
  }
};

// A stride-1 transposed convolution with padding p is the convolution with
// the flipped, transposed weights and padding 4 - p.
struct ConvTranspose5x5 : torch::autograd::Function<ConvTranspose5x5> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x_in, const at::Tensor& w_in, std::int64_t pad, bool up) {
    RECORD_FUNCTION("ocb::conv_transpose5x5", std::vector<c10::IValue>());  // named in profiles (tests/bench/profile_step.cpp)
    auto x = x_in.contiguous(), w = w_in.contiguous();
    ctx->save_for_backward({x, w});
    ctx->saved_data["pad"] = pad;
    ctx->saved_data["up"] = up;
    return conv_forward(x, flipped(w), 4 - pad, up);
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const auto& x = saved[0];
    const auto& w = saved[1];
    const std::int64_t pad = ctx->saved_data["pad"].toInt();
    const bool up = ctx->saved_data["up"].toBool();
    auto gy = grads[0].contiguous();
    at::Tensor gx, gw;
    if (ctx->needs_input_grad(0)) gx = up ? upsampled_input_grad(gy, w, pad) : conv_forward(gy, w, pad);
    if (ctx->needs_input_grad(1)) gw = flipped(conv_weight_grad(x, gy, 4 - pad, up));
    return {gx, gw, at::Tensor(), at::Tensor()};
  }
};

// PyTorch's running statistics: an exponential average with `momentum`, of
// the unbiased variance.
void update_running(at::Tensor& running_mean, at::Tensor& running_var, const at::Tensor& mean, const at::Tensor& var,
                    std::int64_t count, double momentum) {
  const double k = static_cast<double>(count);
  running_mean.mul_(1.0 - momentum).add_(mean, momentum);
  running_var.mul_(1.0 - momentum).add_(var, momentum * k / std::max(1.0, k - 1.0));
}

// The same for `groups` cells side by side (group_batch_norm): each cell's
// slice moves by itself, as its own [C] tensor would (the same bytes).
void update_running(at::Tensor& running_mean, at::Tensor& running_var, const at::Tensor& mean, const at::Tensor& var,
                    std::int64_t count, double momentum, std::int64_t groups) {
  if (groups == 1) return update_running(running_mean, running_var, mean, var, count, momentum);
  const std::int64_t c = mean.size(0) / groups;
  for (std::int64_t g = 0; g < groups; ++g) {
    auto rm = running_mean.narrow(0, g * c, c), rv = running_var.narrow(0, g * c, c);
    update_running(rm, rv, mean.narrow(0, g * c, c), var.narrow(0, g * c, c), count, momentum);
  }
}

// Training-mode batch norm; also moves the running statistics as PyTorch
// does (exponential average with `momentum`, unbiased variance).
struct BatchNormTrain : torch::autograd::Function<BatchNormTrain> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x_in, const at::Tensor& weight, const at::Tensor& bias,
                            at::Tensor running_mean, at::Tensor running_var, double eps, double momentum,
                            std::int64_t groups) {
    RECORD_FUNCTION("ocb::batch_norm_train", std::vector<c10::IValue>());  // named in profiles (tests/bench/profile_step.cpp)
    auto x = x_in.contiguous();
    const std::int64_t n = x.size(0), c = x.size(1), hw = x.numel() / (n * c);
    auto y = at::empty_like(x);
    auto mean = at::empty({c}, x.options()), var = at::empty({c}, x.options()), invstd = at::empty({c}, x.options());
    const bool affine = weight.numel() > 0;
    kernels::batch_norm_train(x.data_ptr<float>(), n, c, hw, eps, affine ? weight.data_ptr<float>() : nullptr,
                              affine ? bias.data_ptr<float>() : nullptr, y.data_ptr<float>(), mean.data_ptr<float>(),
                              var.data_ptr<float>(), invstd.data_ptr<float>());
    update_running(running_mean, running_var, mean, var, n * hw, momentum, groups);
    ctx->save_for_backward({x, mean, invstd, weight});
    ctx->saved_data["affine"] = affine;
    return y;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const auto& x = saved[0];
    const bool affine = ctx->saved_data["affine"].toBool();
    auto gy = grads[0].contiguous();
    const std::int64_t n = x.size(0), c = x.size(1), hw = x.numel() / (n * c);
    auto gx = at::empty_like(x);
    at::Tensor gw, gb;
    if (affine) {
      gw = at::empty({c}, x.options());
      gb = at::empty({c}, x.options());
    }
    kernels::batch_norm_backward(x.data_ptr<float>(), gy.data_ptr<float>(), n, c, hw, saved[1].data_ptr<float>(),
                                 saved[2].data_ptr<float>(), affine ? saved[3].data_ptr<float>() : nullptr,
                                 gx.data_ptr<float>(), affine ? gw.data_ptr<float>() : nullptr,
                                 affine ? gb.data_ptr<float>() : nullptr);
    return {gx, gw, gb, at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

// Training-mode batch norm, leaky ReLU and then pooling, upsampling or
// nothing (kernels::After), in one op: the same bytes forward and backward as
// BatchNormTrain, LibTorch's leaky_relu and MaxPool2x2 / Upsample2x, with a
// fraction of their memory traffic (only x and the pooling's choices are kept).
struct BatchNormAct : torch::autograd::Function<BatchNormAct> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x_in, const at::Tensor& weight, const at::Tensor& bias,
                            at::Tensor running_mean, at::Tensor running_var, double eps, double momentum, double slope,
                            std::int64_t after_code, std::int64_t groups) {
    RECORD_FUNCTION("ocb::batch_norm_act", std::vector<c10::IValue>());  // named in profiles (tests/bench/profile_step.cpp)
    auto x = x_in.contiguous();
    const auto after = static_cast<kernels::After>(after_code);
    const std::int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    const auto [oh, ow] = kernels::after_shape(after, h, w);
    auto y = at::empty({n, c, oh, ow}, x.options());
    auto where = after == kernels::After::pool2x2 ? at::empty({n, c, oh, ow}, x.options().dtype(at::kByte)) : at::Tensor();
    auto mean = at::empty({c}, x.options()), var = at::empty({c}, x.options()), invstd = at::empty({c}, x.options());
    const bool affine = weight.numel() > 0;
    kernels::batch_norm_act_train(x.data_ptr<float>(), n, c, h, w, eps, affine ? weight.data_ptr<float>() : nullptr,
                                  affine ? bias.data_ptr<float>() : nullptr, static_cast<float>(slope), after,
                                  y.data_ptr<float>(), where.defined() ? where.data_ptr<std::uint8_t>() : nullptr,
                                  mean.data_ptr<float>(), var.data_ptr<float>(), invstd.data_ptr<float>());
    update_running(running_mean, running_var, mean, var, n * h * w, momentum, groups);
    ctx->save_for_backward({x, mean, invstd, weight, bias});
    ctx->saved_data["affine"] = affine;
    ctx->saved_data["slope"] = slope;
    ctx->saved_data["after"] = after_code;
    if (where.defined()) ctx->saved_data["where"] = where;
    return y;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const auto& x = saved[0];
    const bool affine = ctx->saved_data["affine"].toBool();
    const auto after = static_cast<kernels::After>(ctx->saved_data["after"].toInt());
    const at::Tensor where = after == kernels::After::pool2x2 ? ctx->saved_data["where"].toTensor() : at::Tensor();
    auto gy = grads[0].contiguous();
    const std::int64_t c = x.size(1);
    auto gx = at::empty_like(x);
    at::Tensor gw, gb;
    if (affine) {
      gw = at::empty({c}, x.options());
      gb = at::empty({c}, x.options());
    }
    kernels::batch_norm_act_backward(
        x.data_ptr<float>(), gy.data_ptr<float>(), x.size(0), c, x.size(2), x.size(3), saved[1].data_ptr<float>(),
        saved[2].data_ptr<float>(), affine ? saved[3].data_ptr<float>() : nullptr, affine ? saved[4].data_ptr<float>() : nullptr,
        static_cast<float>(ctx->saved_data["slope"].toDouble()), after,
        where.defined() ? where.data_ptr<std::uint8_t>() : nullptr, gx.data_ptr<float>(), affine ? gw.data_ptr<float>() : nullptr,
        affine ? gb.data_ptr<float>() : nullptr);
    return {gx, gw, gb, at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

struct MaxPool2x2 : torch::autograd::Function<MaxPool2x2> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x_in) {
    RECORD_FUNCTION("ocb::max_pool2x2", std::vector<c10::IValue>());  // named in profiles (tests/bench/profile_step.cpp)
    auto x = x_in.contiguous();
    const std::int64_t h = x.size(2), w = x.size(3), planes = x.size(0) * x.size(1);
    auto y = at::empty({x.size(0), x.size(1), h / 2, w / 2}, x.options());
    auto where = at::empty({x.size(0), x.size(1), h / 2, w / 2}, x.options().dtype(at::kByte));
    kernels::max_pool2x2(x.data_ptr<float>(), planes, h, w, y.data_ptr<float>(), where.data_ptr<std::uint8_t>());
    ctx->saved_data["where"] = where;
    ctx->saved_data["h"] = h;
    ctx->saved_data["w"] = w;
    return y;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    auto where = ctx->saved_data["where"].toTensor();
    const std::int64_t h = ctx->saved_data["h"].toInt(), w = ctx->saved_data["w"].toInt();
    auto gy = grads[0].contiguous();
    auto gx = at::empty({gy.size(0), gy.size(1), h, w}, gy.options());
    kernels::max_pool2x2_backward(gy.data_ptr<float>(), where.data_ptr<std::uint8_t>(), gy.size(0) * gy.size(1), h, w,
                                  gx.data_ptr<float>());
    return {gx};
  }
};

struct Upsample2x : torch::autograd::Function<Upsample2x> {
  static at::Tensor forward(AutogradContext*, const at::Tensor& x_in) {
    RECORD_FUNCTION("ocb::upsample2x", std::vector<c10::IValue>());  // named in profiles (tests/bench/profile_step.cpp)
    auto x = x_in.contiguous();
    auto y = at::empty({x.size(0), x.size(1), 2 * x.size(2), 2 * x.size(3)}, x.options());
    kernels::upsample2x(x.data_ptr<float>(), x.size(0) * x.size(1), x.size(2), x.size(3), y.data_ptr<float>());
    return y;
  }
  static variable_list backward(AutogradContext*, variable_list grads) {
    auto gy = grads[0].contiguous();
    auto gx = at::empty({gy.size(0), gy.size(1), gy.size(2) / 2, gy.size(3) / 2}, gy.options());
    kernels::upsample2x_backward(gy.data_ptr<float>(), gy.size(0) * gy.size(1), gx.size(2), gx.size(3), gx.data_ptr<float>());
    return {gx};
  }
};

}  // namespace

Kernels parse_kernels(const std::string& name) {
  if (name == "native") return Kernels::native;
  if (name == "torch") return Kernels::torch;
  throw core::Error("kernels must be \"native\" or \"torch\", got \"" + name + "\"");
}

// Every layer runs on the direct kernels (kernels/conv5x5.hpp), whatever its
// channels: on CIFAR-10's 32->64 and 64->128 layers they now beat oneDNN as
// pinned (AVX2) 1.5-2x (tests/bench, conv_layer), and their bytes are the
// same on every instruction set, which oneDNN's are not.
at::Tensor conv5x5(const at::Tensor& x, const at::Tensor& w, std::int64_t pad, Kernels k, bool upsampled) {
  if (native(x, k)) return Conv5x5::apply(x, w, pad, upsampled);
  return at::conv2d(upsampled ? upsample2x(x, k) : x, w, {}, 1, pad);
}

at::Tensor conv_transpose5x5(const at::Tensor& x, const at::Tensor& w, std::int64_t pad, Kernels k, bool upsampled) {
  if (native(x, k)) return ConvTranspose5x5::apply(x, w, pad, upsampled);
  return at::conv_transpose2d(upsampled ? upsample2x(x, k) : x, w, {}, 1, pad);
}

at::Tensor batch_norm(const at::Tensor& x, at::Tensor& running_mean, at::Tensor& running_var, const at::Tensor& weight,
                      const at::Tensor& bias, bool training, double momentum, double eps, Kernels k) {
  if (!native(x, k)) return at::batch_norm(x, weight, bias, running_mean, running_var, training, momentum, eps, true);
  if (!training) {
    // Inference mode with gradients (attacks need d/dx): LibTorch's elementwise ops.
    if (x.requires_grad()) return at::batch_norm(x, weight, bias, running_mean, running_var, false, momentum, eps, true);
    auto xc = x.contiguous();
    auto y = at::empty_like(xc);
    const std::int64_t n = xc.size(0), c = xc.size(1), hw = xc.numel() / (n * c);
    kernels::batch_norm_eval(xc.data_ptr<float>(), n, c, hw, eps, running_mean.data_ptr<float>(),
                             running_var.data_ptr<float>(), weight.defined() ? weight.data_ptr<float>() : nullptr,
                             bias.defined() ? bias.data_ptr<float>() : nullptr, y.data_ptr<float>());
    return y;
  }
  // Autograd functions take no undefined tensors: an empty one means affine-free.
  const auto none = at::empty({0}, x.options());
  return BatchNormTrain::apply(x, weight.defined() ? weight : none, bias.defined() ? bias : none, running_mean,
                               running_var, eps, momentum, std::int64_t{1});
}

namespace {
// leaky_relu(y, slope), then `after` (the unfused tail of batch_norm_act).
at::Tensor leaky_then(const at::Tensor& y, double slope, After after, Kernels k) {
  auto a = at::leaky_relu(y, slope);
  switch (after) {
    case After::pool2x2: return max_pool2x2(a, k);
    case After::upsample2x: return upsample2x(a, k);
    default: return a;
  }
}
}  // namespace

at::Tensor batch_norm_act(const at::Tensor& x, at::Tensor& running_mean, at::Tensor& running_var, const at::Tensor& weight,
                          const at::Tensor& bias, bool training, double momentum, double eps, double slope, After after,
                          Kernels k) {
  if (training && native(x, k) && x.dim() == 4) {
    const auto none = at::empty({0}, x.options());
    return BatchNormAct::apply(x, weight.defined() ? weight : none, bias.defined() ? bias : none, running_mean, running_var,
                               eps, momentum, slope, static_cast<std::int64_t>(after), std::int64_t{1});
  }
  return leaky_then(batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps, k), slope, after, k);
}

at::Tensor max_pool2x2(const at::Tensor& x, Kernels k) {
  if (native(x, k)) return MaxPool2x2::apply(x);
  return at::max_pool2d(x, {2, 2}, {2, 2});
}

at::Tensor upsample2x(const at::Tensor& x, Kernels k) {
  if (native(x, k)) return Upsample2x::apply(x);
  return at::upsample_nearest2d(x, {2 * x.size(2), 2 * x.size(3)});
}

// ---------------------------------------------------------------- K cells as one

namespace {
std::atomic<GroupMode> group_mode{GroupMode::automatic};

// The parts of x ([N, K*C, ...]) of each cell, each contiguous as alone. One
// cell takes x itself: a split into one part would put a split's backward in
// the graph, a copy of the whole input gradient (5 MB on MNIST's first layer)
// for nothing.
std::vector<at::Tensor> cell_parts(const at::Tensor& x, std::size_t cells) {
  if (cells == 1) return {x.contiguous()};
  auto parts = x.chunk(static_cast<std::int64_t>(cells), 1);
  for (auto& p : parts) p = p.contiguous();
  return parts;
}

}  // namespace

void set_group_mode(GroupMode mode) { group_mode = mode; }

bool fused_groups(const at::Tensor& x) {
  const GroupMode m = group_mode;
  return m == GroupMode::fused || (m == GroupMode::automatic && x.is_cuda());
}

at::Tensor group_conv5x5(const at::Tensor& x, const std::vector<at::Tensor>& w, std::int64_t pad, bool transposed, Kernels k) {
  const auto groups = static_cast<std::int64_t>(w.size());
  OCB_CHECK(groups >= 1 && x.size(1) % groups == 0, "group_conv5x5: input channels not a multiple of the cells");
  if (groups == 1) return transposed ? conv_transpose5x5(x, w[0], pad, k) : conv5x5(x, w[0], pad, k);
  if (fused_groups(x)) {
    // Weights of the cells stacked along dim 0: the grouped layouts of conv2d ([K*Co, Ci, 5, 5])
    // and conv_transpose2d ([K*Ci, Co, 5, 5]).
    const auto stacked = at::cat(w, 0);
    return transposed ? at::conv_transpose2d(x, stacked, {}, 1, pad, 0, groups) : at::conv2d(x, stacked, {}, 1, pad, 1, groups);
  }
  auto parts = cell_parts(x, w.size());
  for (std::size_t g = 0; g < w.size(); ++g)
    parts[g] = transposed ? conv_transpose5x5(parts[g], w[g], pad, k) : conv5x5(parts[g], w[g], pad, k);
  return at::cat(parts, 1);
}

at::Tensor group_linear(const at::Tensor& x, const std::vector<at::Tensor>& w) {
  const auto groups = static_cast<std::int64_t>(w.size());
  OCB_CHECK(groups >= 1 && x.dim() == 2 && x.size(1) % groups == 0, "group_linear: input features not a multiple of the cells");
  if (groups == 1) return at::linear(x, w[0]);
  if (fused_groups(x)) {
    const std::int64_t n = x.size(0), f = x.size(1) / groups;
    // [K, N, F] x [K, F, R] -> [K, N, R] -> [N, K*R]
    const auto y = at::bmm(x.view({n, groups, f}).transpose(0, 1), at::stack(w, 0).transpose(1, 2));
    return y.transpose(0, 1).reshape({n, -1});
  }
  auto parts = cell_parts(x, w.size());
  for (std::size_t g = 0; g < w.size(); ++g) parts[g] = at::linear(parts[g], w[g]);
  return at::cat(parts, 1);
}

at::Tensor group_batch_norm(const at::Tensor& x, const std::vector<BnCell>& cells, bool training, double momentum, double eps,
                            double slope, std::optional<After> act, Kernels k) {
  const auto groups = static_cast<std::int64_t>(cells.size());
  OCB_CHECK(groups >= 1 && x.size(1) % groups == 0, "group_batch_norm: channels not a multiple of the cells");
  if (groups == 1 || !(fused_groups(x) || (training && native(x, k)))) {
    // Each cell's part alone: eval mode, and LibTorch's CPU batch norm (whose
    // reductions might depend on the layout around the channel).
    auto parts = cell_parts(x, cells.size());
    for (std::size_t g = 0; g < cells.size(); ++g) {
      BnCell c = cells[g];
      parts[g] = act ? batch_norm_act(parts[g], c.running_mean, c.running_var, c.weight, c.bias, training, momentum, eps, slope, *act, k)
                     : batch_norm(parts[g], c.running_mean, c.running_var, c.weight, c.bias, training, momentum, eps, k);
    }
    return groups == 1 ? parts[0] : at::cat(parts, 1);
  }
  std::vector<at::Tensor> rm, rv, w, b;
  for (const auto& c : cells) {
    rm.push_back(c.running_mean);
    rv.push_back(c.running_var);
    if (c.weight.defined()) {
      w.push_back(c.weight);
      b.push_back(c.bias);
    }
  }
  at::Tensor mean = at::cat(rm, 0), var = at::cat(rv, 0);
  const at::Tensor weight = w.empty() ? at::Tensor() : at::cat(w, 0), bias = w.empty() ? at::Tensor() : at::cat(b, 0);
  at::Tensor y;
  if (native(x, k)) {
    const auto none = at::empty({0}, x.options());
    const auto& wt = weight.defined() ? weight : none;
    const auto& bs = bias.defined() ? bias : none;
    if (act && x.dim() == 4) {
      y = BatchNormAct::apply(x, wt, bs, mean, var, eps, momentum, slope, static_cast<std::int64_t>(*act), groups);
    } else {
      y = BatchNormTrain::apply(x, wt, bs, mean, var, eps, momentum, groups);
      if (act) y = leaky_then(y, slope, *act, k);
    }
  } else {
    // Fused (CUDA): LibTorch's batch norm moves each channel's running statistics by itself.
    y = at::batch_norm(x, weight, bias, mean, var, training, momentum, eps, true);
    if (act) y = leaky_then(y, slope, *act, k);
  }
  at::NoGradGuard no_grad;
  const std::int64_t c = mean.size(0) / groups;
  for (std::int64_t g = 0; g < groups; ++g) {
    cells[static_cast<std::size_t>(g)].running_mean.copy_(mean.narrow(0, g * c, c));
    cells[static_cast<std::size_t>(g)].running_var.copy_(var.narrow(0, g * c, c));
  }
  return y;
}

}  // namespace ocb::methods::ops

// Google Benchmark cases for the deep methods: each 5x5 convolution layer of
// the paper's networks (forward, and backward for input and weights), their
// fused batch norm + activation layers (forward and backward), and one
// training step of the MNIST and CIFAR-10 encoder (Deep SVDD) and autoencoder
// (pretraining), with ocbench's kernels and with LibTorch's, and K MNIST
// autoencoder steps as one batched network (`run --batch`). Counters report
// achieved GFLOP/s (2 x multiply-adds; backward counted as twice the forward).
#include <ATen/Parallel.h>
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <immintrin.h>
#include <torch/torch.h>

#include "methods/common/kernels/conv5x5.hpp"
#include "methods/common/kernels/norm_pool.hpp"
#include "methods/common/kernels/rows.hpp"
#include "methods/common/networks.hpp"
#include "methods/common/ops.hpp"
#include "tests/bench/train_step.hpp"

namespace ops = ocb::methods::ops;

namespace {

ops::Kernels kernels_of(const benchmark::State& s) { return s.range(0) == 0 ? ops::Kernels::native : ops::Kernels::torch; }

// Benchmarked convolutions, each counted by the networks' own layer counts.
struct Layer {
  const char* name;
  ocb::methods::LayerShape shape;  // h = w
};
const Layer kLayers[] = {
    {"mnist.conv1", {1, 8, 28, 28, 2}},          {"mnist.conv2", {8, 4, 14, 14, 2}},
    {"mnist.deconv1", {2, 4, 8, 8, 2, true}},    {"mnist.deconv2", {4, 8, 16, 16, 3, true}},
    {"mnist.deconv3", {8, 1, 28, 28, 2, true}},  {"cifar.conv1", {3, 32, 32, 32, 2}},
    {"cifar.conv2", {32, 64, 16, 16, 2}},        {"cifar.conv3", {64, 128, 8, 8, 2}},
    {"cifar.deconv4", {32, 3, 32, 32, 2, true}},  {"cifar.deconv2", {128, 64, 8, 8, 2, true}},
    {"cifar.deconv3", {64, 32, 16, 16, 2, true}},
};

void conv_layer(benchmark::State& state) {
  at::set_num_threads(1);
  const Layer& layer = kLayers[state.range(1)];
  const auto& l = layer.shape;
  const auto k = kernels_of(state);
  torch::manual_seed(0);
  auto x = torch::randn({200, l.cin, l.h, l.w}).requires_grad_(true);
  auto w = (l.transposed ? torch::randn({l.cin, l.cout, 5, 5}) : torch::randn({l.cout, l.cin, 5, 5})).requires_grad_(true);
  at::Tensor y = l.transposed ? ops::conv_transpose5x5(x, w, l.pad, k) : ops::conv5x5(x, w, l.pad, k);
  auto gy = torch::randn_like(y);
  for (auto _ : state) {
    x.mutable_grad() = at::Tensor();
    w.mutable_grad() = at::Tensor();
    at::Tensor out = l.transposed ? ops::conv_transpose5x5(x, w, l.pad, k) : ops::conv5x5(x, w, l.pad, k);
    out.backward(gy);
    benchmark::DoNotOptimize(w.grad().data_ptr<float>());
  }
  state.SetLabel(std::string(layer.name) + (k == ops::Kernels::native ? " native" : " torch"));
  // forward + input gradient + weight gradient, each the forward's
  // multiply-adds (every tap of each window), for the batch of 200; "inside"
  // is the share of those taps that land inside the input, off the zero padding
  const auto counted = ocb::methods::layer_macs(l);
  state.counters["GFLOP/s"] =
      benchmark::Counter(3 * 2 * 200 * counted.all, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
  state.counters["inside"] = counted.inside / counted.all;
}

// The forward pass or the weight gradient of a layer alone, each way the
// direct kernels compute it (kernels/conv5x5.hpp; the same bytes): one
// sample at a time (rows, 0) or sixteen samples side by side, transposes
// included (lanes, 1). A transposed layer's forward is the convolution with
// padding 4 - pad, and so is its weight gradient (ops.cpp).
void conv_path(benchmark::State& state, bool weight_grad) {
  namespace kn = ocb::methods::kernels;
  const Layer& layer = kLayers[state.range(0)];
  const auto& l = layer.shape;
  const kn::ConvShape s{200, l.cin, l.cout, l.h, l.w, l.transposed ? 4 - l.pad : l.pad};
  torch::manual_seed(0);
  auto x = torch::randn({s.batch, s.in_channels, s.height, s.width});
  auto w = torch::randn({s.out_channels, s.in_channels, 5, 5});
  auto y = torch::randn({s.batch, s.out_channels, s.out_height(), s.out_width()});
  // Both kinds take (shape, input, the other operand, output): the weights
  // into y, or y (the output gradient) into the weights' gradient.
  const bool rows = state.range(1) == 0, channels = state.range(1) == 2;
  if (channels && (!weight_grad || s.out_channels % kn::kWgradGroup != 0)) {
    state.SkipWithError("no such path for this layer");
    return;
  }
  const auto path = weight_grad ? (channels ? kn::conv5x5_weight_grad_channels
                                            : rows ? kn::conv5x5_weight_grad_rows : kn::conv5x5_weight_grad_lanes)
                                : (rows ? kn::conv5x5_forward_rows : kn::conv5x5_forward_lanes);
  const float* other = weight_grad ? y.data_ptr<float>() : w.data_ptr<float>();
  float* out = weight_grad ? w.data_ptr<float>() : y.data_ptr<float>();
  for (auto _ : state) {
    path(s, x.data_ptr<float>(), other, out);
    benchmark::DoNotOptimize(out);
  }
  state.SetLabel(std::string(layer.name) + (channels ? " channels" : rows ? " rows" : " lanes"));
  const auto counted = ocb::methods::layer_macs(l);
  state.counters["GFLOP/s"] =
      benchmark::Counter(2 * 200 * counted.all, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}
void conv_forward_path(benchmark::State& state) { conv_path(state, false); }
void conv_weight_grad_path(benchmark::State& state) { conv_path(state, true); }

// The fused batch norm + leaky ReLU (+ 2x2 max-pooling or upsampling) of a
// layer of the paper's networks (kernels/norm_pool.hpp), batch 200, without
// affine parameters (the networks are bias-free): forward (0) or backward (1)
// alone. "GB/s" counts each array the pass must touch once (forward: x read,
// y written; backward: x, gy and the pooling's choices read, gx written), the
// traffic floor of the op; what it reaches against the core's bandwidth says
// how far the kernels are from it.
struct NormLayer {
  const char* name;
  std::int64_t c, h, w;
  ocb::methods::kernels::After after;
};
const NormLayer kNormLayers[] = {
    {"mnist.bn1", 8, 28, 28, ocb::methods::kernels::After::pool2x2},
    {"mnist.bn2", 4, 14, 14, ocb::methods::kernels::After::pool2x2},
    {"mnist.bn_d2", 8, 14, 14, ocb::methods::kernels::After::upsample2x},
    {"cifar.bn1", 32, 32, 32, ocb::methods::kernels::After::pool2x2},
};

void norm_act_layer(benchmark::State& state) {
  namespace kn = ocb::methods::kernels;
  const NormLayer& l = kNormLayers[state.range(0)];
  const bool backward = state.range(1) == 1;
  constexpr std::int64_t n = 200;
  const auto [oh, ow] = kn::after_shape(l.after, l.h, l.w);
  torch::manual_seed(0);
  auto x = torch::randn({n, l.c, l.h, l.w});
  auto y = torch::empty({n, l.c, oh, ow});
  auto gy = torch::randn({n, l.c, oh, ow});
  auto gx = torch::empty_like(x);
  auto where = torch::empty({n, l.c, oh, ow}, torch::kByte);
  auto mean = torch::empty({l.c}), var = torch::empty({l.c}), invstd = torch::empty({l.c});
  auto* wp = l.after == kn::After::pool2x2 ? where.data_ptr<std::uint8_t>() : nullptr;
  const auto forward = [&] {
    kn::batch_norm_act_train(x.data_ptr<float>(), n, l.c, l.h, l.w, 1e-4, nullptr, nullptr, 0.1f, l.after, y.data_ptr<float>(),
                             wp, mean.data_ptr<float>(), var.data_ptr<float>(), invstd.data_ptr<float>());
  };
  forward();
  for (auto _ : state) {
    if (backward) {
      kn::batch_norm_act_backward(x.data_ptr<float>(), gy.data_ptr<float>(), n, l.c, l.h, l.w, mean.data_ptr<float>(),
                                  invstd.data_ptr<float>(), nullptr, nullptr, 0.1f, l.after, wp, gx.data_ptr<float>(), nullptr,
                                  nullptr);
      benchmark::DoNotOptimize(gx.data_ptr<float>());
    } else {
      forward();
      benchmark::DoNotOptimize(y.data_ptr<float>());
    }
  }
  state.SetLabel(std::string(l.name) + (backward ? " backward" : " forward"));
  const double in = 4.0 * x.numel(), out = 4.0 * y.numel(), picks = wp ? static_cast<double>(where.numel()) : 0.0;
  const double bytes = backward ? 2 * in + out + picks : in + out + picks;
  state.counters["GB/s"] = benchmark::Counter(bytes, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

// The core's multiply-add peak, the yardstick of the GFLOP/s above: 16 (12)
// independent chains of fused multiply-adds on 16-float (AVX-512) or 8-float
// (AVX2) vectors, all in registers; the 8-float figure is also the ceiling of the direct
// kernels' reductions, which keep eight partial sums.
__attribute__((target("avx512f"))) float fma_chains_512(std::int64_t iters, float scale) {
  __m512 acc[16];
  for (int j = 0; j < 16; ++j) acc[j] = _mm512_set1_ps(1e-3f * static_cast<float>(j));
  const __m512 m = _mm512_set1_ps(scale), a = _mm512_set1_ps(1e-7f);
  for (std::int64_t i = 0; i < iters; ++i)
    for (int j = 0; j < 16; ++j) acc[j] = _mm512_fmadd_ps(acc[j], m, a);
  for (int j = 1; j < 16; ++j) acc[0] = _mm512_add_ps(acc[0], acc[j]);
  float out[16];
  _mm512_storeu_ps(out, acc[0]);
  return out[0];
}

__attribute__((target("avx2,fma"))) float fma_chains_256(std::int64_t iters, float scale) {
  __m256 acc[12];  // + 2 constants: within AVX2's 16 registers
  for (int j = 0; j < 12; ++j) acc[j] = _mm256_set1_ps(1e-3f * static_cast<float>(j));
  const __m256 m = _mm256_set1_ps(scale), a = _mm256_set1_ps(1e-7f);
  for (std::int64_t i = 0; i < iters; ++i)
    for (int j = 0; j < 12; ++j) acc[j] = _mm256_fmadd_ps(acc[j], m, a);
  for (int j = 1; j < 12; ++j) acc[0] = _mm256_add_ps(acc[0], acc[j]);
  float out[8];
  _mm256_storeu_ps(out, acc[0]);
  return out[0];
}

void peak_fma(benchmark::State& state) {
  const bool wide = state.range(0) == 0;
  __builtin_cpu_init();
  if (wide ? !__builtin_cpu_supports("avx512f") : !(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) {
    state.SkipWithError("this CPU lacks the instruction set");
    return;
  }
  constexpr std::int64_t kIters = 1 << 20;
  float scale = 0.999999f;
  for (auto _ : state) {
    benchmark::DoNotOptimize(scale);  // a fresh input each time: no call is hoisted or folded
    benchmark::DoNotOptimize(wide ? fma_chains_512(kIters, scale) : fma_chains_256(kIters, scale));
  }
  const double flops = static_cast<double>(kIters) * (wide ? 16 * 16 : 12 * 8) * 2;
  state.SetLabel(wide ? "peak avx512 (16 lanes)" : "peak avx2 (8 lanes)");
  state.counters["GFLOP/s"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

// One Adam step of the encoder (Deep SVDD loss) or the autoencoder.
void train_step(benchmark::State& state, const std::string& arch, bool autoencoder) {
  at::set_num_threads(1);
  const auto kernels = kernels_of(state);
  ocb::bench::TrainStep step(arch, autoencoder, kernels, 200);
  for (auto _ : state) step();
  // The step's multiply-adds: forward, weight gradients, and input gradients
  // but the network input's; every tap of each window counts (the rate), and
  // "inside" is the share of them that lands inside the input, off the zero
  // padding (what a target asks of the core, deep_speed_page.py).
  const auto m = ocb::methods::macs(arch, autoencoder);
  state.SetLabel(arch + (autoencoder ? " autoencoder" : " encoder") + (kernels == ops::Kernels::native ? " native" : " torch"));
  state.counters["GFLOP/s"] =
      benchmark::Counter(2 * m.training * 200, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
  state.counters["inside"] = m.training_inside / m.training;
  // One epoch of MNIST class 3 (6,131 images) is 31 such steps.
  // (1/31 per iteration as a rate, inverted: 31 steps' seconds; 31 with the
  // same flags gave a 31st of a step.)
  if (arch == "mnist_lenet")
    state.counters["s/epoch(31 steps)"] =
        benchmark::Counter(1.0 / 31, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// K cells' MNIST autoencoder steps as one network (the trainer's batched
// steps, methods/common/trainer.cpp): each cell its own weights, batch and
// Adam. Arguments: K, and 0 for the split layers (what the CPU runs, each
// cell's own ops) or 1 for the fused ones (what CUDA runs: grouped
// convolutions, batched matrix products), here on the CPU. "s/cell" is the
// step's time over K, to compare with K = 1.
void group_step(benchmark::State& state) {
  at::set_num_threads(1);
  const auto k = static_cast<std::size_t>(state.range(0));
  ops::set_group_mode(state.range(1) ? ops::GroupMode::fused : ops::GroupMode::split);
  std::vector<std::shared_ptr<ocb::methods::Autoencoder>> nets;
  std::vector<ocb::methods::Autoencoder*> raw;
  std::vector<std::unique_ptr<torch::optim::Adam>> adams;
  std::vector<at::Tensor> xs;
  torch::manual_seed(0);
  for (std::size_t c = 0; c < k; ++c) {
    auto enc = ocb::methods::make_encoder("mnist_lenet", {});
    auto dec = ocb::methods::make_decoder("mnist_lenet", {});
    ocb::core::Rng rng(c + 1);
    ocb::methods::init_encoder(*enc, "mnist_lenet", true, rng);
    ocb::methods::init_decoder(*dec, "mnist_lenet", rng);
    nets.push_back(std::make_shared<ocb::methods::Autoencoder>(enc, dec));
    nets.back()->train();
    raw.push_back(nets.back().get());
    adams.push_back(std::make_unique<torch::optim::Adam>(nets.back()->parameters(), torch::optim::AdamOptions(1e-4)));
    xs.push_back(torch::rand({200, 1, 28, 28}));
  }
  for (auto _ : state) {
    for (auto& a : adams) a->zero_grad();
    const auto out = ocb::methods::Autoencoder::forward_group(raw, at::cat(xs, 1)).chunk(static_cast<std::int64_t>(k), 1);
    std::vector<at::Tensor> losses;
    for (std::size_t c = 0; c < k; ++c) losses.push_back((out[c].contiguous() - xs[c]).pow(2).flatten(1).sum(1).mean());
    torch::autograd::backward(losses);
    for (auto& a : adams) a->step();
  }
  ops::set_group_mode(ops::GroupMode::automatic);
  state.SetLabel(fmt::format("{} MNIST autoencoders, {} layers", k, state.range(1) ? "fused" : "split"));
  state.counters["s/cell"] =
      benchmark::Counter(static_cast<double>(k), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

}  // namespace

BENCHMARK(peak_fma)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK(conv_forward_path)->ArgsProduct({{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {0, 1}})->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK(norm_act_layer)->ArgsProduct({{0, 1, 2, 3}, {0, 1}})->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK(conv_weight_grad_path)->ArgsProduct({{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {0, 1, 2}})->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK(conv_layer)->ArgsProduct({{0, 1}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}})->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK_CAPTURE(train_step, mnist_encoder, std::string("mnist_lenet"), false)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK_CAPTURE(train_step, mnist_autoencoder, std::string("mnist_lenet"), true)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK_CAPTURE(train_step, cifar_encoder, std::string("cifar10_lenet"), false)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_CAPTURE(train_step, cifar_autoencoder, std::string("cifar10_lenet"), true)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(group_step)->Args({1, 0})->Args({4, 0})->Args({4, 1})->Unit(benchmark::kMillisecond)->MinTime(1.0);

// Google Benchmark cases for the deep methods: each 5x5 convolution layer of
// the paper's networks (forward, and backward for input and weights), and one
// training step of the MNIST and CIFAR-10 encoder (Deep SVDD) and autoencoder
// (pretraining), with ocbench's kernels and with LibTorch's. Counters report
// achieved GFLOP/s (2 x multiply-adds; backward counted as twice the forward).
#include <ATen/Parallel.h>
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "methods/common/networks.hpp"
#include "methods/common/ops.hpp"
#include "tests/bench/train_step.hpp"

namespace ops = ocb::methods::ops;

namespace {

ops::Kernels kernels_of(const benchmark::State& s) { return s.range(0) == 0 ? ops::Kernels::native : ops::Kernels::torch; }

struct Layer {
  const char* name;
  int ci, co, h, pad;
  bool transposed;
};
const Layer kLayers[] = {
    {"mnist.conv1", 1, 8, 28, 2, false},   {"mnist.conv2", 8, 4, 14, 2, false},
    {"mnist.deconv1", 2, 4, 8, 2, true},   {"mnist.deconv2", 4, 8, 16, 3, true},
    {"mnist.deconv3", 8, 1, 28, 2, true},  {"cifar.conv1", 3, 32, 32, 2, false},
    {"cifar.conv2", 32, 64, 16, 2, false}, {"cifar.conv3", 64, 128, 8, 2, false},
};

void conv_layer(benchmark::State& state) {
  at::set_num_threads(1);
  const Layer& l = kLayers[state.range(1)];
  const auto k = kernels_of(state);
  torch::manual_seed(0);
  auto x = torch::randn({200, l.ci, l.h, l.h}).requires_grad_(true);
  auto w = (l.transposed ? torch::randn({l.ci, l.co, 5, 5}) : torch::randn({l.co, l.ci, 5, 5})).requires_grad_(true);
  at::Tensor y = l.transposed ? ops::conv_transpose5x5(x, w, l.pad, k) : ops::conv5x5(x, w, l.pad, k);
  auto gy = torch::randn_like(y);
  // Output positions x 25 taps x input channels (of the convolution that is computed).
  const double macs = static_cast<double>(y.numel()) * 25 * l.ci;
  for (auto _ : state) {
    x.mutable_grad() = at::Tensor();
    w.mutable_grad() = at::Tensor();
    at::Tensor out = l.transposed ? ops::conv_transpose5x5(x, w, l.pad, k) : ops::conv5x5(x, w, l.pad, k);
    out.backward(gy);
    benchmark::DoNotOptimize(w.grad().data_ptr<float>());
  }
  state.SetLabel(std::string(l.name) + (k == ops::Kernels::native ? " native" : " torch"));
  // forward + input gradient + weight gradient, each ~ the forward's multiply-adds
  state.counters["GFLOP/s"] = benchmark::Counter(3 * 2 * macs, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

// One Adam step of the encoder (Deep SVDD loss) or the autoencoder.
void train_step(benchmark::State& state, const std::string& arch, bool autoencoder) {
  at::set_num_threads(1);
  const auto kernels = kernels_of(state);
  ocb::bench::TrainStep step(arch, autoencoder, kernels, 200);
  for (auto _ : state) step();
  const double macs = ocb::methods::forward_macs(arch, autoencoder) * 200;
  state.SetLabel(arch + (autoencoder ? " autoencoder" : " encoder") + (kernels == ops::Kernels::native ? " native" : " torch"));
  state.counters["GFLOP/s"] = benchmark::Counter(3 * 2 * macs, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
  // One epoch of MNIST class 3 (6,131 images) is 31 such steps.
  state.counters["s/epoch(31 steps)"] = benchmark::Counter(31, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

}  // namespace

BENCHMARK(conv_layer)->ArgsProduct({{0, 1}, {0, 1, 2, 3, 4, 5, 6, 7}})->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK_CAPTURE(train_step, mnist_encoder, std::string("mnist_lenet"), false)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK_CAPTURE(train_step, mnist_autoencoder, std::string("mnist_lenet"), true)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK_CAPTURE(train_step, cifar_encoder, std::string("cifar10_lenet"), false)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_CAPTURE(train_step, cifar_autoencoder, std::string("cifar10_lenet"), true)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(2.0);

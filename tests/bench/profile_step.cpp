// ocb_profile_step: where the time of one training step goes. Runs Adam steps
// of the paper's encoder (Deep SVDD loss) or autoencoder (pretraining loss)
// on one thread with the batch size of the protocol, under LibTorch's
// profiler, and writes the events as a Chrome trace (every ATen op, autograd
// node and ocbench kernel with its start and duration). profile_step.py turns
// traces into each op's share of a step (results/performance/profile.md).
//
//   ocb_profile_step ARCH autoencoder|encoder native|torch STEPS TRACE.json [WARMUP]
//
// WARMUP steps (default 2) run first, unprofiled and untimed: the allocator's
// and oneDNN's first-use costs stay out of the profile. Then STEPS steps run
// timed without the profiler (printed) and STEPS more under it (the trace).
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/profiler_legacy.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "harness/core/numerics.hpp"
#include "harness/core/runtime.hpp"
#include "methods/common/ops.hpp"
#include "tests/bench/train_step.hpp"

int main(int argc, char** argv) {
  // As ocbench starts (core/runtime.hpp; may re-execute this program).
  ocb::core::start_process(argc, argv, false);
  if (argc != 6 && argc != 7) {
    std::fprintf(stderr, "usage: %s ARCH autoencoder|encoder native|torch STEPS TRACE.json [WARMUP]\n", argv[0]);
    return 2;
  }
  const std::string arch = argv[1], mode = argv[2], kernels = argv[3], trace = argv[5];
  const int steps = std::stoi(argv[4]);
  const int warmup = argc == 7 ? std::stoi(argv[6]) : 2;
  if ((mode != "autoencoder" && mode != "encoder") || steps < 1 || warmup < 0) {
    std::fprintf(stderr, "mode must be autoencoder or encoder, STEPS >= 1 and WARMUP >= 0\n");
    return 2;
  }
  at::set_num_threads(1);
  const std::int64_t batch = arch == "gtsrb_lenet" ? 64 : 200;
  ocb::bench::TrainStep train(arch, mode == "autoencoder", ocb::methods::ops::parse_kernels(kernels), batch);
  // Each phase is a named range, so the profile gives its share of the step.
  auto step = [&] {
    at::Tensor loss;
    {
      RECORD_FUNCTION("phase: zero_grad", std::vector<c10::IValue>());
      train.zero_grad();
    }
    {
      RECORD_FUNCTION("phase: forward + loss", std::vector<c10::IValue>());
      loss = train.loss();
    }
    {
      RECORD_FUNCTION("phase: backward", std::vector<c10::IValue>());
      loss.backward();
    }
    {
      RECORD_FUNCTION("phase: optimizer (Adam)", std::vector<c10::IValue>());
      train.optimizer_step();
    }
  };
  for (int i = 0; i < warmup; ++i) step();  // warm: allocator, oneDNN primitives, page faults
  // The profiler's own event lists grow while it runs and take over heap
  // that the step's freed buffers would have reused, so that a buffer lands
  // on pages never touched before and its first writer (the batch norm's
  // backward, into a fresh gx) pays the page faults, which cost several
  // microseconds each in a VM. Touching half a GiB of heap and freeing it
  // (the allocator keeps it: core::start_process) leaves those pages mapped.
  {
    constexpr std::size_t kBlock = 16u << 20;  // under the mmap threshold, so from the heap
    std::vector<void*> blocks;
    for (int i = 0; i < 32; ++i) {
      blocks.push_back(std::malloc(kBlock));
      if (blocks.back()) std::memset(blocks.back(), 0, kBlock);
    }
    for (void* b : blocks) std::free(b);
  }
  // The same number of steps without the profiler, timed: what the step
  // costs when nothing watches it, for the page to set beside the profile.
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < steps; ++i) step();
  const double plain_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  {
    std::ofstream out(trace);
    torch::autograd::profiler::RecordProfile guard(out);
    for (int i = 0; i < steps; ++i) {
      RECORD_FUNCTION("ocb::train_step", std::vector<c10::IValue>());
      step();
    }
  }
  std::printf("%s %s %s batch %lld: %d steps profiled after %d warm-up steps; unprofiled %.2f ms a step; numerics %s\n",
              arch.c_str(), mode.c_str(), kernels.c_str(), static_cast<long long>(batch), steps, warmup,
              1000.0 * plain_s / steps, ocb::core::cpu_numerics().signature().c_str());
  return 0;
}

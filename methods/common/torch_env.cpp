// LibTorch setup (torch_env.hpp); also records LibTorch's version.
#include "methods/common/torch_env.hpp"

#include <ATen/Parallel.h>
#include <ATen/Context.h>
#include <torch/version.h>

#include "harness/core/error.hpp"
#include "harness/core/versions.hpp"

namespace ocb::methods {
namespace {
[[maybe_unused]] const bool version_added = core::add_library_version("libtorch", TORCH_VERSION);
}

at::Device torch_setup(const core::RunContext& ctx) {
  at::set_num_threads(ctx.threads());
  if (ctx.device() == "cpu") return at::Device(at::kCPU);
  if (core::is_cuda_device(ctx.device())) {
    if (!at::hasCUDA())
      throw core::Error("device \"" + ctx.device() + "\" asked for, but this LibTorch has no CUDA support or no GPU is visible");
    at::globalContext().setDeterministicCuDNN(true);
    at::globalContext().setBenchmarkCuDNN(false);
    // "cuda" keeps LibTorch's default, which lets cuDNN run float32
    // convolutions in TF32 (a 10-bit mantissa) on Ampere and newer GPUs;
    // "cuda-fp32" asks for float32 throughout. The device name is part of the
    // numerics signature, so the two never mix unnoticed.
    if (ctx.device() == "cuda-fp32") {
      at::globalContext().setAllowTF32CuDNN(false);
      at::globalContext().setAllowTF32CuBLAS(false);
    }
    return at::Device(at::kCUDA);
  }
  throw core::Error("unknown device '" + ctx.device() + "' (known: cpu, cuda, cuda-fp32)");
}

void rethrow_torch_error(const std::exception& e) {
  const auto* c10 = dynamic_cast<const c10::Error*>(&e);
  throw core::Error(std::string("LibTorch: ") + (c10 ? c10->what_without_backtrace() : e.what()));
}

at::Tensor as_tensor(const core::Samples& x, const at::Device& device) {
  const auto& s = x.shape();
  auto t = at::from_blob(const_cast<float*>(x.data()), {s.n, s.c, s.h, s.w}, at::kFloat);
  return device.is_cpu() ? t : t.to(device);
}

}  // namespace ocb::methods

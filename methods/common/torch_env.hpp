// Per-cell LibTorch setup for the deep methods: intra-op threads of the
// calling worker thread, the device, and views of Samples as tensors.
#pragma once

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include "harness/core/run_context.hpp"
#include "harness/core/samples.hpp"

namespace ocb::methods {

// Sets this thread's LibTorch threads to ctx.threads() and returns the device
// ctx.device() names ("cpu", or "cuda" when LibTorch was built with CUDA).
at::Device torch_setup(const core::RunContext& ctx);

// Runs fn, turning LibTorch's c10::Error (whose message carries a C++
// backtrace) into a one-line core::Error.
template <class F>
decltype(auto) torch_errors_translated(F&& fn);

// The samples as a float32 tensor [N, C, H, W] on `device` (a zero-copy view
// on CPU; the samples must outlive it and are never written through it).
at::Tensor as_tensor(const core::Samples& x, const at::Device& device);

[[noreturn]] void rethrow_torch_error(const std::exception& e);

template <class F>
decltype(auto) torch_errors_translated(F&& fn) {
  try {
    return fn();
  } catch (const c10::Error& e) {
    rethrow_torch_error(e);
  }
}

}  // namespace ocb::methods

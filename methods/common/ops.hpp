// The layers of the paper's networks as differentiable LibTorch operations.
// On CPU float32 tensors with Kernels::native they run ocbench's own kernels
// (methods/common/kernels/) inside autograd functions, convolutions of every
// channel count included (ops.cpp); on CUDA, or with Kernels::torch, they are LibTorch's
// own operations with the same semantics, which the tests use as the reference.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "methods/common/kernels/norm_pool.hpp"

namespace ocb::methods::ops {

enum class Kernels { native, torch };
Kernels parse_kernels(const std::string& name);  // "native" | "torch"

// 5x5 convolution, stride 1, no bias: w [Co, Ci, 5, 5]. `upsampled`: of
// upsample2x(x) (nearest, by 2), which the native kernels read from x as they
// load it instead of writing it out: the same bytes forward and backward.
at::Tensor conv5x5(const at::Tensor& x, const at::Tensor& w, std::int64_t pad, Kernels k, bool upsampled = false);
// 5x5 transposed convolution, stride 1, no bias: w [Ci, Co, 5, 5] (PyTorch's layout).
at::Tensor conv_transpose5x5(const at::Tensor& x, const at::Tensor& w, std::int64_t pad, Kernels k,
                             bool upsampled = false);
// Batch normalisation over every dimension but 1 (2-d [N, C] or 4-d [N, C, H, W]).
// Training: batch statistics, running statistics updated in place with
// `momentum` (unbiased variance, as PyTorch). weight/bias may be undefined (affine-free).
at::Tensor batch_norm(const at::Tensor& x, at::Tensor& running_mean, at::Tensor& running_var, const at::Tensor& weight,
                      const at::Tensor& bias, bool training, double momentum, double eps, Kernels k);
// leaky_relu(batch_norm(x), slope), then 2x2 max-pooling, 2x upsampling or
// nothing: one fused op in training mode on the native kernels (the same bytes
// as the separate ops, less memory traffic), the separate ops otherwise.
using After = kernels::After;
at::Tensor batch_norm_act(const at::Tensor& x, at::Tensor& running_mean, at::Tensor& running_var, const at::Tensor& weight,
                          const at::Tensor& bias, bool training, double momentum, double eps, double slope, After after,
                          Kernels k);
at::Tensor max_pool2x2(const at::Tensor& x, Kernels k);
at::Tensor upsample2x(const at::Tensor& x, Kernels k);

// K cells' layers as one layer (trainer.hpp's batched training). Activations
// hold the K cells' channels side by side along dim 1 ([N, K*C, ...]); each
// cell has its own weights. Split (default, what the CPU gets): each cell's
// part goes through the op above alone, so every cell gets the bytes it gets
// alone. Fused (what CUDA gets): one grouped convolution, one batched matrix
// product for all K, whose sums may be ordered otherwise.
enum class GroupMode { automatic, split, fused };
void set_group_mode(GroupMode mode);  // process-wide; automatic: fused on CUDA, split elsewhere
bool fused_groups(const at::Tensor& x);
// w[k] is cell k's weight in conv5x5's (or conv_transpose5x5's) layout.
at::Tensor group_conv5x5(const at::Tensor& x, const std::vector<at::Tensor>& w, std::int64_t pad, bool transposed, Kernels k);
// x [N, K*F], w[k] [R, F] (no bias): [N, K*R].
at::Tensor group_linear(const at::Tensor& x, const std::vector<at::Tensor>& w);
// One cell's batch norm: its running statistics (updated in place in
// training mode) and its affine weights (undefined when affine-free).
struct BnCell {
  at::Tensor running_mean, running_var, weight, bias;
};
// batch_norm (act: nullopt) or batch_norm_act of K cells. In training mode
// on the native kernels, and fused, one op over all the cells' channels
// (statistics per channel, so per cell; each cell's running statistics move
// as they would alone); otherwise each cell's part alone.
at::Tensor group_batch_norm(const at::Tensor& x, const std::vector<BnCell>& cells, bool training, double momentum, double eps,
                            double slope, std::optional<After> act, Kernels k);

}  // namespace ocb::methods::ops

// Direct 5x5, stride-1 convolution kernels for the paper's small-channel
// networks (PERF-NOTES.md: LibTorch 1.13's backward for these shapes runs at
// ~5 GFLOP/s through a per-sample generic path). Plain C++ on contiguous
// float32 NCHW arrays, no torch: methods/common/ops.cpp wraps them as autograd
// functions, tests compare them with LibTorch's own convolutions.
//
// The trick: with the input padded into a Hp x Wp plane, output row y at
// column x reads plane[(y + ky) * Wp + x + kx]; computing the output on the
// full padded width ("wide" rows, Ho x Wp) turns each (ky, kx) tap into one
// long contiguous multiply-add that vectorises, at the cost of Wp - Wo wasted
// columns per row.
#pragma once

#include <cstdint>

namespace ocb::methods::kernels {

// height x width is the input the convolution sees. With `upsampled`, x holds
// each input plane at half that height and width and the convolution reads
// its nearest-neighbour upsampling by 2 (each element twice in a row, each
// row twice), as if x were upsample2x's output: the same bytes, without that
// output written and read back (height and width even).
struct ConvShape {
  std::int64_t batch, in_channels, out_channels, height, width, pad;
  bool upsampled = false;
  std::int64_t out_height() const { return height + 2 * pad - 4; }
  std::int64_t out_width() const { return width + 2 * pad - 4; }
  // Floats of one input plane as x holds it.
  std::int64_t stored_plane() const { return upsampled ? (height / 2) * (width / 2) : height * width; }
};

// y[B, Co, Ho, Wo] = sum_ci x[B, ci] (*) w[Co, ci] (cross-correlation, no bias).
void conv5x5_forward(const ConvShape& s, const float* x, const float* w, float* y);

// The two ways it is computed, both with the bytes of the definition above
// (the tap chain: over ci, ky, kx from zero): padded planes of one sample,
// row segments in registers (conv_block), or sixteen samples side by side,
// one per lane (conv_lanes). conv5x5_forward picks one by shape and build.
void conv5x5_forward_rows(const ConvShape& s, const float* x, const float* w, float* y);
void conv5x5_forward_lanes(const ConvShape& s, const float* x, const float* w, float* y);

// gw[Co, Ci, 5, 5] = sum over batch and positions of gy * shifted x (overwritten).
// Two orders, chosen by shape alone (weight_channels_path), never by build:
// layers with many channels (Ci x Co >= kChannelsPathMinProduct, Co a multiple
// of 16) take conv5x5_weight_grad_channels' below; the others, for each sample
// in order, add to each output the fold of eight partial sums over the wide
// grid (RowKernels::dots), computed one sample at a time (rows) or sixteen
// side by side (lanes, RowKernels::dots_lanes), the same bytes;
// conv5x5_weight_grad picks one of the two by shape and build.
constexpr std::int64_t kChannelsPathMinProduct = 1024;
bool weight_channels_path(const ConvShape& s);
void conv5x5_weight_grad(const ConvShape& s, const float* x, const float* gy, float* gw);
void conv5x5_weight_grad_rows(const ConvShape& s, const float* x, const float* gy, float* gw);
void conv5x5_weight_grad_lanes(const ConvShape& s, const float* x, const float* gy, float* gw);

// The weight gradient of layers with many channels (ops.cpp), in another
// order: each weight's own chain of fused multiply-adds from zero over the
// samples in order and, within a sample, over the output positions in
// row-major order (RowKernels::wgrad_tile, the output channels side by side).
// out_channels a multiple of kWgradGroup (16).
void conv5x5_weight_grad_channels(const ConvShape& s, const float* x, const float* gy, float* gw);

// out[b][a][4 - ky][4 - kx] = w[a][b][ky][kx] for w of shape [A, B, 5, 5]:
// turns a convolution's weights into those of its input gradient (and a
// transposed convolution's into those of the equivalent convolution).
void flip_transpose5x5(const float* w, std::int64_t a, std::int64_t b, float* out);

}  // namespace ocb::methods::kernels

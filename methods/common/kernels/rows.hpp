// The innermost loops of the direct kernels (conv5x5, norm_pool) and of KDE's
// kernel sums (exp_sums.inc), built three times, for AVX-512, AVX2 + FMA and
// baseline x86-64, and called through the table of the instruction set chosen
// at start-up. Their results do not depend on which build runs: every
// multiply-add is an explicit fused one (the baseline build gets it from libm,
// exact and slow), nothing else is contracted (-ffp-contract=off), and every
// reduction keeps eight partial sums in a fixed order, whatever the vector
// width (KDE's sums and wgrad_tile: one chain per lane, in a fixed order).
// tests/unit/methods/ops_test.cpp and shallow_test.cpp run each build this
// CPU supports and compare the bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ocb::methods::kernels {

enum class Isa { baseline, avx2, avx512 };

// How far past the last padded plane RowKernels::conv_block may read: one
// register's width.
constexpr std::int64_t kConvReadPast = 16;

// Samples side by side in RowKernels::conv_lanes' layout, on every build.
constexpr std::int64_t kSampleLanes = 16;

// Output channels a group of RowKernels::wgrad_tile: one AVX-512 register.
constexpr std::int64_t kWgradGroup = 16;

struct RowKernels {
  // o[i] = fma(w4, b[i + 4], ... fma(w0, b[i], o[i])): one kernel row of a
  // direct convolution, the chain that defines conv_block's sums (its test
  // compares the two).
  void (*taps)(float* o, const float* b, std::int64_t n, const float* w);
  // A 5x5 convolution of cin padded planes (planes[ci * plane_stride], wp wide)
  // into `channels` (1 to 4, or 8) output planes of ho x wo (out[c * out_stride]):
  // output (r, x) of channel c is the sum over ci < cin, ky, kx of
  // w[c * w_stride + 25 ci + 5 ky + kx] planes[ci][(r + ky) wp + x + kx],
  // accumulated from zero by fused multiply-adds in the order ci, ky, kx (the
  // chain of taps() over every (ci, ky)). Reads up to kConvReadPast floats past
  // the last plane's (ho + 4) x wp; writes only the outputs.
  void (*conv_block)(float* out, std::int64_t out_stride, int channels, const float* planes, std::int64_t plane_stride,
                     std::int64_t cin, std::int64_t ho, std::int64_t wo, std::int64_t wp, const float* w,
                     std::int64_t w_stride);
  // conv_block for kSampleLanes samples side by side, one output row: planes
  // hold each position as kSampleLanes floats, one per sample (padded planes
  // of hp x wp positions, planes[ci * plane_stride + (row * wp + col) *
  // kSampleLanes + sample], starting at the output row's first input row),
  // and out[c * out_stride + x * kSampleLanes + sample] gets, for each sample,
  // the sum conv_block gives that sample's output (r, x): the same chain.
  void (*conv_lanes)(float* out, std::int64_t out_stride, int channels, const float* planes, std::int64_t plane_stride,
                     std::int64_t cin, std::int64_t wo, std::int64_t wp, const float* w, std::int64_t w_stride);
  // dst[j * kSampleLanes + s] = src[s][j] for j < n, s < kSampleLanes (src[s]
  // readable for n floats) ...
  void (*to_lanes)(const float* const* src, std::int64_t n, float* dst);
  // ... and back: dst[s][j] = src[j * kSampleLanes + s] for s < count, j < n.
  void (*from_lanes)(const float* src, std::int64_t n, float* const* dst, std::int64_t count);
  // to_lanes with each element twice (2n positions), a row of the
  // nearest-neighbour upsampling by 2: dst[(2 j + d) * kSampleLanes + s] =
  // src[s][j] for d = 0, 1.
  void (*to_lanes_up)(const float* const* src, std::int64_t n, float* dst);
  // dst[r * dst_stride + c] = src[r * src_stride + c] for r < rows, c < cols:
  // short rows without a library call each.
  void (*copy_rows)(const float* src, std::int64_t src_stride, float* dst, std::int64_t dst_stride, std::int64_t rows,
                    std::int64_t cols);
  // s[kx] += sum_i g[i] b[i + kx] (and t[kx] += sum_i h[i] b[i + kx]), kx = 0..4.
  void (*dots)(const float* g, const float* b, std::int64_t n, float* s);
  void (*dots2)(const float* g, const float* h, const float* b, std::int64_t n, float* s, float* t);
  // One gradient row against two input rows: s[kx] as dots(g, b, n, s), t[kx]
  // as dots(g, c, n, t); ten chains where dots has five. Reads b and c up to
  // n + 8 floats (one register past the last shifted row).
  void (*dots_in2)(const float* g, const float* b, const float* c, std::int64_t n, float* s, float* t);
  // dots_in2 for the five rows of a 5x5 kernel at once: kernel row ky reads
  // b + ky wp and c + ky wp into s + 5 ky and t + 5 ky (the bytes of five
  // dots_in2 calls), for wp a multiple of eight and n >= 4 wp, a multiple of eight.
  void (*dots_in2_planes)(const float* g, const float* b, const float* c, std::int64_t n, std::int64_t wp, float* s,
                          float* t);
  // The same for four gradient rows g[0..3] into s[0..3] (each s[j] as dots(g[j], b, n, s[j])).
  void (*dots4)(const float* const* g, const float* b, std::int64_t n, float* const* s);
  // dots4 over the wide grid of ho x wp without it: g[j] holds ho rows of wo
  // (8 <= wo <= wp, wp a multiple of eight) and dots4_rows reads them as the grid
  // holds them, zero past wo in each row (n = ho wp): the same bytes, without
  // the copy onto the grid.
  void (*dots4_rows)(const float* const* g, std::int64_t ho, std::int64_t wo, std::int64_t wp, const float* b,
                     float* const* s);
  // dots4 and dots4_rows for two kernel rows at once, b into s and b + wp
  // into t (the bytes of two calls; dots4_pair reads b + wp as dots4 reads b,
  // and its wp is any offset: the next kernel row, or the same row of the
  // next input channel's plane).
  void (*dots4_pair)(const float* const* g, const float* b, std::int64_t wp, std::int64_t n, float* const* s, float* const* t);
  void (*dots4_rows_pair)(const float* const* g, std::int64_t ho, std::int64_t wo, std::int64_t wp, const float* b,
                          float* const* s, float* const* t);
  // dots for kSampleLanes samples side by side (conv_lanes' layout), for
  // `channels` (1 to 4) gradient rows: element i of sample s is
  // g[c * g_stride + i * kSampleLanes + s] for row c, b[i * kSampleLanes + s]
  // (readable for n + 4 elements), n a multiple of 8. out[(c * 5 + kx) *
  // kSampleLanes + s] gets fold8 of the eight partial sums that dots keeps for
  // that sample, row and kx: what dots would add to s[kx], each sample's own
  // bytes (the caller adds them in the order of the samples).
  void (*dots_lanes)(const float* g, std::int64_t g_stride, int channels, const float* b, std::int64_t n, float* out);
  // A weight gradient's tile with its output channels side by side: for
  // `channels` (16 or 32) channels co, `rows` (1 or 2) kernel rows j and
  // kx < 5, acc[(5 j + kx) * acc_stride + co] continues its chain of fused
  // multiply-adds over `count` samples s in order and, within a sample, over
  // the output positions p = r wo + c in row-major order (r < ho, c < wo):
  // acc += x[s * x_sample + (r + j) wp + c + kx] * g[s * g_sample + p g_pos + co],
  // x a padded input plane (wp wide) from the tile's first kernel row, g the
  // output gradient with its channels last. Each output is one chain whatever
  // the build's tile.
  void (*wgrad_tile)(float* acc, std::int64_t acc_stride, int channels, int rows, const float* g, std::int64_t g_pos,
                     std::int64_t g_sample, const float* x, std::int64_t x_sample, std::int64_t count, std::int64_t ho,
                     std::int64_t wo, std::int64_t wp);
  // Batch statistics of `count` planes at once (1 to 4; out[j] from p[j]):
  // sum p, and sum (p - m)^2. Each plane's sum is its own eight-lane chain,
  // the bytes it gets alone; several planes are independent chains side by
  // side (one plane's chain waits on its last add every eight elements).
  void (*sums)(const float* const* p, int count, std::int64_t n, float* out);
  void (*sq_devs)(const float* const* p, int count, std::int64_t n, float m, float* out);
  void (*grad_sums)(const float* x, const float* g, std::int64_t n, float m, float* sg, float* sgx);  // sum g, sum g (x - m)
  void (*affine)(const float* x, float* y, std::int64_t n, float m, float scale, float shift);  // y = (x - m) scale + shift
  void (*bn_grad)(const float* x, const float* g, float* gx, std::int64_t n, float m, float scale, float mean_g, float k);
  // 2x2 max-pooling of an h x w plane into h/2 x w/2 (floor), `where` the
  // winner's offset 0..3 (0, 1 upper row; 2, 3 lower; the first maximum in
  // scan order), and its backward: gy[c] to the element where[c] chose, zeros
  // to the others (and to an odd last row or column).
  void (*pool)(const float* x, std::int64_t h, std::int64_t w, float* y, std::uint8_t* where);
  void (*unpool)(const float* gy, const std::uint8_t* where, std::int64_t h, std::int64_t w, float* gx);
  // The fused batch norm + leaky ReLU (norm_pool.hpp), act = affine(x) as above:
  // y = act > 0 ? act : act slope (LibTorch's leaky ReLU) ...
  void (*affine_lrelu)(const float* x, float* y, std::int64_t n, float m, float scale, float shift, float slope);
  // pool of affine_lrelu's output, each activation computed as it is read
  // (the bytes of the two one after the other, without the activation's plane).
  void (*act_pool)(const float* x, std::int64_t h, std::int64_t w, float m, float scale, float shift, float slope, float* y,
                   std::uint8_t* where);
  // ... grad_sums with g replaced by the leaky ReLU's gradient at act
  // (act > 0 ? g : g slope), for `count` planes at once as sums() takes them
  // (x[j], g[j] into sg[j], sgx[j]); the replaced gradient is also written to
  // out[j], which may be g[j] itself (the backward's second pass then needs
  // neither g nor the activation again).
  void (*act_grad_sums)(const float* const* x, const float* const* g, float* const* out, int count, std::int64_t n, float m,
                        float scale, float shift, float slope, float* sg, float* sgx);
  // bn_grad in place: gx[i] = scale * fma(m - x[i], k, gx[i] - mean_g).
  void (*bn_grad_in_place)(const float* x, float* gx, std::int64_t n, float m, float scale, float mean_g, float k);
  // Nearest-neighbour upsampling by 2 of an h x w plane into 2h x 2w (rows
  // of y y_stride apart: 2w for a plane of its own), and its gradient:
  // gx[r][c] = (gy[2r][2c] + gy[2r][2c + 1]) + (gy[2r + 1][2c] + gy[2r + 1][2c + 1]).
  void (*upsample)(const float* x, std::int64_t h, std::int64_t w, float* y, std::int64_t y_stride);
  void (*upsample_backward)(const float* gy, std::int64_t h, std::int64_t w, float* gx);
  // KDE's kernel sums, in float64, with exp computed as glibc's exp computes
  // it on a CPU with FMA, on every build (exp_sums.inc): s[k] = sum over j in
  // [0, n) outside [skip_lo, skip_hi) of exp(-(d[j] - shift) a[k]) for
  // k < count, each summed from zero in the order of j ...
  void (*exp_sums)(const double* d, std::int64_t n, std::int64_t skip_lo, std::int64_t skip_hi, double shift, const double* a,
                   std::int64_t count, double* s);
  // ... and s[i] = sum over j < n of exp(-(d[i * stride + j] - shift[i]) a)
  // for i < rows, the same way.
  void (*exp_sums_rows)(const double* d, std::int64_t stride, std::int64_t rows, std::int64_t n, const double* shift, double a,
                        double* s);
};

const RowKernels& rows_baseline();
const RowKernels& rows_avx2();
const RowKernels& rows_avx512();

// The table in use: the widest build this CPU runs, unless set_isa() chose.
const RowKernels& rows();
Isa active_isa();
void set_isa(Isa isa);  // throws if the CPU lacks it
bool isa_supported(Isa isa);
std::vector<Isa> supported_isas();
std::string isa_name(Isa isa);  // "avx512", "avx2", "baseline"

}  // namespace ocb::methods::kernels

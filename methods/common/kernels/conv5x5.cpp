// Direct 5x5 convolution kernels (conv5x5.hpp). The row loops are those of
// rows.hpp: the same bytes whichever instruction set runs them.
#include "methods/common/kernels/conv5x5.hpp"
#include "methods/common/kernels/rows.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

namespace ocb::methods::kernels {
namespace {

// Padded planes of one sample (or of several, one after the other):
// [C][Hp * Wp + slack], the slack absorbing the reads of the last wide row's
// last taps and of conv_block's last register.
struct Padded {
  std::int64_t hp, wp, stride;
  std::vector<float> planes;

  Padded(const ConvShape& s, std::int64_t channels)
      : hp(s.height + 2 * s.pad), wp(s.width + 2 * s.pad), stride(hp * wp + 8 + kConvReadPast),
        planes(static_cast<std::size_t>(channels * stride), 0.f) {}

  // One sample's s.in_channels planes of x (as s says x holds them) into
  // the planes from plane `first` on.
  void load(const ConvShape& s, const float* x, std::int64_t first = 0) {
    const RowKernels& rk = rows();
    for (std::int64_t c = 0; c < s.in_channels; ++c) {
      float* dst = planes.data() + (first + c) * stride + s.pad * wp + s.pad;
      const float* src = x + c * s.stored_plane();
      if (s.upsampled)
        rk.upsample(src, s.height / 2, s.width / 2, dst, wp);
      else
        rk.copy_rows(src, s.width, dst, wp, s.height, s.width);
    }
  }
  const float* plane(std::int64_t c) const { return planes.data() + c * stride; }
};

// Rows of `count` samples (sample j's row at first + j * sample_stride, the
// rows of a plane `width` apart) into conv_lanes' layout: row r to
// dst + r * dst_row (positions), for r < rows. Lanes past count get zeros.
// `upsampled`: each row's nearest-neighbour upsampling by 2 instead, row r
// (2 width positions) to rows 2r and 2r + 1.
void rows_to_lanes(const RowKernels& rk, const float* first, std::int64_t sample_stride, std::int64_t count,
                   std::int64_t rows, std::int64_t width, float* dst, std::int64_t dst_row, const float* zeros,
                   bool upsampled = false) {
  const float* src[kSampleLanes];
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t j = 0; j < kSampleLanes; ++j) src[j] = j < count ? first + j * sample_stride + r * width : zeros;
    if (!upsampled) {
      rk.to_lanes(src, width, dst + r * dst_row * kSampleLanes);
      continue;
    }
    float* upper = dst + 2 * r * dst_row * kSampleLanes;
    rk.to_lanes_up(src, width, upper);
    std::memcpy(upper + dst_row * kSampleLanes, upper, sizeof(float) * 2 * width * kSampleLanes);
  }
}

// The weight gradient's wide grid (ho x wp) rounded up to whole registers of
// eight, zero past wo and past ho wp: the dot kernels then never reach their
// one-element tail.
std::int64_t wide_grid(const ConvShape& s) { return (s.out_height() * (s.width + 2 * s.pad) + 7) / 8 * 8; }

// Positions a lanes-layout input plane keeps past its hp x wp for the weight
// gradient: dots_lanes reads up to 4 wp + n + 4 positions into a plane.
constexpr std::int64_t kLanesPlaneSlack = 16;

// The input planes of samples [b0, b0 + count) into the lanes layout: padded
// planes of plane_size floats, only their insides written.
void inputs_to_lanes(const RowKernels& rk, const ConvShape& s, const float* x, std::int64_t b0, std::int64_t count,
                     float* planes, std::int64_t plane_size, const float* zeros) {
  const std::int64_t wp = s.width + 2 * s.pad, in_sample = s.in_channels * s.stored_plane();
  const std::int64_t f = s.upsampled ? 2 : 1;  // stored rows are 1/f of the plane's, as wide
  for (std::int64_t ci = 0; ci < s.in_channels; ++ci)
    rows_to_lanes(rk, x + b0 * in_sample + ci * s.stored_plane(), in_sample, count, s.height / f, s.width / f,
                  planes + ci * plane_size + (s.pad * wp + s.pad) * kSampleLanes, wp, zeros, s.upsampled);
}

// Samples side by side pay where conv_block leaves lanes empty (rows that are
// not whole registers: MNIST's 28, 14 and 8) and the transposes into and out
// of their layout cost less than that: not with one input channel (25
// multiply-adds an output), nor where the padded planes of 16 samples leave
// the L2 cache (CIFAR-10's 32 channels of 36 x 36). Under AVX-512 only, where
// the transposes have their shuffles. Either way, the same bytes.
// (Up to 1.5 MB of planes: CIFAR-10's 128 channels of 12 x 12, the input
// gradient of its 64 -> 128 layer, run 1.9x faster side by side than in rows,
// planes past the L2 cache or not.)
constexpr std::int64_t kLanesBudget = 1536;
bool lanes_pay(const ConvShape& s) {
  const std::int64_t lanes_bytes = s.in_channels * (s.height + 2 * s.pad) * (s.width + 2 * s.pad) * kSampleLanes * 4;
  return active_isa() == Isa::avx512 && s.batch >= kSampleLanes / 2 && s.in_channels >= 2 && s.out_width() % 16 != 0 &&
         lanes_bytes <= (kLanesBudget << 10);
}

// The weight gradient's sixteen samples side by side fill whole AVX-512
// registers where the rows path's reductions keep eight partial sums (eight
// lanes) per output, but they pay for transposes and for rows sixteen times
// longer in the caches. Measured (conv_weight_grad_path in
// tests/bench/bench_deep.cpp, AMD EPYC Zen 5), they win where the rows path
// runs out of four-channel blocks (two or three output channels: CIFAR-10's
// last layer, 3 channels, 1.4-1.6x) or of length (grids of 128 positions or
// fewer: MNIST's first transposed layer, 1.2x), and lose (0.6-0.95x) on the
// four-channel blocks of longer grids, where the rows path's dots4 already
// runs near the eight-lane peak, and on a single output channel (MNIST's
// last layer; 0.8-1.0x against dots_in2). Under AVX-512 only,
// batches of eight or more, while the input planes and four gradient planes
// of 16 samples stay within the L2 cache.
bool weight_lanes_pay(const ConvShape& s) {
  const std::int64_t n = wide_grid(s);
  const std::int64_t bytes =
      (s.in_channels * ((s.height + 2 * s.pad) * (s.width + 2 * s.pad) + kLanesPlaneSlack) + 4 * n) * kSampleLanes * 4;
  return active_isa() == Isa::avx512 && s.batch >= kSampleLanes / 2 && bytes <= (768 << 10) &&
         ((s.out_channels % 4 != 0 && s.out_channels > 1) || n <= 128);
}

}  // namespace

void conv5x5_forward_rows(const ConvShape& s, const float* x, const float* w, float* y) {
  const std::int64_t ho = s.out_height(), wo = s.out_width();
  Padded in(s, s.in_channels);
  const RowKernels& rk = rows();
  for (std::int64_t b = 0; b < s.batch; ++b) {
    in.load(s, x + b * s.in_channels * s.stored_plane());
    float* out = y + b * s.out_channels * ho * wo;
    // Output channels in blocks of up to 4: each input row loaded once per
    // block. One input channel into a multiple of 8 (MNIST's first layer, and
    // its last layer's input gradient): blocks of 8, which the AVX-512 build
    // takes in one pass over the plane instead of two (0.95x that forward;
    // the same chain per output).
    const std::int64_t block = s.in_channels == 1 && s.out_channels % 8 == 0 ? 8 : 4;
    for (std::int64_t co = 0; co < s.out_channels; co += block)
      rk.conv_block(out + co * ho * wo, ho * wo, static_cast<int>(std::min<std::int64_t>(block, s.out_channels - co)),
                    in.plane(0), in.stride, s.in_channels, ho, wo, in.wp, w + co * s.in_channels * 25,
                    s.in_channels * 25);
  }
}

void conv5x5_forward_lanes(const ConvShape& s, const float* x, const float* w, float* y) {
  constexpr std::int64_t L = kSampleLanes;
  const std::int64_t ho = s.out_height(), wo = s.out_width(), hp = s.height + 2 * s.pad, wp = s.width + 2 * s.pad;
  const std::int64_t plane = hp * wp * L, out_sample = s.out_channels * ho * wo;
  // The padding stays zero: only the inside is written, block after block.
  // A last block of fewer than L samples reads zero rows into its other
  // lanes and keeps only its own.
  std::vector<float> planes(static_cast<std::size_t>(s.in_channels * plane), 0.f);
  std::vector<float> row(static_cast<std::size_t>(4 * wo * L));
  const std::vector<float> zeros(static_cast<std::size_t>(s.width), 0.f);
  const RowKernels& rk = rows();
  float* dst[L];
  for (std::int64_t b0 = 0; b0 < s.batch; b0 += L) {
    const std::int64_t count = std::min(L, s.batch - b0);
    inputs_to_lanes(rk, s, x, b0, count, planes.data(), plane, zeros.data());
    for (std::int64_t co = 0; co < s.out_channels; co += 4) {
      const int channels = static_cast<int>(std::min<std::int64_t>(4, s.out_channels - co));
      for (std::int64_t r = 0; r < ho; ++r) {
        rk.conv_lanes(row.data(), wo * L, channels, planes.data() + r * wp * L, plane, s.in_channels, wo, wp,
                      w + co * s.in_channels * 25, s.in_channels * 25);
        for (int c = 0; c < channels; ++c) {
          for (std::int64_t j = 0; j < count; ++j) dst[j] = y + (b0 + j) * out_sample + ((co + c) * ho + r) * wo;
          rk.from_lanes(row.data() + c * wo * L, wo, dst, count);
        }
      }
    }
  }
}

void conv5x5_forward(const ConvShape& s, const float* x, const float* w, float* y) {
  if (lanes_pay(s))
    conv5x5_forward_lanes(s, x, w, y);
  else
    conv5x5_forward_rows(s, x, w, y);
}

bool weight_channels_path(const ConvShape& s) {
  return s.in_channels * s.out_channels >= kChannelsPathMinProduct && s.out_channels % kWgradGroup == 0;
}

void conv5x5_weight_grad(const ConvShape& s, const float* x, const float* gy, float* gw) {
  if (weight_channels_path(s))
    conv5x5_weight_grad_channels(s, x, gy, gw);
  else if (weight_lanes_pay(s))
    conv5x5_weight_grad_lanes(s, x, gy, gw);
  else
    conv5x5_weight_grad_rows(s, x, gy, gw);
}

void conv5x5_weight_grad_rows(const ConvShape& s, const float* x, const float* gy, float* gw) {
  const std::int64_t ho = s.out_height(), wo = s.out_width();
  Padded in(s, s.in_channels);
  // The output gradient on the wide grid (wide_grid). A zero gradient adds nothing to a
  // lane (fma(0, b, a) is a, for finite b and any lane but a -0 that only an
  // underflow could make), so the sums keep their bytes; the extra reads of
  // the input plane stay inside its slack (ky wp + n + 4 < hp wp + 8).
  const std::int64_t n = wide_grid(s);
  std::vector<float> g(static_cast<std::size_t>(s.out_channels * n), 0.f);
  std::fill(gw, gw + s.out_channels * s.in_channels * 25, 0.f);
  const RowKernels& rk = rows();
  // Where the wide grid's rows are whole registers (wp a multiple of eight:
  // MNIST's first layer, 32) and rows of eight or more, dots4_rows reads the
  // four-channel blocks' gradient rows where they lie: no copy of them onto
  // the grid, the same bytes. Under AVX-512 only: the other builds' form
  // copies each row's last chunk (0.7x their dots4 on MNIST's first layer).
  const bool in_place = active_isa() == Isa::avx512 && in.wp % 8 == 0 && wo >= 8;
  const std::int64_t blocks_end = s.out_channels / 4 * 4, copied_from = in_place ? blocks_end : 0;
  for (std::int64_t b = 0; b < s.batch; ++b) {
    in.load(s, x + b * s.in_channels * s.stored_plane());
    const float* gb = gy + b * s.out_channels * ho * wo;
    for (std::int64_t co = copied_from; co < s.out_channels; ++co)
      rk.copy_rows(gb + co * ho * wo, wo, g.data() + co * n, in.wp, ho, wo);
    std::int64_t co = 0;
    for (; co < blocks_end; co += 4)
      for (std::int64_t ci = 0; ci < s.in_channels; ++ci) {
        const float* gs[4];
        for (int j = 0; j < 4; ++j) gs[j] = in_place ? gb + (co + j) * ho * wo : g.data() + (co + j) * n;
        // Kernel rows two at a time (0-1, 2-3), then the last one: alone on
        // the rows path, else paired across two input channels.
        float* ks[5][4];
        for (int ky = 0; ky < 5; ++ky)
          for (int j = 0; j < 4; ++j) ks[ky][j] = gw + ((co + j) * s.in_channels + ci) * 25 + 5 * ky;
        for (int ky = 0; ky < 4; ky += 2) {
          if (in_place)
            rk.dots4_rows_pair(gs, ho, wo, in.wp, in.plane(ci) + ky * in.wp, ks[ky], ks[ky + 1]);
          else
            rk.dots4_pair(gs, in.plane(ci) + ky * in.wp, in.wp, n, ks[ky], ks[ky + 1]);
        }
        if (in_place) {
          rk.dots4_rows(gs, ho, wo, in.wp, in.plane(ci) + 4 * in.wp, ks[4]);
        } else if (ci % 2 == 1) {
          // The last kernel row of this input channel and the one before it
          // as a pair (the second row a plane apart): each sum the same bytes.
          float* prev[4];
          for (int j = 0; j < 4; ++j) prev[j] = ks[4][j] - 25;
          rk.dots4_pair(gs, in.plane(ci - 1) + 4 * in.wp, in.stride, n, prev, ks[4]);
        } else if (ci + 1 == s.in_channels) {
          rk.dots4(gs, in.plane(ci) + 4 * in.wp, n, ks[4]);
        }
      }
    for (; co + 1 < s.out_channels; co += 2)
      for (std::int64_t ci = 0; ci < s.in_channels; ++ci) {
        float* k0 = gw + (co * s.in_channels + ci) * 25;
        float* k1 = gw + ((co + 1) * s.in_channels + ci) * 25;
        for (int ky = 0; ky < 5; ++ky)
          rk.dots2(g.data() + co * n, g.data() + (co + 1) * n, in.plane(ci) + ky * in.wp, n, k0 + 5 * ky, k1 + 5 * ky);
      }
    // A last single output channel (the transposed convolutions into one
    // channel): two input channels per pass over its gradient row, the five
    // kernel rows in one pass where the plane's rows are whole registers apart
    // (MNIST's last layer, wp 32).
    for (; co < s.out_channels; ++co) {
      std::int64_t ci = 0;
      for (; ci + 1 < s.in_channels; ci += 2) {
        float* k0 = gw + (co * s.in_channels + ci) * 25;
        float* k1 = k0 + 25;
        if (in.wp % 8 == 0 && n >= 4 * in.wp) {
          rk.dots_in2_planes(g.data() + co * n, in.plane(ci), in.plane(ci + 1), n, in.wp, k0, k1);
          continue;
        }
        for (int ky = 0; ky < 5; ++ky)
          rk.dots_in2(g.data() + co * n, in.plane(ci) + ky * in.wp, in.plane(ci + 1) + ky * in.wp, n, k0 + 5 * ky, k1 + 5 * ky);
      }
      for (; ci < s.in_channels; ++ci) {
        float* k = gw + (co * s.in_channels + ci) * 25;
        for (int ky = 0; ky < 5; ++ky) rk.dots(g.data() + co * n, in.plane(ci) + ky * in.wp, n, k + 5 * ky);
      }
    }
  }
}

void conv5x5_weight_grad_lanes(const ConvShape& s, const float* x, const float* gy, float* gw) {
  constexpr std::int64_t L = kSampleLanes;
  const std::int64_t ho = s.out_height(), wo = s.out_width(), hp = s.height + 2 * s.pad, wp = s.width + 2 * s.pad;
  const std::int64_t n = wide_grid(s);
  const std::int64_t plane = (hp * wp + kLanesPlaneSlack) * L, grad_plane = n * L;
  const std::int64_t out_sample = s.out_channels * ho * wo;
  // Only the insides are written, block after block: padding, the columns
  // past wo and the lanes of absent samples stay zero.
  std::vector<float> planes(static_cast<std::size_t>(s.in_channels * plane), 0.f);
  std::vector<float> grads(static_cast<std::size_t>(4 * grad_plane), 0.f);
  std::vector<float> sums(static_cast<std::size_t>(4 * 5 * L));
  const std::vector<float> zeros(static_cast<std::size_t>(std::max(s.width, wo)), 0.f);
  std::fill(gw, gw + s.out_channels * s.in_channels * 25, 0.f);
  const RowKernels& rk = rows();
  for (std::int64_t b0 = 0; b0 < s.batch; b0 += L) {
    const std::int64_t count = std::min(L, s.batch - b0);
    inputs_to_lanes(rk, s, x, b0, count, planes.data(), plane, zeros.data());
    for (std::int64_t co = 0; co < s.out_channels; co += 4) {
      const int channels = static_cast<int>(std::min<std::int64_t>(4, s.out_channels - co));
      for (int c = 0; c < channels; ++c)
        rows_to_lanes(rk, gy + b0 * out_sample + (co + c) * ho * wo, out_sample, count, ho, wo, grads.data() + c * grad_plane,
                      wp, zeros.data());
      for (std::int64_t ci = 0; ci < s.in_channels; ++ci)
        for (int ky = 0; ky < 5; ++ky) {
          rk.dots_lanes(grads.data(), grad_plane, channels, planes.data() + ci * plane + ky * wp * L, n, sums.data());
          // Each sample's sums in the order of the batch, as the rows path adds them.
          for (int c = 0; c < channels; ++c)
            for (int kx = 0; kx < 5; ++kx) {
              float& k = gw[((co + c) * s.in_channels + ci) * 25 + 5 * ky + kx];
              const float* per_sample = sums.data() + (c * 5 + kx) * L;
              for (std::int64_t j = 0; j < count; ++j) k += per_sample[j];
            }
        }
    }
  }
}

void conv5x5_weight_grad_channels(const ConvShape& s, const float* x, const float* gy, float* gw) {
  const std::int64_t ho = s.out_height(), wo = s.out_width();
  const std::int64_t co_n = s.out_channels, ci_n = s.in_channels, positions = ho * wo;
  // Samples a chunk: their padded inputs and channels-last gradients stay in the L2 cache.
  constexpr std::int64_t kChunk = 8;
  Padded in(s, kChunk * ci_n);
  const std::int64_t x_sample = ci_n * in.stride;
  // The gradient goes channels-last through to_lanes' transposes, a group of channels at a time.
  static_assert(kWgradGroup == kSampleLanes);
  std::vector<float> g(static_cast<std::size_t>(kChunk * positions * co_n));
  std::vector<float> block(static_cast<std::size_t>(positions * kWgradGroup));
  // The sums with the output channels last: acc[(ci * 25 + 5 ky + kx) * co_n + co].
  std::vector<float> acc(static_cast<std::size_t>(ci_n * 25 * co_n), 0.f);
  const RowKernels& rk = rows();
  for (std::int64_t b0 = 0; b0 < s.batch; b0 += kChunk) {
    const std::int64_t count = std::min(kChunk, s.batch - b0);
    for (std::int64_t j = 0; j < count; ++j) {
      const std::int64_t b = b0 + j;
      in.load(s, x + b * ci_n * s.stored_plane(), j * ci_n);
      for (std::int64_t co = 0; co < co_n; co += kWgradGroup) {
        const float* src[kSampleLanes];
        for (std::int64_t t = 0; t < kWgradGroup; ++t) src[t] = gy + (b * co_n + co + t) * positions;
        rk.to_lanes(src, positions, block.data());
        rk.copy_rows(block.data(), kWgradGroup, g.data() + j * positions * co_n + co, co_n, positions, kWgradGroup);
      }
    }
    for (std::int64_t co = 0; co < co_n; co += 2 * kWgradGroup) {
      const int channels = static_cast<int>(std::min(2 * kWgradGroup, co_n - co));
      for (std::int64_t ci = 0; ci < ci_n; ++ci)
        for (int ky = 0; ky < 5; ky += 2)
          rk.wgrad_tile(acc.data() + (ci * 25 + 5 * ky) * co_n + co, co_n, channels, ky == 4 ? 1 : 2, g.data() + co,
                        co_n, positions * co_n, in.plane(ci) + ky * in.wp, x_sample, count, ho, wo, in.wp);
    }
  }
  for (std::int64_t co = 0; co < co_n; ++co)
    for (std::int64_t k = 0; k < ci_n * 25; ++k) gw[co * ci_n * 25 + k] = acc[k * co_n + co];
}

void flip_transpose5x5(const float* w, std::int64_t a, std::int64_t b, float* out) {
  for (std::int64_t i = 0; i < a; ++i)
    for (std::int64_t j = 0; j < b; ++j)
      for (int t = 0; t < 25; ++t) out[(j * a + i) * 25 + (24 - t)] = w[(i * b + j) * 25 + t];
}

}  // namespace ocb::methods::kernels

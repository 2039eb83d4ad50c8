// Direct 5x5 convolution kernels (conv5x5.hpp). Vectorised by the compiler;
// each hot loop is built for AVX-512, AVX2 and baseline x86-64 and picked at
// run time (target_clones). Summation orders are fixed by the loops, so the
// same binary on the same CPU gives bit-identical results.
#include "methods/common/kernels/conv5x5.hpp"
#include "methods/common/kernels/clones.hpp"

#include <algorithm>
#include <cstring>
#include <vector>


namespace ocb::methods::kernels {
namespace {

// o[i] += w0 b[i] + ... + w4 b[i + 4] for i < n: one kernel row over a wide output.
OCB_CLONES void row_taps(float* __restrict o, const float* __restrict b, std::int64_t n, const float* __restrict w) {
  const float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4];
  for (std::int64_t i = 0; i < n; ++i) o[i] += w0 * b[i] + w1 * b[i + 1] + w2 * b[i + 2] + w3 * b[i + 3] + w4 * b[i + 4];
}

// Two output channels at once: the input row is loaded once for both.
OCB_CLONES void row_taps2(float* __restrict o0, float* __restrict o1, const float* __restrict b, std::int64_t n,
                          const float* __restrict w, const float* __restrict v) {
  const float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4];
  const float v0 = v[0], v1 = v[1], v2 = v[2], v3 = v[3], v4 = v[4];
  for (std::int64_t i = 0; i < n; ++i) {
    const float b0 = b[i], b1 = b[i + 1], b2 = b[i + 2], b3 = b[i + 3], b4 = b[i + 4];
    o0[i] += w0 * b0 + w1 * b1 + w2 * b2 + w3 * b3 + w4 * b4;
    o1[i] += v0 * b0 + v1 * b1 + v2 * b2 + v3 * b3 + v4 * b4;
  }
}

// Four output channels at once.
OCB_CLONES void row_taps4(float* __restrict o0, float* __restrict o1, float* __restrict o2, float* __restrict o3,
                          const float* __restrict b, std::int64_t n, const float* __restrict w0,
                          const float* __restrict w1, const float* __restrict w2, const float* __restrict w3) {
  for (std::int64_t i = 0; i < n; ++i) {
    const float b0 = b[i], b1 = b[i + 1], b2 = b[i + 2], b3 = b[i + 3], b4 = b[i + 4];
    o0[i] += w0[0] * b0 + w0[1] * b1 + w0[2] * b2 + w0[3] * b3 + w0[4] * b4;
    o1[i] += w1[0] * b0 + w1[1] * b1 + w1[2] * b2 + w1[3] * b3 + w1[4] * b4;
    o2[i] += w2[0] * b0 + w2[1] * b1 + w2[2] * b2 + w2[3] * b3 + w2[4] * b4;
    o3[i] += w3[0] * b0 + w3[1] * b1 + w3[2] * b2 + w3[3] * b3 + w3[4] * b4;
  }
}

// Two output channels' kernel rows of the weight gradient at once:
// s[kx] += sum_i g[i] b[i + kx] and t[kx] += sum_i h[i] b[i + kx].
OCB_CLONES void row_dots2(const float* __restrict g, const float* __restrict h, const float* __restrict b, std::int64_t n,
                          float* __restrict s, float* __restrict t) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
#pragma omp simd reduction(+ : s0, s1, s2, s3, s4, t0, t1, t2, t3, t4)
  for (std::int64_t i = 0; i < n; ++i) {
    const float gi = g[i], hi = h[i];
    const float b0 = b[i], b1 = b[i + 1], b2 = b[i + 2], b3 = b[i + 3], b4 = b[i + 4];
    s0 += gi * b0;
    s1 += gi * b1;
    s2 += gi * b2;
    s3 += gi * b3;
    s4 += gi * b4;
    t0 += hi * b0;
    t1 += hi * b1;
    t2 += hi * b2;
    t3 += hi * b3;
    t4 += hi * b4;
  }
  s[0] += s0;
  s[1] += s1;
  s[2] += s2;
  s[3] += s3;
  s[4] += s4;
  t[0] += t0;
  t[1] += t1;
  t[2] += t2;
  t[3] += t3;
  t[4] += t4;
}

// s[kx] += sum_i g[i] * b[i + kx], kx = 0..4: one kernel row of the weight gradient.
OCB_CLONES void row_dots(const float* __restrict g, const float* __restrict b, std::int64_t n, float* __restrict s) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0;
#pragma omp simd reduction(+ : s0, s1, s2, s3, s4)
  for (std::int64_t i = 0; i < n; ++i) {
    const float gi = g[i];
    s0 += gi * b[i];
    s1 += gi * b[i + 1];
    s2 += gi * b[i + 2];
    s3 += gi * b[i + 3];
    s4 += gi * b[i + 4];
  }
  s[0] += s0;
  s[1] += s1;
  s[2] += s2;
  s[3] += s3;
  s[4] += s4;
}

// Padded planes of one sample: [C][Hp * Wp + slack], the slack absorbing the
// reads of the last wide row's last taps.
struct Padded {
  std::int64_t hp, wp, stride;
  std::vector<float> planes;

  Padded(const ConvShape& s, std::int64_t channels)
      : hp(s.height + 2 * s.pad), wp(s.width + 2 * s.pad), stride(hp * wp + 8),
        planes(static_cast<std::size_t>(channels * stride), 0.f) {}

  void load(const float* x, std::int64_t channels, std::int64_t h, std::int64_t w, std::int64_t pad) {
    for (std::int64_t c = 0; c < channels; ++c) {
      float* dst = planes.data() + c * stride;
      const float* src = x + c * h * w;
      for (std::int64_t y = 0; y < h; ++y) std::copy_n(src + y * w, w, dst + (y + pad) * wp + pad);
    }
  }
  const float* plane(std::int64_t c) const { return planes.data() + c * stride; }
};

}  // namespace

void conv5x5_forward(const ConvShape& s, const float* x, const float* w, float* y) {
  const std::int64_t ho = s.out_height(), wo = s.out_width();
  Padded in(s, s.in_channels);
  const std::int64_t n = ho * in.wp;
  std::vector<float> acc(static_cast<std::size_t>(4 * n));
  auto kernel = [&](std::int64_t co, std::int64_t ci, int ky) { return w + (co * s.in_channels + ci) * 25 + 5 * ky; };
  for (std::int64_t b = 0; b < s.batch; ++b) {
    in.load(x + b * s.in_channels * s.height * s.width, s.in_channels, s.height, s.width, s.pad);
    float* out = y + b * s.out_channels * ho * wo;
    // Output channels in blocks of 4, 2, then 1: each input row loaded once per block.
    for (std::int64_t co = 0; co < s.out_channels;) {
      const std::int64_t block = s.out_channels - co >= 4 ? 4 : s.out_channels - co >= 2 ? 2 : 1;
      std::fill(acc.begin(), acc.begin() + block * n, 0.f);
      float* a = acc.data();
      for (std::int64_t ci = 0; ci < s.in_channels; ++ci)
        for (int ky = 0; ky < 5; ++ky) {
          const float* row = in.plane(ci) + ky * in.wp;
          if (block == 4)
            row_taps4(a, a + n, a + 2 * n, a + 3 * n, row, n, kernel(co, ci, ky), kernel(co + 1, ci, ky),
                      kernel(co + 2, ci, ky), kernel(co + 3, ci, ky));
          else if (block == 2)
            row_taps2(a, a + n, row, n, kernel(co, ci, ky), kernel(co + 1, ci, ky));
          else
            row_taps(a, row, n, kernel(co, ci, ky));
        }
      for (std::int64_t j = 0; j < block; ++j)
        for (std::int64_t r = 0; r < ho; ++r)
          std::copy_n(a + j * n + r * in.wp, wo, out + (co + j) * ho * wo + r * wo);
      co += block;
    }
  }
}

void conv5x5_weight_grad(const ConvShape& s, const float* x, const float* gy, float* gw) {
  const std::int64_t ho = s.out_height(), wo = s.out_width();
  Padded in(s, s.in_channels);
  const std::int64_t n = ho * in.wp;
  // The output gradient on the wide grid, zero in the columns past wo.
  std::vector<float> g(static_cast<std::size_t>(s.out_channels * n), 0.f);
  std::fill(gw, gw + s.out_channels * s.in_channels * 25, 0.f);
  for (std::int64_t b = 0; b < s.batch; ++b) {
    in.load(x + b * s.in_channels * s.height * s.width, s.in_channels, s.height, s.width, s.pad);
    const float* gb = gy + b * s.out_channels * ho * wo;
    for (std::int64_t co = 0; co < s.out_channels; ++co)
      for (std::int64_t r = 0; r < ho; ++r) std::copy_n(gb + co * ho * wo + r * wo, wo, g.data() + co * n + r * in.wp);
    std::int64_t co = 0;
    for (; co + 1 < s.out_channels; co += 2)
      for (std::int64_t ci = 0; ci < s.in_channels; ++ci) {
        float* k0 = gw + (co * s.in_channels + ci) * 25;
        float* k1 = gw + ((co + 1) * s.in_channels + ci) * 25;
        for (int ky = 0; ky < 5; ++ky)
          row_dots2(g.data() + co * n, g.data() + (co + 1) * n, in.plane(ci) + ky * in.wp, n, k0 + 5 * ky, k1 + 5 * ky);
      }
    for (; co < s.out_channels; ++co)
      for (std::int64_t ci = 0; ci < s.in_channels; ++ci) {
        float* k = gw + (co * s.in_channels + ci) * 25;
        for (int ky = 0; ky < 5; ++ky) row_dots(g.data() + co * n, in.plane(ci) + ky * in.wp, n, k + 5 * ky);
      }
  }
}

void flip_transpose5x5(const float* w, std::int64_t a, std::int64_t b, float* out) {
  for (std::int64_t i = 0; i < a; ++i)
    for (std::int64_t j = 0; j < b; ++j)
      for (int t = 0; t < 25; ++t) out[(j * a + i) * 25 + (24 - t)] = w[(i * b + j) * 25 + t];
}

}  // namespace ocb::methods::kernels

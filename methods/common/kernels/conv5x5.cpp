// Direct 5x5 convolution kernels (conv5x5.hpp). Vectorised by the compiler;
// each hot loop is built for AVX-512, AVX2 and baseline x86-64 and picked at
// run time (target_clones). Summation orders are fixed by the loops, so the
// same binary on the same CPU gives bit-identical results.
#include "methods/common/kernels/conv5x5.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define OCB_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define OCB_CLONES
#endif

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
      for (std::int64_t y = 0; y < h; ++y) std::memcpy(dst + (y + pad) * wp + pad, src + y * w, sizeof(float) * w);
    }
  }
  const float* plane(std::int64_t c) const { return planes.data() + c * stride; }
};

}  // namespace

void conv5x5_forward(const ConvShape& s, const float* x, const float* w, float* y) {
  const std::int64_t ho = s.out_height(), wo = s.out_width();
  Padded in(s, s.in_channels);
  const std::int64_t n = ho * in.wp;
  std::vector<float> acc(static_cast<std::size_t>(2 * n));
  for (std::int64_t b = 0; b < s.batch; ++b) {
    in.load(x + b * s.in_channels * s.height * s.width, s.in_channels, s.height, s.width, s.pad);
    float* out = y + b * s.out_channels * ho * wo;
    std::int64_t co = 0;
    for (; co + 1 < s.out_channels; co += 2) {
      std::fill(acc.begin(), acc.end(), 0.f);
      for (std::int64_t ci = 0; ci < s.in_channels; ++ci) {
        const float* k0 = w + (co * s.in_channels + ci) * 25;
        const float* k1 = w + ((co + 1) * s.in_channels + ci) * 25;
        for (int ky = 0; ky < 5; ++ky)
          row_taps2(acc.data(), acc.data() + n, in.plane(ci) + ky * in.wp, n, k0 + 5 * ky, k1 + 5 * ky);
      }
      for (int j = 0; j < 2; ++j)
        for (std::int64_t r = 0; r < ho; ++r)
          std::memcpy(out + (co + j) * ho * wo + r * wo, acc.data() + j * n + r * in.wp, sizeof(float) * wo);
    }
    for (; co < s.out_channels; ++co) {
      std::fill(acc.begin(), acc.begin() + n, 0.f);
      for (std::int64_t ci = 0; ci < s.in_channels; ++ci) {
        const float* k = w + (co * s.in_channels + ci) * 25;
        for (int ky = 0; ky < 5; ++ky) row_taps(acc.data(), in.plane(ci) + ky * in.wp, n, k + 5 * ky);
      }
      for (std::int64_t r = 0; r < ho; ++r) std::memcpy(out + co * ho * wo + r * wo, acc.data() + r * in.wp, sizeof(float) * wo);
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
      for (std::int64_t r = 0; r < ho; ++r) std::memcpy(g.data() + co * n + r * in.wp, gb + co * ho * wo + r * wo, sizeof(float) * wo);
    for (std::int64_t co = 0; co < s.out_channels; ++co)
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

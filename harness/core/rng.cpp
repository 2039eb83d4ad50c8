// Implementation of the seeded generator of rng.hpp (own distributions: the
// standard library's are implementation-defined and would break reproducibility
// across standard libraries).
#include "harness/core/rng.hpp"

#include <cmath>
#include <numeric>

namespace ocb::core {

std::uint64_t derive_seed(std::uint64_t seed, std::string_view stream) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : stream) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  std::uint64_t z = seed ^ h;
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double Rng::uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

double Rng::uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

std::uint64_t Rng::below(std::uint64_t n) {
  if (n <= 1) return 0;
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
  std::uint64_t x;
  do x = engine_();
  while (x >= limit);
  return x % n;
}

double Rng::normal() {
  double u1;
  do u1 = uniform();
  while (u1 <= 0.0);
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

std::vector<std::int64_t> Rng::permutation(std::int64_t n) {
  std::vector<std::int64_t> p(static_cast<std::size_t>(n));
  std::iota(p.begin(), p.end(), 0);
  shuffle(p);
  return p;
}

}  // namespace ocb::core

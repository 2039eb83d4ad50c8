// Seeded randomness. Every random draw in ocbench comes from an Rng built from
// a cell's seed and a named stream ("shuffle", "init", "holdout"), so runs are
// bit-reproducible and adding a draw in one place never shifts another.
#pragma once

#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

namespace ocb::core {

// Mixes a seed with a stream name (FNV-1a of the name, then SplitMix64).
std::uint64_t derive_seed(std::uint64_t seed, std::string_view stream);

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t next() { return engine_(); }
  double uniform();                    // [0, 1), 53 random bits
  double uniform(double lo, double hi);  // [lo, hi)
  std::uint64_t below(std::uint64_t n);  // uniform in [0, n), unbiased
  double normal();                     // standard normal (Box-Muller)
  std::vector<std::int64_t> permutation(std::int64_t n);
  template <class T>
  void shuffle(std::vector<T>& xs) {
    for (std::size_t i = xs.size(); i > 1; --i) std::swap(xs[i - 1], xs[below(i)]);
  }

 private:
  std::mt19937_64 engine_;  // its output sequence is fixed by the C++ standard
};

}  // namespace ocb::core

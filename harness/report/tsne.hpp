// t-SNE (van der Maaten and Hinton, 2008), exact: every pair of points, which
// suits the few hundred to a few thousand representations a figure shows.
// Deterministic for a seed: the start is drawn from core::Rng (stream
// "tsne"), and every sum runs in a fixed order.
#pragma once

#include <cstdint>
#include <vector>

#include "harness/core/samples.hpp"

namespace ocb::harness {

struct TsneOptions {
  double perplexity = 30.0;
  int iterations = 750;
  int exaggeration_iterations = 250;  // early exaggeration (x12) and momentum 0.5, then 0.8
  double learning_rate = 200.0;
  std::uint64_t seed = 1;
};

// Returns n x 2 coordinates, row-major.
std::vector<double> tsne(const core::Samples& rows, const TsneOptions& options = {});

}  // namespace ocb::harness

// Autoencoder pretraining as a cached, shared stage (the paper's §3.3: φ starts from the encoder of a trained autoencoder):
// one training per (training data, class, seed, autoencoder configuration)
// serves DCAE and every method that starts from its encoder. The weights go to
// <cache>/autoencoders/<key>.pt with a JSON log beside them; a file lock makes
// concurrent workers and processes wait for one training instead of repeating it.
// An entry is used only if its key text, size and SHA-256 all match; a bad
// one is named in a warning, moved aside and retrained.
#pragma once

#include <memory>
#include <string>

#include "harness/core/run_context.hpp"
#include "methods/common/networks.hpp"
#include "methods/common/trainer.hpp"

namespace ocb::methods {


struct AeConfig {
  std::string arch;  // resolved architecture
  NetOptions net;
  Schedule schedule;
  double train_fraction = 1.0;     // share of the training set, a seeded draw ("ae_subset")
  std::string canonical() const;  // every setting that changes the trained weights
};

// How pretraining computes its weights, part of the cache key: the network's
// numerics version on the device (network_numerics_version; 2: the direct
// kernels' fused multiply-adds and eight-lane sums).
int ae_numerics_version(const AeConfig& cfg, const at::Device& device);

struct AeStage {
  std::shared_ptr<Autoencoder> model;  // in eval mode, on the cell's device
  std::string key;
  bool cached = false;                 // loaded rather than trained by this cell
  TrainLog log;                        // of the training that produced it
};

// Loads the stage from the cache or trains it (seed streams "ae_init",
// "ae_shuffle"), and reports it under "pretraining.*".
AeStage pretrained_autoencoder(const AeConfig& cfg, const at::Tensor& train, const at::Device& device,
                               core::RunContext& ctx);

// The rows the autoencoder trains on: undefined (all of them) for fraction 1,
// else a sorted seeded draw of n - floor((1 - fraction) n) rows.
at::Tensor training_rows(std::int64_t n, double fraction, std::uint64_t seed);

// Per-sample sum of squared reconstruction errors, inference mode.
at::Tensor reconstruction_errors(Autoencoder& ae, const at::Tensor& x);

}  // namespace ocb::methods

// The one epoch loop every deep method trains with: Adam with coupled weight
// decay (PyTorch's semantics), learning-rate milestones ("epochs [0, m) at lr,
// [m, N) at lr/10"), mini-batches reshuffled each epoch from a seeded stream
// with the last partial batch kept (the PyTorch reference's DataLoader), train mode,
// timing and a progress line per epoch. A method supplies only its objective.
// The Theano code's batching is an option (Ruff et al.'s Theano code): a seeded draw
// keeps the largest multiple of the batch size and cuts it into fixed blocks,
// and each epoch shuffles only the order of the blocks.
#pragma once

#include <torch/nn/module.h>

#include <cstdint>
#include <string>
#include <vector>

#include "harness/core/rng.hpp"
#include "harness/core/run_context.hpp"

namespace ocb::methods {

struct Schedule {
  std::int64_t epochs = 150;
  double lr = 1e-4;
  std::vector<std::int64_t> milestones{50};
  double weight_decay = 0.5e-6;
  std::int64_t batch_size = 200;
  // Theano batching; block_seed fixes the kept samples and the blocks, and is
  // the same in every phase of a cell, so all phases train on one subset.
  bool fixed_blocks = false;
  std::uint64_t block_seed = 0;
  double lr_at(std::int64_t epoch) const;
};

// What a deep method optimises. batch_loss() is called in train mode with one
// mini-batch (and the positions of its samples in the training set); the
// optional hooks see each step and epoch (the soft-boundary radius uses them).
class Objective {
 public:
  virtual ~Objective() = default;
  virtual at::Tensor batch_loss(const at::Tensor& x, const at::Tensor& index, std::int64_t epoch) = 0;
  virtual void after_step(std::int64_t /*epoch*/) {}
  virtual void after_epoch(std::int64_t /*epoch*/) {}
};

struct TrainLog {
  std::vector<double> epoch_loss;     // mean of batch losses
  std::vector<double> epoch_seconds;
  double seconds = 0.0;
  std::int64_t steps = 0;
  core::TrainingCurve curve() const { return {epoch_loss, epoch_seconds, seconds}; }
};

// Trains `params` of `model` on `data` ([N, ...] on the training device).
// `phase` names the log lines and timing entry ("pretrain", "train").
TrainLog train(torch::nn::Module& model, const std::vector<at::Tensor>& params, const at::Tensor& data,
               Objective& objective, const Schedule& schedule, core::Rng& shuffle, core::RunContext& ctx,
               const std::string& phase);

// Theano batching: the samples kept (a permutation from block_seed, cut to the
// largest multiple of the batch size); block k is kept[k b, (k + 1) b).
std::vector<std::int64_t> kept_rows(std::int64_t n, const Schedule& schedule);

// The training-set positions, in the order of consecutive mini-batches, of
// one epoch (`shuffle` advances once per epoch).
std::vector<std::int64_t> epoch_order(std::int64_t n, const Schedule& schedule, core::Rng& shuffle);
// The same with the kept rows computed once (kept_rows(n, schedule)); `kept` is
// unused when the schedule reshuffles.
std::vector<std::int64_t> epoch_order(const std::vector<std::int64_t>& kept, std::int64_t n,
                                      const Schedule& schedule, core::Rng& shuffle);

// Applies fn to consecutive batches of `data` in inference mode (no grad) and
// concatenates the results along dim 0.
at::Tensor map_batches(const at::Tensor& data, std::int64_t batch_size, const std::function<at::Tensor(const at::Tensor&)>& fn);

}  // namespace ocb::methods

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
#include <functional>
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
  // Batched training (Batching below): an objective whose batch_loss is
  // "the model's forward(x), then a loss of it" says so here and gives the
  // loss of a given output; the trainer then runs the forward of several
  // cells as one network. Others (a second network in the loss) train alone.
  virtual bool splits_forward() const { return false; }
  virtual at::Tensor loss_of(const at::Tensor& out, const at::Tensor& x, const at::Tensor& index, std::int64_t epoch);
};

// How cells' models of one kind run as one network: `key` names the kind
// (architecture and options; only equal keys batch), `forward` maps the K
// models and their inputs side by side along dim 1 to their outputs side by
// side along dim 1 (networks.hpp's forward_group).
struct Batching {
  std::string key;
  std::function<at::Tensor(const std::vector<torch::nn::Module*>& models, const at::Tensor& x)> forward;
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
//
// With `batching`, an objective that splits its forward, and a context with a
// rendezvous (`ocbench run --batch K`), the training meets those of other
// cells with the same phase, model kind, schedule, sample shape and device,
// and up to K of them train in lockstep: each step, the cells whose
// mini-batches have the same size run their forward and backward as one
// network, each with its own data order, objective and Adam. On the CPU
// every cell gets the bytes it gets alone (tests/unit/methods/batching_test);
// the record's method_report says "batched.<phase>": how many cells trained
// together.
TrainLog train(torch::nn::Module& model, const std::vector<at::Tensor>& params, const at::Tensor& data,
               Objective& objective, const Schedule& schedule, core::Rng& shuffle, core::RunContext& ctx,
               const std::string& phase, const Batching* batching = nullptr);

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

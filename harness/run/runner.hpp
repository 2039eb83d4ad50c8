// `ocbench run`: expands an experiment, skips cells already recorded, runs the
// rest on worker threads, writes each record the moment its cell finishes, and
// reports progress with an ETA. Every cell is claimed before it runs
// (claims.hpp), so any number of runs may share a results folder. Exit codes
// (core/exit_codes.hpp): 0 every cell of the (shard of the) experiment has an
// ok record, 1 some cell failed, 8 stopped by a signal, 9 the disk is full or
// read-only.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/shared_results.hpp"
#include "harness/run/execute.hpp"
#include "harness/run/plan.hpp"

namespace ocb::harness {

struct RunOptions {
  int jobs = 1;                 // worker threads, one cell each at a time
  int batch = 1;                // > 1: up to this many cells' trainings run as one network (at least this many workers)
  int threads_per_job = 1;      // intra-op threads per cell
  int shard_index = 1, shard_count = 1;
  std::optional<fs::path> plan;  // with a plan, the shard is the plan's (ocbench slurm)
  std::optional<fs::path> data_dir;
  bool allow_download = true;
  std::vector<std::string> only_labels;  // empty = all
  bool dry_run = false;         // list what would run
  bool refresh_numerics = false;  // rerun ok cells whose numerics signature differs from this build's
  bool rescore_missing = false;   // rerun ok cells whose score file is absent (a damaged one is always rerun)
  std::chrono::seconds lease{std::chrono::minutes(10)};
  // Memory for results the cells of this run share (core::SharedResults); 0: none shared.
  std::size_t shared_bytes = core::SharedResults::default_budget();
  ExecOptions exec;
};

int run_experiment(const Experiment& exp, const RunOptions& options);

// Whether a cell needs no run: it has an ok record whose score file is not
// damaged and, with `refresh`, made at the `expected` numerics. What `run`,
// and `slurm` when it plans, skip.
bool recorded_as_wanted(const RecordStore& store, const CellRecord* rec, const Numerics& expected, bool refresh);

// Whether a cell of `exp` (by id) is done under `rule`. Holds references to
// store and records.
std::function<bool(const std::string&)> plan_done(const Experiment& exp, const RecordStore& store, const RecordSet& records,
                                                   const DoneRule& rule);

// The cells of `exp` that a run with `options` covers, in the experiment's
// order: the --only labels, the shard (plain, or of the plan).
std::vector<Cell> selected_cells(const Experiment& exp, const RunOptions& options);

}  // namespace ocb::harness

// `ocbench run`: expands an experiment, skips cells already recorded, runs the
// rest on worker threads, writes each record the moment its cell finishes, and
// reports progress with an ETA. Exit code 0 when every cell of the (shard of
// the) experiment has an "ok" record, 1 when some cell failed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/run/execute.hpp"

namespace ocb::harness {

struct RunOptions {
  int jobs = 1;                 // worker threads, one cell each at a time
  int threads_per_job = 1;      // intra-op threads per cell
  int shard_index = 1, shard_count = 1;
  std::optional<fs::path> data_dir;
  bool allow_download = true;
  std::vector<std::string> only_labels;  // empty = all
  bool dry_run = false;         // list what would run
  ExecOptions exec;
};

int run_experiment(const Experiment& exp, const RunOptions& options);

}  // namespace ocb::harness

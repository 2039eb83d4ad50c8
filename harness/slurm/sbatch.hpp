// `ocbench slurm`: an experiment as a Slurm job array. Writes a plan of the
// cells not yet recorded (run/plan.hpp), an sbatch script whose task i runs
// shard i + 1 of that plan, and a collect script that renders the table and
// report from whatever finished and lists what did not; with submit, hands
// both to sbatch, the collect job depending on the array (afterany). Files go
// to <view dir>/slurm/, the tasks' logs too (<plan>_%A_%a.out, e.g. plan-2_14_3.out).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/config/experiment.hpp"

namespace ocb::harness {

struct SlurmOptions {
  SlurmDefaults cluster;           // shards, throttle, partition, ... (the [slurm] table, then the command line)
  bool requeue = false;            // --requeue: Slurm may restart a preempted task
  int signal_seconds = 120;        // SIGUSR1 this long before the time limit: drain (0 = none)
  fs::path results_dir, cache_dir = "cache";
  std::optional<fs::path> data_dir;
  std::vector<std::string> only_labels;
  bool only_missing = false;       // resubmit the shards of the latest plan that still have work
  bool refresh_numerics = false;   // also plan ok cells recorded at other numerics (the tasks run --refresh-numerics)
  bool submit = false;
};

struct SlurmFiles {
  fs::path dir, plan, array_script, collect_script;
  std::vector<int> tasks;          // array indices (0-based) the script runs
  std::string array_job, collect_job;  // job ids when submitted
};

// Writes the plan (unless only_missing) and both scripts; submits if asked.
// With refresh_numerics, ok cells recorded at numerics other than the tasks'
// count as work too (the plan says so, and --only-missing keeps to it).
// Throws core::Error with sbatch's message if submission fails.
SlurmFiles prepare_slurm(const Experiment& exp, const fs::path& experiment_file, const SlurmOptions& options);

// The array script's text (exposed for the test that pins it).
struct ArraySpec {
  std::string job_name;
  fs::path workdir, binary, experiment, plan, log_dir, results_dir, cache_dir;
  std::optional<fs::path> data_dir;
  int shards = 1;
  std::vector<int> tasks;
  SlurmDefaults cluster;
  bool requeue = false;
  int signal_seconds = 120;
  bool refresh_numerics = false;
};
std::string array_script(const ArraySpec& spec);
std::string collect_script(const ArraySpec& spec);

// The plans in a slurm folder, oldest first (plan-1.json, plan-2.json, ...).
std::vector<fs::path> plans_in(const fs::path& slurm_dir);

}  // namespace ocb::harness

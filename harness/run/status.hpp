// `ocbench status`: what is done, running, failed and missing in an
// experiment's results folder at this moment, and the work left in
// core-hours (from the timings of recorded cells; plan.hpp's CostModel).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/run/plan.hpp"
#include "harness/run/runner.hpp"

namespace ocb::harness {

struct StatusRow {
  std::string dataset, label;  // both empty for the total
  int cells = 0, ok = 0, failed = 0, running = 0, missing = 0;
  int other_numerics = 0;  // of the ok ones: made at numerics other than a plain `ocbench run` here (CPU, one thread)
  double remaining_core_s = 0.0;
  std::vector<std::string> owners;  // who runs the claimed cells ("host:pid (Slurm job 12_3)")
};

struct ExperimentStatus {
  std::vector<StatusRow> rows;
  StatusRow total;
  std::vector<RecordProblem> problems;
  int stale_claims = 0;              // claims whose owner is gone (the next run takes them over)
  std::optional<fs::path> plan;
  std::vector<int> missing_shards;   // array indices (0-based) of the plan with work left
  bool plan_refreshes = false;       // the plan counts cells at other numerics as work (ocbench slurm --refresh-numerics)
  std::string render() const;
};

ExperimentStatus experiment_status(const Experiment& exp, const RunOptions& selection, const std::optional<fs::path>& plan);

}  // namespace ocb::harness

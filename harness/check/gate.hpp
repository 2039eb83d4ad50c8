// `ocbench check`: the CI regression gate. Compares an experiment's records
// with a committed baseline cell by cell (label, dataset, class, seed), with a
// tolerance band per cell of max(floor, k x the baseline's seed standard
// deviation for that label and class). Independently of any AUC it fails
// cells whose scores are constant or nearly so, whose record reports a
// collapsed representation, or whose training loss never went down (an
// untrained model can still score a plausible AUC).
#pragma once

#include <string>
#include <vector>

#include "harness/config/experiment.hpp"
#include "harness/core/exit_codes.hpp"

namespace ocb::harness {


struct GateOptions {
  fs::path baseline;
  double floor_points = 0.5;  // minimum half-width of a band, AUC points
  double k_std = 1.0;         // band half-width in baseline seed standard deviations
  double min_distinct = 0.01; // fewer distinct scores than this fraction of samples: degenerate
  double max_loss_ratio = 0.95;  // last/first epoch loss above this: untrained
  bool strict = false;           // a label the baseline does not know fails (kExitNewLabels)
  std::vector<std::string> only_labels;  // check (or update) only these labels; empty = all
};

struct GateRow {
  std::string label, dataset;
  int normal_class = 0;
  std::uint64_t seed = 0;
  double baseline_auc = -1, auc = -1, band = 0;  // AUC in points; -1 = absent
  std::string status;  // ok, regression, improvement, degenerate, untrained, collapsed, missing, new
  std::string detail;
};

struct GateResult {
  std::vector<GateRow> rows;
  std::vector<std::string> left_out;  // records that fail their schema
  int exit_code = 0;
  std::string render() const;  // the diff table and a summary line
};

GateResult check_against_baseline(const Experiment& exp, const GateOptions& options);
// Writes the baseline from the experiment's records (every cell must be ok
// and pass the degeneracy checks). Cells of labels that the old baseline
// lacks are added; the file says which labels are new.
void write_baseline(const Experiment& exp, const GateOptions& options);

}  // namespace ocb::harness

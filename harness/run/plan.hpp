// Plans for a fixed set of workers (a Slurm job array): the cells that have no
// record yet, split into shards balanced by expected cost, written to a file
// when the array is submitted. A task's slice then never shifts while other
// tasks finish, and a resubmission of the missing shards sends no finished
// work to the cluster. Expected costs come from the timings of recorded cells
// of the same label (else the same method), else a per-method estimate.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "harness/run/cells.hpp"
#include "harness/run/store.hpp"

namespace ocb::harness {

// Whether a cell took results an earlier cell of its run had computed
// (method_report.shared): its seconds leave that work out, so they do not
// stand for what the cell costs where it computes them itself.
bool took_shared_results(const CellRecord& r);

// Core-seconds a record's cell took, counting a pretraining it found in the
// cache at the seconds that pretraining took when it was made: the cost model
// must not think a label free because its first cells reused another label's
// autoencoder (a missing cell of it may have to train one).
double cell_core_seconds(const CellRecord& record);

// Seconds a cell is expected to take on `device`: the median of the ok
// records of its label (else of its method) made on that kind of device,
// leaving out cells that took shared results (took_shared_results). For
// the CPU, core-seconds from CPU records only (a GPU's seconds say nothing of
// a core's), else a default by method; for a GPU, GPU records first, then
// CPU ones, then the default (only the shards' balance depends on them).
class CostModel {
 public:
  explicit CostModel(const RecordSet& records, const std::string& device = "cpu");
  double seconds(const Cell& cell) const;
  // What a cell costs when an earlier cell of its run computed the results
  // it can share (Cell::shared_across_seeds): the median of the records that
  // took shared results, by label, else by method, with seconds()'s order of
  // devices (for a GPU, CPU records only where the GPU has none of the
  // label's); seconds() where there are none.
  double shared_seconds(const Cell& cell) const;
  // Each cell's expected seconds when the cells of `group` (one of
  // placement_groups) run in one process, in the group's order: the first
  // cell of a label computes what its seeds share, the later ones take it.
  std::vector<double> group_seconds(const std::vector<const Cell*>& group) const;

 private:
  struct Medians {
    std::map<std::pair<std::string, std::string>, double> by_label, by_method;  // (dataset, label|method) -> median
    const double* find(const Cell& cell) const;
  };
  Medians cpu_, gpu_;              // cells that computed everything they used
  Medians cpu_shared_, gpu_shared_;  // cells that took shared results
  bool gpu_device_ = false;
};

struct PlannedCell {
  std::string id;
  int shard = 1;  // 1-based
  double cost_s = 0.0;
  std::string describe;
};

// Which cells count as done: any with an ok record, or with refresh_numerics
// only those recorded at the numerics of `device` and `threads` (what the
// tasks of `ocbench slurm --refresh-numerics` run with).
struct DoneRule {
  bool refresh_numerics = false;
  std::string device = "cpu";
  int threads = 1;
};

struct Plan {
  std::string experiment;   // its name
  std::string file;         // the experiment file
  int shards = 1;
  std::string created_at;
  DoneRule rule;  // written to the plan, so that resubmissions keep to it
  std::vector<PlannedCell> cells;
  // Shards (1-based) with at least one cell for which `done` is false.
  std::vector<int> shards_with_work(const std::function<bool(const std::string&)>& done) const;
  std::vector<double> shard_costs() const;
};

// Splits `cells` (those without an ok record) into `shards` slices: groups
// that share a stage stay together; largest group first to the lightest slice.
Plan make_plan(const Experiment& exp, const std::vector<Cell>& cells, int shards, const CostModel& costs);

void write_plan(const fs::path& path, const Plan& plan);
// Throws DataError naming the file and the field that is wrong.
Plan read_plan(const fs::path& path);
Plan parse_plan(std::string_view text, const std::string& name);

}  // namespace ocb::harness

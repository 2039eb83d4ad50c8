// Aggregating the records of an experiment: for each (dataset, class, method
// label) the AUCs of the seeds present, their mean and population standard
// deviation (numpy's default, which the reference code's tables use), joined with the
// paper's value where the paper has one.
#pragma once

#include <map>
#include <ostream>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "harness/config/experiment.hpp"
#include "harness/run/store.hpp"

namespace ocb::harness {

struct PaperValue {
  double mean = 0.0, std = 0.0;  // AUC in %
};
// Key: (dataset, normal class, method label); normal class kMeanRow holds a
// value published only as the mean over classes.
inline constexpr int kMeanRow = -1;
using PaperTable = std::map<std::tuple<std::string, int, std::string>, PaperValue>;
// Reads dataset,normal_class,...,method,auc_mean,auc_std (header names the
// columns; normal_class "mean" for a mean over classes); adds to `into`.
void load_paper_table(const fs::path& csv, PaperTable& into);
// The same from the file's text; `name` goes into errors.
void parse_paper_table(std::string_view text, const std::string& name, PaperTable& into);

// What a table shows: "auc" (the paper's metric, the default), "ap" (average
// precision), "mahalanobis" (the AUC of the adaptive score, methods with a
// representation), or "f1:<policy>", F1 at a threshold policy the run recorded
// ("f1:p95", "f1:p99", "f1:mean+3sd", "f1:adaptive_mahalanobis_p95", and the
// test set's oracle "f1:oracle_f1"). The paper's values go with AUC only.
struct TableMetric {
  std::string name = "auc";
  static TableMetric parse(const std::string& text);  // throws core::Error naming the choices
  bool is_auc() const { return name == "auc"; }
  std::string title() const;  // "AUC in %", "F1 in % at the 95th percentile of the training scores", ...
  // The value in % for an ok record, or nothing if the record lacks it. For
  // the oracle, a record made before thresholds were kept is scored from its
  // score file under `results_dir`, when there is one.
  std::optional<double> value(const CellRecord& record, const fs::path& results_dir) const;
};

struct CellSummary {
  std::string dataset;
  int normal_class = 0;
  std::string label;
  std::vector<double> aucs;        // in %, one per seed with an ok record: the table's metric (AUC unless asked otherwise)
  std::vector<std::uint64_t> seeds;
  int failed = 0;                  // seeds whose record is "failed"
  int lacking = 0;                 // ok records without the table's metric (made before it was kept)
  int expected = 0;                // seeds in the experiment
  bool flagged = false;            // some record reports a collapse flag
  double mean() const;
  double std() const;              // population std
  std::optional<PaperValue> paper;
  // Whether the mean lies within max(2 x the paper's std, 2 points) of the
  // paper's value; nothing if either is missing.
  std::optional<bool> matches_paper() const;
};

struct ResultTable {
  const Experiment* exp = nullptr;
  TableMetric metric;
  PaperTable paper;
  std::vector<CellSummary> rows;  // dataset-major, then class, then label in the experiment's order
  std::vector<Cell> cells;        // the experiment's cells
  RecordSet records;              // as read from the results folder (problems included)
  // Numerics signatures of the ok records, per (dataset, label): signature -> count.
  std::map<std::pair<std::string, std::string>, std::map<std::string, int>> numerics;
  const CellSummary* find(const std::string& dataset, int normal_class, const std::string& label) const;
  // "(dataset, label) mixes numerics: ..." lines, one per column that does.
  std::vector<std::string> mixed_numerics() const;
};

// Reads the records of `exp`. Throws DataError if the results folder does not
// exist (nothing was run, or a wrong --results-dir).
ResultTable collect_results(const Experiment& exp, const TableMetric& metric = {});

// What the readers print about records left out (and the exit code they
// then end with): one "warning: <path>: <what>" line each; returns whether
// there were any.
bool report_record_problems(const RecordSet& records, std::ostream& out);

double population_std(const std::vector<double>& xs);
double mean_of(const std::vector<double>& xs);

}  // namespace ocb::harness

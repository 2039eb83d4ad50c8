// Aggregating the records of an experiment: for each (dataset, class, method
// label) the AUCs of the seeds present, their mean and population standard
// deviation (numpy's default, as PROTOCOL.md Part 1 §1 fixes), joined with the
// paper's value where the paper has one.
#pragma once

#include <map>
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

struct CellSummary {
  std::string dataset;
  int normal_class = 0;
  std::string label;
  std::vector<double> aucs;        // in %, one per seed with an ok record
  std::vector<std::uint64_t> seeds;
  int failed = 0;                  // seeds whose record is "failed"
  int expected = 0;                // seeds in the experiment
  bool flagged = false;            // some record reports a collapse flag
  double mean() const;
  double std() const;              // population std
  std::optional<PaperValue> paper;
};

struct ResultTable {
  const Experiment* exp = nullptr;
  PaperTable paper;
  std::vector<CellSummary> rows;  // dataset-major, then class, then label in the experiment's order
  const CellSummary* find(const std::string& dataset, int normal_class, const std::string& label) const;
};

ResultTable collect_results(const Experiment& exp);

double population_std(const std::vector<double>& xs);
double mean_of(const std::vector<double>& xs);

}  // namespace ocb::harness

// `ocbench report`: one Markdown page per experiment (results/<name>/report.md)
// with the table, the figures, seed counts, failures, paired Wilcoxon tests,
// average ranks and the provenance of the records behind it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "harness/config/experiment.hpp"
#include "harness/report/figures.hpp"
#include "harness/report/stats.hpp"

namespace ocb::harness {

// Paired Wilcoxon signed-rank test of two labels over the (class, seed) cells
// where both have an ok record; row_better counts pairs where `row` wins.
struct PairTest {
  std::string row, column;
  std::size_t pairs = 0;
  int row_better = 0;
  WilcoxonResult w;
};
std::vector<PairTest> pair_tests(const ResultTable& table, const std::string& dataset);

// Where the ok records of a table came from, as counts per distinct value.
struct ProvenanceSummary {
  int records = 0;
  double core_hours = 0.0;
  std::map<std::string, int> commits, machines, devices, libraries, numerics;
  std::string newest_finished, newest_commit;  // of the newest record
};
ProvenanceSummary summarize_provenance(const ResultTable& table);

// Writes the page, linking `figures` (what make_figures() drew); returns its path.
fs::path write_report(const ResultTable& table, const std::vector<fs::path>& figures);

}  // namespace ocb::harness

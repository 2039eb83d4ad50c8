// Rendering Table 1/Table 2 layouts from aggregated records: normal classes as
// rows, method labels as columns, AUC % mean ± std, the paper's value and the
// difference beside each cell. Markdown and LaTeX (booktabs) for people, CSV
// for machines.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/report/results.hpp"

namespace ocb::harness {

std::string render_markdown(const ResultTable& table);
std::string render_latex(const ResultTable& table);
// dataset,normal_class,method,n_seeds,auc_mean,auc_std,paper_mean,paper_std (AUC in %).
std::string render_csv(const ResultTable& table);

// Pieces of the tables that the HTML page (html.hpp) shares.
std::string seeds_text(const std::vector<std::uint64_t>& seeds);  // "1–10" or "1, 3"
std::string class_title(const std::string& dataset_kind, int normal_class);  // "3 cat"
std::vector<std::string> datasets_of(const ResultTable& table);
std::vector<std::string> labels_of(const ResultTable& table, const std::string& dataset);
std::vector<int> classes_of(const ResultTable& table, const std::string& dataset);
// Mean over classes of per-class means, for the classes with results (and the
// paper's mean over the same classes).
struct ColumnMean {
  int classes = 0, with_paper = 0;
  double ours = 0, paper = 0;
  double abs_diff = 0;  // mean over classes of |ours - paper|
};
ColumnMean column_mean(const ResultTable& table, const std::string& dataset, const std::string& label);
// Classes of a column with a result and a paper value, and how many of them
// lie within the paper's band (CellSummary::matches_paper).
struct BandCount {
  int with_paper = 0, within = 0;
};
BandCount band_count(const ResultTable& table, const std::string& dataset, const std::string& label);
// The caption under each table: seeds, brackets, the experiment's own caption.
std::string caption(const ResultTable& table);

}  // namespace ocb::harness

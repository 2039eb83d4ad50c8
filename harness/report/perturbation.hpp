// AUC against perturbation size: for an experiment whose datasets are
// adversarial sets of one kind (several [datasets.<name>] entries with
// dataset = "gtsrb_adversarial", each naming another set), one row per set
// ordered by its median L2 perturbation, one column per method, the paper's
// values beside them, and where each method reaches the paper. The sizes
// come from the run records (the loader measures every set against its
// source images), so nothing here needs the images.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/report/results.hpp"

namespace ocb::harness {

struct PerturbationRow {
  std::string dataset;            // the experiment's name for the set
  double l2_median = 0.0;         // of the set's perturbations, pixels in [0, 1]
  double linf_median = 0.0;       // in 1/255 steps
  std::vector<const CellSummary*> cells;  // per label, in PerturbationView::labels' order; null when none
};

struct PerturbationView {
  int normal_class = 0;
  std::vector<std::string> labels;
  std::vector<std::optional<PaperValue>> paper;  // per label
  std::vector<PerturbationRow> rows;             // ascending median L2
};

// Per dataset name: (median L2, median L-inf in 1/255) as its records have
// them (data.facts, written by the loader); datasets without are left out.
using PerturbationSizes = std::map<std::string, std::pair<double, double>>;
PerturbationSizes recorded_sizes(const ResultTable& table);

// Nothing unless the experiment's datasets have at least two different sizes.
std::optional<PerturbationView> perturbation_view(const ResultTable& table, const PerturbationSizes& sizes);
inline std::optional<PerturbationView> perturbation_view(const ResultTable& table) {
  return perturbation_view(table, recorded_sizes(table));
}

// Per label, the smallest median L2 of a set where its mean AUC reaches the
// paper's value (none if it never does or the paper has no value).
std::vector<std::optional<double>> reaches_paper(const PerturbationView& v);

// Kendall's tau between ours and the paper's column means in one row (labels
// with both); nothing with fewer than three such labels.
std::optional<double> order_agreement(const PerturbationView& v, const PerturbationRow& row);

std::string render_perturbation_markdown(const PerturbationView& v);
std::string render_perturbation_csv(const PerturbationView& v);
std::string render_perturbation_html(const PerturbationView& v);

// perturbation_<kind>.png/.svg: AUC (mean and std over seeds) against the
// median L2 per label, the paper's values as horizontal lines in the same
// colours. Returns the stem written.
std::filesystem::path perturbation_figure(const PerturbationView& v, const std::filesystem::path& out_dir, const std::string& title);

}  // namespace ocb::harness

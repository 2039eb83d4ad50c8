// `ocbench plot`: the figures of an experiment, drawn only from its records
// and score files: ROC curves per normal class (all methods), per-class AUC
// bars with the paper's values, the paper's Figure 2 (most normal and most
// anomalous test images of the normal class), training curves, and the
// critical-difference diagram of the methods' average ranks.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/config/experiment.hpp"
#include "harness/report/results.hpp"

namespace ocb::harness {

struct FigureOptions {
  std::optional<std::uint64_t> seed;     // default: the experiment's first seed
  std::vector<std::string> image_labels; // Figure 2 for these labels (default: deep_svdd_one_class if present)
  std::optional<fs::path> data_dir;      // for Figure 2's images
  fs::path out_dir;                      // default: <results>/plots
};

// From the records collect_results() read; returns the files written (PNG
// and SVG; Figure 2 grids are PNG).
std::vector<fs::path> make_figures(const ResultTable& table, const FigureOptions& options);

// Average rank per label over (dataset, class) rows where every label has a
// result, and the rows used; used by the report and the CD diagram.
struct RankSummary {
  std::vector<std::string> labels;
  std::vector<double> ranks;
  int rows = 0;
  double cd = 0.0;
};
RankSummary rank_summary(const ResultTable& table, const std::string& dataset);

}  // namespace ocb::harness

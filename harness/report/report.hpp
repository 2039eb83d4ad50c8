// `ocbench report`: one Markdown page per experiment (results/<name>/report.md)
// with the table, the figures, seed counts, failures, paired Wilcoxon tests,
// average ranks and the provenance of the records behind it.
#pragma once

#include <string>

#include "harness/config/experiment.hpp"
#include "harness/report/figures.hpp"

namespace ocb::harness {

// Draws the figures (make_figures) and writes the page; returns its path.
fs::path write_report(const ResultTable& table, const FigureOptions& figures);

}  // namespace ocb::harness

// Rendering Table 1/Table 2 layouts from aggregated records: normal classes as
// rows, method labels as columns, AUC % mean ± std, the paper's value and the
// difference beside each cell. Markdown and LaTeX (booktabs) for people, CSV
// for machines.
#pragma once

#include <string>

#include "harness/report/results.hpp"

namespace ocb::harness {

std::string render_markdown(const ResultTable& table);
std::string render_latex(const ResultTable& table);
// dataset,normal_class,method,n_seeds,auc_mean,auc_std,paper_mean,paper_std (AUC in %).
std::string render_csv(const ResultTable& table);

}  // namespace ocb::harness

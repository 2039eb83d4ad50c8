// AUC against perturbation size (perturbation.hpp).
#include "harness/report/perturbation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "harness/report/cd_diagram.hpp"
#include "harness/report/gnuplot.hpp"

namespace ocb::harness {
namespace {

std::string cell_text(const CellSummary* s) {
  if (!s || s->aucs.empty()) return "—";
  std::string out = fmt::format("{:.1f} ± {:.1f}", s->mean(), s->std());
  if (static_cast<int>(s->aucs.size()) < s->expected) out += fmt::format(" (n={})", s->aucs.size());
  return out;
}

}  // namespace

PerturbationSizes recorded_sizes(const ResultTable& t) {
  PerturbationSizes out;
  for (const auto& c : t.cells) {
    if (out.count(c.dataset->id)) continue;
    const CellRecord* r = t.records.find(c.id);
    if (!r || !r->data.contains("facts")) continue;
    const auto& f = r->data["facts"];
    if (f.contains("adversarial_l2_median") && f.contains("adversarial_linf_255_median"))
      out[c.dataset->id] = {f["adversarial_l2_median"].get<double>(), f["adversarial_linf_255_median"].get<double>()};
  }
  return out;
}

std::optional<PerturbationView> perturbation_view(const ResultTable& t, const PerturbationSizes& sizes) {
  PerturbationView v;
  for (const auto& d : t.exp->datasets) {
    const auto size = sizes.find(d.id);
    if (size == sizes.end()) continue;
    PerturbationRow row;
    row.dataset = d.id;
    row.l2_median = size->second.first;
    row.linf_median = size->second.second;
    if (v.rows.empty()) v.normal_class = d.classes.front();
    v.rows.push_back(row);
  }
  // A curve needs two sets of different sizes (two splits of one set are not one).
  std::set<double> sizes_seen;
  for (const auto& row : v.rows) sizes_seen.insert(row.l2_median);
  if (sizes_seen.size() < 2) return std::nullopt;
  for (const auto& m : t.exp->methods) {
    v.labels.push_back(m.label);
    const auto& kind = t.exp->dataset(v.rows.front().dataset).kind;
    auto p = t.paper.find({kind, v.normal_class, m.paper_method});
    v.paper.push_back(p == t.paper.end() ? std::nullopt : std::optional<PaperValue>(p->second));
  }
  for (auto& row : v.rows)
    for (const auto& l : v.labels) row.cells.push_back(t.find(row.dataset, v.normal_class, l));
  std::stable_sort(v.rows.begin(), v.rows.end(), [](const auto& a, const auto& b) { return a.l2_median < b.l2_median; });
  return v;
}

std::vector<std::optional<double>> reaches_paper(const PerturbationView& v) {
  std::vector<std::optional<double>> out(v.labels.size());
  for (std::size_t j = 0; j < v.labels.size(); ++j) {
    if (!v.paper[j]) continue;
    for (const auto& row : v.rows) {
      const auto* s = row.cells[j];
      if (s && !s->aucs.empty() && s->mean() >= v.paper[j]->mean) {
        out[j] = row.l2_median;
        break;
      }
    }
  }
  return out;
}

std::optional<double> order_agreement(const PerturbationView& v, const PerturbationRow& row) {
  std::vector<std::pair<double, double>> pairs;  // (ours, paper)
  for (std::size_t j = 0; j < v.labels.size(); ++j)
    if (v.paper[j] && row.cells[j] && !row.cells[j]->aucs.empty()) pairs.emplace_back(row.cells[j]->mean(), v.paper[j]->mean);
  if (pairs.size() < 3) return std::nullopt;
  double concordant = 0, discordant = 0;
  for (std::size_t a = 0; a < pairs.size(); ++a)
    for (std::size_t b = a + 1; b < pairs.size(); ++b) {
      const double s = (pairs[a].first - pairs[b].first) * (pairs[a].second - pairs[b].second);
      if (s > 0) ++concordant;
      else if (s < 0) ++discordant;
    }
  const double n = static_cast<double>(pairs.size());
  return (concordant - discordant) / (n * (n - 1) / 2);
}

std::string render_perturbation_markdown(const PerturbationView& v) {
  std::string out = "| set | median L2 | median L∞ (/255) |";
  for (const auto& l : v.labels) out += fmt::format(" {} |", l);
  out += " order vs paper (Kendall τ) |\n|---|---|---|";
  for (std::size_t j = 0; j <= v.labels.size(); ++j) out += "---|";
  out += "\n";
  for (const auto& row : v.rows) {
    out += fmt::format("| {} | {:.2f} | {:.0f} |", row.dataset, row.l2_median, row.linf_median);
    for (const auto* s : row.cells) out += fmt::format(" {} |", cell_text(s));
    const auto tau = order_agreement(v, row);
    out += tau ? fmt::format(" {:+.2f} |\n", *tau) : " — |\n";
  }
  out += "| **paper** | | |";
  for (const auto& p : v.paper) out += p ? fmt::format(" **{:.1f} ± {:.1f}** |", p->mean, p->std) : " — |";
  out += " |\n| reaches the paper at median L2 | | |";
  for (const auto& r : reaches_paper(v)) out += r ? fmt::format(" {:.2f} |", *r) : " never |";
  out += " |\n\n";
  out += "AUC in %, mean ± std over seeds, one row per adversarial set (ascending perturbation); sizes measured by the loader "
         "against each example's source image (pixels in [0, 1]). \"Reaches the paper\": the smallest median L2 at which the "
         "column's mean is at least the paper's. Kendall τ: agreement of the methods' order in that row with the paper's "
         "(+1 the same order, −1 reversed).\n\n";
  return out;
}

std::string render_perturbation_csv(const PerturbationView& v) {
  std::string out = "set,l2_median,linf_255_median,label,auc_mean,auc_std,seeds,paper_mean,paper_std\n";
  for (const auto& row : v.rows)
    for (std::size_t j = 0; j < v.labels.size(); ++j) {
      const auto* s = row.cells[j];
      out += fmt::format("{},{:.6g},{:.6g},{},", row.dataset, row.l2_median, row.linf_median, v.labels[j]);
      out += s && !s->aucs.empty() ? fmt::format("{:.4f},{:.4f},{}", s->mean(), s->std(), s->aucs.size()) : ",,0";
      out += v.paper[j] ? fmt::format(",{},{}\n", v.paper[j]->mean, v.paper[j]->std) : ",,\n";
    }
  return out;
}

std::string render_perturbation_html(const PerturbationView& v) {
  std::string h = "<table class=\"results perturbation\"><thead><tr><th>set</th><th>median L2</th><th>median L∞ (/255)</th>";
  for (const auto& l : v.labels) h += fmt::format("<th>{}</th>", xml_escape(l));
  h += "<th>order vs paper (Kendall τ)</th></tr></thead>\n<tbody>\n";
  for (const auto& row : v.rows) {
    h += fmt::format("<tr><th>{}</th><td>{:.2f}</td><td>{:.0f}</td>", xml_escape(row.dataset), row.l2_median, row.linf_median);
    for (std::size_t j = 0; j < row.cells.size(); ++j) {
      const auto* s = row.cells[j];
      const bool reached = s && !s->aucs.empty() && v.paper[j] && s->mean() >= v.paper[j]->mean;
      h += fmt::format("<td>{}{}</td>", cell_text(s), reached ? " ✓" : "");
    }
    const auto tau = order_agreement(v, row);
    h += tau ? fmt::format("<td>{:+.2f}</td></tr>\n", *tau) : "<td>—</td></tr>\n";
  }
  h += "<tr class=\"paper\"><th>paper</th><td></td><td></td>";
  for (const auto& p : v.paper) h += p ? fmt::format("<td>{:.1f} ± {:.1f}</td>", p->mean, p->std) : "<td>—</td>";
  h += "<td></td></tr>\n<tr><th>reaches the paper at median L2</th><td></td><td></td>";
  for (const auto& r : reaches_paper(v)) h += r ? fmt::format("<td>{:.2f}</td>", *r) : "<td>never</td>";
  h += "<td></td></tr>\n</tbody></table>\n";
  h += "<p>AUC in %, mean ± std over seeds, one row per adversarial set (ascending perturbation); ✓: the cell reaches the paper's "
       "value. Sizes are measured by the loader against each example's source image (pixels in [0, 1]).</p>\n";
  return h;
}

std::filesystem::path perturbation_figure(const PerturbationView& v, const std::filesystem::path& out_dir, const std::string& title) {
  std::string body;
  double x_lo = v.rows.front().l2_median, x_hi = v.rows.back().l2_median;
  for (std::size_t j = 0; j < v.labels.size(); ++j) {
    body += fmt::format("$D{} << EOD\n", j);
    for (const auto& row : v.rows)
      if (const auto* s = row.cells[j]; s && !s->aucs.empty()) body += fmt::format("{} {} {}\n", row.l2_median, s->mean(), s->std());
    body += "EOD\n";
  }
  body += fmt::format("set title {}\nset xlabel 'median L2 perturbation of the set (pixels in [0, 1])'\nset ylabel 'AUC (%)'\n",
                      gp_quote(title));
  body += "set grid\nset key outside right\nset logscale x 2\n";
  body += fmt::format("set xrange [{}:{}]\nset yrange [*:100]\n", x_lo / 1.2, x_hi * 1.2);
  std::string plot = "plot ";
  for (std::size_t j = 0; j < v.labels.size(); ++j) {
    plot += fmt::format("{}$D{} using 1:2:3 with yerrorlines lc {} pt 7 title {}", j ? ", " : "", j, j + 1, gp_quote(v.labels[j]));
    if (v.paper[j])
      plot += fmt::format(", {} with lines dt 2 lc {} title {}", v.paper[j]->mean, j + 1, gp_quote(v.labels[j] + " (paper)"));
  }
  const auto stem = out_dir / fmt::format("perturbation_class{}", v.normal_class);
  draw_script(stem, body + plot + "\n", 1100, 560);
  return stem;
}

}  // namespace ocb::harness

// Table rendering (table.hpp).
#include "harness/report/table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "datasets/common/dataset.hpp"

namespace ocb::harness {
std::string seeds_text(const std::vector<std::uint64_t>& seeds) {
  if (seeds.empty()) return "none";
  bool contiguous = true;
  for (std::size_t i = 1; i < seeds.size(); ++i) contiguous = contiguous && seeds[i] == seeds[i - 1] + 1;
  if (contiguous && seeds.size() > 2) return fmt::format("{}–{}", seeds.front(), seeds.back());
  std::string out;
  for (auto s : seeds) out += (out.empty() ? "" : ", ") + std::to_string(s);
  return out;
}

std::string class_title(const std::string& dataset, int k) {
  const auto& names = datasets::dataset_info(dataset).class_names;
  const std::string name = k < static_cast<int>(names.size()) ? names[k] : "";
  return name == std::to_string(k) || name.empty() ? std::to_string(k) : fmt::format("{} {}", k, name);
}

std::vector<std::string> datasets_of(const ResultTable& t) {
  std::vector<std::string> out;
  for (const auto& r : t.rows)
    if (std::find(out.begin(), out.end(), r.dataset) == out.end()) out.push_back(r.dataset);
  return out;
}

std::vector<std::string> labels_of(const ResultTable& t, const std::string& dataset) {
  std::vector<std::string> out;
  for (const auto& r : t.rows)
    if (r.dataset == dataset && std::find(out.begin(), out.end(), r.label) == out.end()) out.push_back(r.label);
  return out;
}

std::vector<int> classes_of(const ResultTable& t, const std::string& dataset) {
  std::vector<int> out;
  for (const auto& r : t.rows)
    if (r.dataset == dataset && std::find(out.begin(), out.end(), r.normal_class) == out.end()) out.push_back(r.normal_class);
  return out;
}

BandCount band_count(const ResultTable& t, const std::string& dataset, const std::string& label) {
  BandCount b;
  for (int k : classes_of(t, dataset))
    if (const CellSummary* s = t.find(dataset, k, label); s && s->matches_paper()) {
      ++b.with_paper;
      b.within += *s->matches_paper();
    }
  return b;
}

ColumnMean column_mean(const ResultTable& t, const std::string& dataset, const std::string& label) {
  ColumnMean m;
  double ours = 0, paper = 0;
  for (const auto& r : t.rows) {
    if (r.dataset != dataset || r.label != label || r.aucs.empty()) continue;
    ++m.classes;
    ours += r.mean();
    if (r.paper) {
      ++m.with_paper;
      paper += r.paper->mean;
      m.abs_diff += std::abs(r.mean() - r.paper->mean);
    }
  }
  if (m.classes) m.ours = ours / m.classes;
  if (m.with_paper) {
    m.paper = paper / m.with_paper;
    m.abs_diff /= m.with_paper;
  }
  return m;
}

namespace {

std::string paper_label(const ResultTable& t, const std::string& label) {
  for (const auto& m : t.exp->methods)
    if (m.label == label) return m.paper_method;
  return label;
}

std::string notes(const CellSummary& s) {
  std::string out;
  if (!s.aucs.empty() && static_cast<int>(s.aucs.size()) < s.expected) out += fmt::format(" (n={})", s.aucs.size());
  if (s.failed) out += fmt::format(" ({} failed)", s.failed);
  if (s.lacking) out += fmt::format(" ({} lack it)", s.lacking);
  if (s.flagged) out += " ⚠collapse";
  return out;
}

std::string md_cell(const CellSummary* s) {
  if (!s || (s->aucs.empty() && !s->failed && !s->lacking)) return "—";
  if (s->aucs.empty() && !s->failed) return fmt::format("— ({} lack it)", s->lacking);
  if (s->aucs.empty()) return fmt::format("failed ({})", s->failed);
  std::string out = fmt::format("{:.1f} ± {:.1f}", s->mean(), s->std());
  if (s->paper) out += fmt::format(" [{:.1f} ± {:.1f}, {:+.1f}]", s->paper->mean, s->paper->std, s->mean() - s->paper->mean);
  return out + notes(*s);
}

}  // namespace

std::string caption(const ResultTable& t) {
  const auto seeds = [](const std::vector<std::uint64_t>& s) {
    return fmt::format("{} {}", s.size() == 1 ? "seed" : "seeds", seeds_text(s));
  };
  std::string c = fmt::format("{}, mean ± standard deviation (population) over {}", t.metric.title(), seeds(t.exp->seeds));
  for (const auto& m : t.exp->methods)
    if (!m.seeds.empty()) c += fmt::format("; {}: {}", m.label, seeds(m.seeds));
  if (t.metric.is_auc()) {
    c += "; in brackets the paper's value and our difference from it.";
  } else {
    c += "; the paper reports AUC only, so no paper values stand beside these.";
    int lacking = 0;
    for (const auto& r : t.rows) lacking += r.lacking;
    if (lacking)
      c += fmt::format(" {} ok record{} lack this metric (made before training scores and thresholds were kept; `ocbench run --refresh-numerics` "
                       "or a rerun adds them): their cells say so.",
                       lacking, lacking == 1 ? "" : "s");
  }
  if (!t.exp->caption.empty()) c += " " + t.exp->caption;
  return c;
}

namespace {

// Which numerics signatures the records of each column carry (record.hpp).
std::string numerics_line(const ResultTable& t, const std::string& ds) {
  std::map<std::string, std::string> per_label;
  std::set<std::string> all;
  for (const auto& l : labels_of(t, ds)) {
    auto it = t.numerics.find({ds, l});
    if (it == t.numerics.end()) continue;
    std::string s;
    for (const auto& [sig, n] : it->second) {
      s += fmt::format("{}`{}` ({})", s.empty() ? "" : ", ", sig, n);
      all.insert(sig);
    }
    per_label[l] = s;
  }
  if (per_label.empty()) return "";
  if (all.size() == 1) return fmt::format("Numerics of every record: `{}`.\n\n", *all.begin());
  std::string out = "Numerics per column:";
  for (const auto& [l, s] : per_label) out += fmt::format(" {}: {};", l, s);
  out.back() = '.';
  return out + "\n\n";
}

std::string latex_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '_' || ch == '%' || ch == '&' || ch == '#') out += '\\';
    out += ch;
  }
  return out;
}

}  // namespace

std::string render_markdown(const ResultTable& t) {
  std::string out;
  for (const auto& ds : datasets_of(t)) {
    const auto labels = labels_of(t, ds);
    out += fmt::format("### {} — {}\n\n", t.exp->dataset(ds).title, t.exp->name);
    out += "| normal class |";
    for (const auto& l : labels) out += fmt::format(" {} |", l);
    out += "\n|---|";
    for (std::size_t i = 0; i < labels.size(); ++i) out += "---|";
    out += "\n";
    for (int k : classes_of(t, ds)) {
      out += fmt::format("| {} |", class_title(t.exp->dataset(ds).kind, k));
      for (const auto& l : labels) out += fmt::format(" {} |", md_cell(t.find(ds, k, l)));
      out += "\n";
    }
    out += "| **mean** |";
    const int n_classes = static_cast<int>(classes_of(t, ds).size());
    for (const auto& l : labels) {
      const auto m = column_mean(t, ds, l);
      const auto published = t.paper.find({t.exp->dataset(ds).kind, kMeanRow, paper_label(t, l)});
      // A mean over fewer classes than the table's rows says so.
      const std::string partial = m.classes < n_classes ? fmt::format(" ({} of {} classes)", m.classes, n_classes) : "";
      if (!m.classes) out += " — |";
      else if (m.with_paper == m.classes)
        out += fmt::format(" **{:.2f}** [{:.2f}, {:+.2f}]{} |", m.ours, m.paper, m.ours - m.paper, partial);
      else if (published != t.paper.end()) {
        // A mean published over all classes is compared only with ours over all of them.
        const auto& p = published->second;
        const std::string spread = p.std > 0 ? fmt::format(" ± {:.1f}", p.std) : "";
        const std::string diff = partial.empty() ? fmt::format(", {:+.2f}", m.ours - p.mean) : "";
        out += fmt::format(" **{:.2f}** [{:.1f}{}{}]{} |", m.ours, p.mean, spread, diff, partial);
      }
      else out += fmt::format(" **{:.2f}**{} |", m.ours, partial);
    }
    out += "\n| mean \\|Δ\\| |";
    for (const auto& l : labels) {
      const auto m = column_mean(t, ds, l);
      out += m.with_paper ? fmt::format(" {:.2f} |", m.abs_diff) : " — |";
    }
    out += "\n| within the paper's band |";
    for (const auto& l : labels) {
      const auto b = band_count(t, ds, l);
      out += b.with_paper ? fmt::format(" {}/{} |", b.within, b.with_paper) : " — |";
    }
    out += "\n\n" + caption(t) + " Mean: of the class means; mean |Δ|: of the per-class absolute differences from the paper; within the paper's band: classes whose mean lies within max(2 × the paper's σ, 2 points) of the paper's value.\n\n";
    out += numerics_line(t, ds);
  }
  return out;
}

std::string render_latex(const ResultTable& t) {
  std::string out;
  for (const auto& ds : datasets_of(t)) {
    const auto labels = labels_of(t, ds);
    out += "\\begin{table}[t]\n\\centering\n\\small\n";
    out += fmt::format("\\caption{{{} ({}). {}}}\n", latex_escape(t.exp->dataset(ds).title), latex_escape(t.exp->name),
                       latex_escape(caption(t)));
    out += "\\begin{tabular}{l" + std::string(labels.size(), 'c') + "}\n\\toprule\nNormal class";
    for (const auto& l : labels) out += " & " + latex_escape(l);
    out += " \\\\\n\\midrule\n";
    for (int k : classes_of(t, ds)) {
      out += latex_escape(class_title(t.exp->dataset(ds).kind, k));
      for (const auto& l : labels) {
        const CellSummary* s = t.find(ds, k, l);
        if (!s || s->aucs.empty()) {
          out += " & --";
          continue;
        }
        out += fmt::format(" & ${:.1f} \\pm {:.1f}$", s->mean(), s->std());
        if (s->paper) out += fmt::format(" {{\\scriptsize ({:.1f}, ${:+.1f}$)}}", s->paper->mean, s->mean() - s->paper->mean);
        if (static_cast<int>(s->aucs.size()) < s->expected) out += fmt::format("$^{{n={}}}$", s->aucs.size());
      }
      out += " \\\\\n";
    }
    out += "\\midrule\nMean";
    const int n_classes = static_cast<int>(classes_of(t, ds).size());
    for (const auto& l : labels) {
      const auto m = column_mean(t, ds, l);
      const std::string partial = m.classes < n_classes ? fmt::format("$^{{{}/{}}}$", m.classes, n_classes) : "";
      if (!m.classes) out += " & --";
      else if (m.with_paper == m.classes) out += fmt::format(" & ${:.2f}${} {{\\scriptsize ({:.2f})}}", m.ours, partial, m.paper);
      else out += fmt::format(" & ${:.2f}${}", m.ours, partial);
    }
    out += " \\\\\n\\bottomrule\n\\end{tabular}\n\\end{table}\n\n";
  }
  return out;
}

std::string render_csv(const ResultTable& t) {
  // Columns named after the metric: auc_mean, ap_mean, f1_p95_mean, ...
  std::string m = t.metric.name;
  for (char& ch : m)
    if (ch == ':' || ch == '+') ch = '_';
  std::string out = fmt::format("dataset,normal_class,method,n_seeds,{0}_mean,{0}_std,paper_mean,paper_std,within_paper_band,numerics\n", m);
  for (const auto& r : t.rows) {
    out += fmt::format("{},{},{},{},", r.dataset, r.normal_class, r.label, r.aucs.size());
    out += r.aucs.empty() ? "," : fmt::format("{:.4f},{:.4f},", r.mean(), r.std());
    out += r.paper ? fmt::format("{:.1f},{:.1f},", r.paper->mean, r.paper->std) : ",,";
    out += r.matches_paper() ? (*r.matches_paper() ? "1," : "0,") : ",";
    std::string sigs;
    if (auto it = t.numerics.find({r.dataset, r.label}); it != t.numerics.end())
      for (const auto& [sig, n] : it->second) sigs.append(sigs.empty() ? "" : "|").append(sig);
    out += sigs + "\n";
  }
  return out;
}

}  // namespace ocb::harness

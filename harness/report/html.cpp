// The HTML results site (html.hpp).
#include "harness/report/html.hpp"

#include <fmt/format.h>

#include <set>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "datasets/common/dataset.hpp"
#include "harness/report/perturbation.hpp"
#include "harness/core/atomic_file.hpp"
#include "harness/core/error.hpp"
#include "harness/report/cd_diagram.hpp"
#include "harness/report/figures.hpp"
#include "harness/report/table.hpp"
#include "harness/run/cells.hpp"
#include "harness/run/provenance.hpp"
#include "harness/run/store.hpp"

namespace ocb::harness {
namespace {


std::string esc(const std::string& s) { return xml_escape(s); }

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw core::DataError(p.string(), "cannot read the figure for the HTML page");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// JSON inside <script type="application/json">: "</" must not end the element.
std::string script_json(const Json& j) {
  std::string s = j.dump();
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<' && i + 1 < s.size() && s[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

constexpr const char* kStyle = R"css(
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:0 auto;max-width:1500px;padding:0 18px 40px;color:#222;font-size:14px}
h1{font-size:22px;margin:18px 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ccc}h3{font-size:15px;margin:18px 0 6px}
nav{margin:10px 0;font-size:13px}.muted{color:#666}.small{font-size:12px}
table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
th{background:#f2f2f2}th.sortable{cursor:pointer;white-space:nowrap}th.sortable:after{content:" \2195";color:#999}
table.results td.cell{cursor:pointer;min-width:92px}
td.within{background:#dff3df}td.miss{background:#f8dcdc}td.nopaper{background:#fafafa}td.empty{color:#999}
td.cell .m{font-weight:bold}td.cell .p{display:block;font-size:11px;color:#444}
body:not(.metric-auc) .auc,body:not(.metric-ap) .ap,body:not(.metric-f1p95) .f1p95,body:not(.metric-f1oracle) .f1oracle{display:none}
body:not(.metric-auc) td.within,body:not(.metric-auc) td.miss{background:#fafafa}
tr.summary td{background:#f7f7f7;font-size:12px}
#detail{position:fixed;right:16px;top:16px;width:420px;max-height:85vh;overflow:auto;background:white;border:2px solid #555;
 box-shadow:0 4px 16px rgba(0,0,0,.25);padding:10px 12px;display:none;font-size:13px}
#detail.open{display:block}#detail button{float:right}
.figs{display:flex;flex-wrap:wrap;gap:10px}.figs figure{margin:0;border:1px solid #ddd;padding:4px}
.figs figure img{max-width:560px;height:auto;display:block}.figs figure.wide img{max-width:1100px}
figcaption{font-size:12px;color:#555;max-width:560px}
.legend span{display:inline-block;padding:1px 8px;margin-right:6px;border:1px solid #ccc}
)css";

// Sorting, the metric switch, the cell details, and the page's self-check.
constexpr const char* kScript = R"js(
(function(){
  const cells = JSON.parse(document.getElementById('cell-data').textContent);
  const body = document.body;
  const metrics = ['auc', 'ap', 'f1p95', 'f1oracle'];
  function metric(){ return metrics.find(function(m){ return body.classList.contains('metric-' + m); }) || 'auc'; }
  document.querySelectorAll('input[name=metric]').forEach(function(r){
    r.addEventListener('change', function(){
      metrics.forEach(function(m){ body.classList.remove('metric-' + m); }); body.classList.add('metric-' + r.value);
    });
  });
  document.querySelectorAll('table.results').forEach(function(table){
    table.querySelectorAll('th.sortable').forEach(function(th){
      th.addEventListener('click', function(){
        const col = Number(th.dataset.col), tbody = table.tBodies[0];
        const down = th.dataset.dir !== 'desc'; th.dataset.dir = down ? 'desc' : 'asc';
        const rows = Array.from(tbody.rows);
        rows.sort(function(a, b){
          const va = col < 0 ? Number(a.dataset.cls) : Number(a.cells[col + 1].dataset[metric()] || 'NaN');
          const vb = col < 0 ? Number(b.dataset.cls) : Number(b.cells[col + 1].dataset[metric()] || 'NaN');
          const x = isNaN(va) ? -1e9 : va, y = isNaN(vb) ? -1e9 : vb;
          return down ? y - x : x - y;
        });
        rows.forEach(function(r){ tbody.appendChild(r); });
      });
    });
  });
  const panel = document.getElementById('detail');
  function fmt(x, d){ return (x === null || x === undefined) ? '—' : Number(x).toFixed(d); }
  document.querySelectorAll('td.cell').forEach(function(td){
    td.addEventListener('click', function(){
      const c = cells[td.dataset.key];
      if (!c) return;
      let h = '<button type="button" id="detail-close">close</button><h3></h3><p class="small muted"></p>' +
        '<table><thead><tr><th>seed</th><th>status</th><th>AUC %</th><th>AP %</th><th>F1 % (p95)</th><th>F1 % (oracle)</th><th>seconds</th></tr></thead><tbody>';
      c.seeds.forEach(function(s){
        h += '<tr><td>' + s.seed + '</td><td>' + s.status + '</td><td>' + fmt(s.auc, 2) + '</td><td>' + fmt(s.ap, 2) +
          '</td><td>' + fmt(s.f1p95, 1) + '</td><td>' + fmt(s.f1oracle, 1) + '</td><td>' + fmt(s.seconds, 1) + '</td></tr>';
      });
      h += '</tbody></table><p class="small">Records (relative to the results folder):</p><ul class="small records"></ul>';
      panel.innerHTML = h;
      panel.querySelector('h3').textContent = c.title;
      panel.querySelector('p').textContent = c.note;
      const ul = panel.querySelector('ul.records');
      c.seeds.forEach(function(s){
        const li = document.createElement('li');
        li.textContent = 'seed ' + s.seed + ': ' + s.record + (s.error ? ' — ' + s.error : '');
        ul.appendChild(li);
      });
      panel.classList.add('open');
      document.getElementById('detail-close').addEventListener('click', function(){ panel.classList.remove('open'); });
    });
  });
  // Self-check: figures decoded, diagram labels inside their pictures.
  function check(){
    const problems = [];
    document.querySelectorAll('figure img').forEach(function(img){
      if (!img.complete || img.naturalWidth === 0) problems.push('figure not decoded: ' + img.alt);
    });
    document.querySelectorAll('svg.cd-diagram').forEach(function(svg){
      const w = svg.viewBox.baseVal.width, h = svg.viewBox.baseVal.height;
      svg.querySelectorAll('text').forEach(function(t){
        const b = t.getBBox();
        if (b.x < 0 || b.y < 0 || b.x + b.width > w + 0.5 || b.y + b.height > h + 0.5) problems.push('label cut: ' + t.textContent);
      });
    });
    body.dataset.check = problems.length ? problems.join('; ') : 'ok';
    body.dataset.figures = String(document.querySelectorAll('figure').length);
    if (problems.length) console.error('page self-check: ' + problems.join('; '));
  }
  if (document.readyState === 'complete') check(); else window.addEventListener('load', check);
})();
)js";

std::string pct(double x, int digits = 1) { return fmt::format("{:.{}f}", x, digits); }

struct SeedRow {
  std::uint64_t seed;
  const CellRecord* record;
  std::string path;
};

// The records of one (dataset, class, label), in seed order.
std::vector<SeedRow> seed_rows(const ResultTable& t, const std::string& ds, int k, const std::string& label) {
  std::vector<SeedRow> out;
  for (const auto& c : t.cells) {
    if (c.dataset->id != ds || c.normal_class != k || c.method->label != label) continue;
    const CellRecord* r = t.records.find(c.id);
    if (!r) continue;
    std::string path;
    if (auto it = t.records.paths.find(c.id); it != t.records.paths.end()) {
      std::error_code ec;
      const auto rel = fs::relative(it->second, t.exp->results_dir, ec);
      path = (ec || rel.empty() ? it->second : rel).string();
    }
    out.push_back({c.seed, r, path});
  }
  std::sort(out.begin(), out.end(), [](const SeedRow& a, const SeedRow& b) { return a.seed < b.seed; });
  return out;
}

// The metrics the page switches between; slugs name CSS classes, data
// attributes and the seed panel's fields.
struct PageMetric {
  std::string slug, label;
  TableMetric metric;
};
const std::vector<PageMetric>& page_metrics() {
  static const std::vector<PageMetric> m{{"auc", "AUC", TableMetric{"auc"}},
                                         {"ap", "average precision", TableMetric{"ap"}},
                                         {"f1p95", "F1 at the 95th percentile of training scores", TableMetric{"f1:p95"}},
                                         {"f1oracle", "F1 at the best test threshold (oracle)", TableMetric{"f1:oracle_f1"}}};
  return m;
}

std::string table_section(const ResultTable& t, const std::string& ds, Json& cell_data) {
  const auto labels = labels_of(t, ds);
  std::string h = fmt::format("<h3>{}</h3>\n<table class=\"results\" id=\"table-{}\">\n<thead><tr><th class=\"sortable\" data-col=\"-1\">normal class</th>",
                              esc(t.exp->dataset(ds).title), esc(ds));
  for (std::size_t j = 0; j < labels.size(); ++j)
    h += fmt::format("<th class=\"sortable\" data-col=\"{}\" data-label=\"{}\">{}</th>", j, esc(labels[j]), esc(labels[j]));
  h += "</tr></thead>\n<tbody>\n";
  for (int k : classes_of(t, ds)) {
    h += fmt::format("<tr data-cls=\"{}\"><th>{}</th>", k, esc(class_title(t.exp->dataset(ds).kind, k)));
    for (const auto& l : labels) {
      const CellSummary* s = t.find(ds, k, l);
      const std::string key = fmt::format("{}|{}|{}", ds, k, l);
      const auto rows = seed_rows(t, ds, k, l);
      // Every metric the page can switch to, per seed (AUC is also in the summary).
      std::map<std::string, std::vector<double>> values;
      Json seeds = Json::array();
      for (const auto& r : rows) {
        Json j{{"seed", r.seed}, {"status", r.record->status}, {"record", r.path}};
        if (r.record->ok()) {
          for (const auto& m : page_metrics())
            if (const auto v = m.metric.value(*r.record, t.exp->results_dir)) {
              j[m.slug] = *v;
              values[m.slug].push_back(*v);
            }
        } else {
          j["error"] = r.record->error_phase + ": " + r.record->error_message;
        }
        j["seconds"] = r.record->total_seconds();
        seeds.push_back(j);
      }
      if (!s || (s->aucs.empty() && !s->failed)) {
        h += fmt::format("<td class=\"cell empty\" data-key=\"{}\">—</td>", esc(key));
        continue;
      }
      std::string note = fmt::format("{} of {} seeds ok", s->aucs.size(), s->expected);
      if (s->failed) note += fmt::format(", {} failed", s->failed);
      if (s->paper) note += fmt::format("; paper {:.1f} ± {:.1f}", s->paper->mean, s->paper->std);
      cell_data[key] = {{"title", fmt::format("{}, class {}, {}", t.exp->dataset(ds).title, class_title(t.exp->dataset(ds).kind, k), l)},
                        {"note", note}, {"seeds", seeds}};
      if (s->aucs.empty()) {
        h += fmt::format("<td class=\"cell miss\" data-key=\"{}\">failed ({})</td>", esc(key), s->failed);
        continue;
      }
      const auto band = s->matches_paper();
      const char* cls = !band ? "nopaper" : *band ? "within" : "miss";
      // The summary's values are the table's (AUC for a report); the others come from the records.
      h += fmt::format("<td class=\"cell {}\" data-key=\"{}\" data-n=\"{}\" data-auc=\"{:.4f}\"", cls, esc(key), s->aucs.size(), s->mean());
      for (const auto& m : page_metrics())
        if (m.slug != "auc" && !values[m.slug].empty()) h += fmt::format(" data-{}=\"{:.4f}\"", m.slug, mean_of(values[m.slug]));
      h += ">";
      h += fmt::format("<span class=\"auc\"><span class=\"m\">{}</span> ± {}", pct(s->mean()), pct(s->std()));
      if (s->paper)
        h += fmt::format("<span class=\"p\">paper {} ± {}, Δ {:+.1f}</span>", pct(s->paper->mean), pct(s->paper->std), s->mean() - s->paper->mean);
      h += "</span>";
      for (const auto& m : page_metrics()) {
        if (m.slug == "auc") continue;
        const auto& v = values[m.slug];
        if (v.empty()) h += fmt::format("<span class=\"{}\">—<span class=\"p\">not in these records</span></span>", m.slug);
        else
          h += fmt::format("<span class=\"{}\"><span class=\"m\">{}</span> ± {}{}</span>", m.slug, pct(mean_of(v)), pct(population_std(v)),
                           v.size() < s->aucs.size() ? fmt::format("<span class=\"p\">{} of {} seeds</span>", v.size(), s->aucs.size()) : "");
      }
      if (static_cast<int>(s->aucs.size()) < s->expected) h += fmt::format("<span class=\"p\">n={}</span>", s->aucs.size());
      h += "</td>";
    }
    h += "</tr>\n";
  }
  h += "</tbody>\n<tfoot>\n<tr class=\"summary\"><th>mean (AUC)</th>";
  for (const auto& l : labels) {
    const auto m = column_mean(t, ds, l);
    if (!m.classes) {
      h += "<td>—</td>";
      continue;
    }
    h += fmt::format("<td><b>{:.2f}</b>", m.ours);
    if (m.with_paper == m.classes) h += fmt::format(" [{:.2f}, {:+.2f}]", m.paper, m.ours - m.paper);
    h += "</td>";
  }
  h += "</tr>\n<tr class=\"summary\"><th>within the paper's band</th>";
  for (const auto& l : labels) {
    const auto b = band_count(t, ds, l);
    h += b.with_paper ? fmt::format("<td data-within=\"{}\" data-of=\"{}\">{}/{}</td>", b.within, b.with_paper, b.within, b.with_paper)
                      : std::string("<td>—</td>");
  }
  h += "</tr>\n</tfoot>\n</table>\n";
  return h;
}

// The figures of one kind, each embedded once (the smaller of its PNG and SVG).
struct Figure {
  std::string stem;
  fs::path file;
};

std::vector<Figure> pick_figures(const std::vector<fs::path>& files) {
  std::map<std::string, fs::path> best;
  std::vector<std::string> order;
  for (const auto& f : files) {
    if (f.extension() != ".png" && f.extension() != ".svg") continue;
    std::error_code ec;
    const auto size = fs::file_size(f, ec);
    if (ec) continue;  // drawn earlier and gone: left out
    const std::string stem = f.stem().string();
    auto it = best.find(stem);
    if (it == best.end()) {
      best[stem] = f;
      order.push_back(stem);
    } else if (size < fs::file_size(it->second)) {
      it->second = f;
    }
  }
  std::vector<Figure> out;
  for (const auto& s : order) out.push_back({s, best[s]});
  return out;
}

std::string figure_html(const Figure& f, const std::string& caption, bool wide = false) {
  std::string h = fmt::format("<figure data-figure=\"{}\"{}>", esc(f.stem), wide ? " class=\"wide\"" : "");
  const std::string bytes = read_bytes(f.file);
  if (f.stem.rfind("cd_", 0) == 0 && f.file.extension() == ".svg") {
    h += bytes;  // our own SVG: inline, so that the self-check can measure its labels
  } else {
    const char* mime = f.file.extension() == ".svg" ? "image/svg+xml" : "image/png";
    h += fmt::format("<img alt=\"{}\" src=\"data:{};base64,{}\">", esc(f.stem), mime, base64(bytes));
  }
  return h + fmt::format("<figcaption>{}</figcaption></figure>\n", esc(caption));
}

// Figure kinds by file-name prefix. Image grids (Figure 2/4, Grad-CAM) and
// the t-SNE maps (one per class and column: 20 of them took 0.8 MB on the
// extended MNIST page and pushed it past the budget) go on pages of their own
// (image_pages), so that no page outgrows 2 MiB.
struct FigureKind {
  const char* prefix;
  const char* title;
  bool wide;
  bool grid;  // on the image page, not the experiment's
};
constexpr FigureKind kFigureKinds[] = {
    {"auc_", "AUC per normal class (mean and std over seeds; dots: the paper)", true, false},
    {"cd_", "Critical-difference diagram (Demšar 2006)", true, false},
    {"perturbation_", "AUC against the adversarial sets' perturbation size (mean and std over seeds; dashed: the paper)", true, false},
    {"roc_", "ROC curves per normal class (one seed)", false, false},
    {"training_", "Training curves (mean batch loss per epoch)", false, false},
    {"tsne_", "t-SNE of the learned representations (test samples; normal blue, anomalous red)", false, true},
    {"figure2_", "Figure 2: the most normal (left) and most anomalous (right) test images of the normal class", false, true},
    {"figure4_", "Figure 4: most normal (left) and most anomalous (right) test images; adversarial examples framed in red", false, true},
    {"gradcam_", "Grad-CAM: the 16 most anomalous test images (one seed), each above its heatmap (blue low, red high)", false, true}};

// The figures of the kinds with grid == `grids`, one section per kind.
std::string figures_section(const std::vector<fs::path>& files, bool grids) {
  const auto figs = pick_figures(files);
  std::string h;
  for (const auto& k : kFigureKinds) {
    if (k.grid != grids) continue;
    std::string part;
    for (const auto& f : figs)
      if (f.stem.rfind(k.prefix, 0) == 0) part += figure_html(f, f.stem, k.wide);
    if (!part.empty()) h += fmt::format("<h3>{}</h3>\n<div class=\"figs\">\n{}</div>\n", esc(k.title), part);
  }
  return h;
}

std::string comparisons_section(const ResultTable& t) {
  std::string h;
  for (const auto& d : t.exp->datasets) {
    h += fmt::format("<h3>{}</h3>\n", esc(d.title));
    const auto rs = rank_summary(t, d.id);
    if (rs.rows >= 2) {
      h += fmt::format("<p>Average rank over {} normal classes (1 = best; class means over seeds); Nemenyi critical difference {:.2f} at α = 0.05.</p>\n",
                       rs.rows, rs.cd);
      h += "<table class=\"ranks\"><thead><tr><th>label</th><th>average rank</th></tr></thead><tbody>\n";
      for (std::size_t i = 0; i < rs.labels.size(); ++i) h += fmt::format("<tr><td>{}</td><td>{:.2f}</td></tr>\n", esc(rs.labels[i]), rs.ranks[i]);
      h += "</tbody></table>\n";
    }
    const auto tests = pair_tests(t, d.id);
    if (tests.empty()) continue;
    h += "<p>Wilcoxon signed-rank tests, paired over (class, seed); W+ counts pairs where the row's method is better.</p>\n"
         "<table class=\"wilcoxon\"><thead><tr><th>row</th><th>column</th><th>pairs</th><th>row better</th><th>W+</th><th>W−</th><th>p (two-sided)</th></tr></thead><tbody>\n";
    for (const auto& p : tests)
      h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1f}</td><td>{:.1f}</td><td>{:.3g}{}</td></tr>\n", esc(p.row), esc(p.column),
                       p.pairs, p.row_better, p.w.w_plus, p.w.w_minus, p.w.p_value, p.w.exact ? "" : " (normal approx.)");
    h += "</tbody></table>\n";
  }
  return h;
}

std::string failures_section(const ResultTable& t) {
  std::string h;
  for (const auto& c : t.cells) {
    const CellRecord* r = t.records.find(c.id);
    if (r && !r->ok()) h += fmt::format("<li>{}: while {}: {}</li>\n", esc(c.describe()), esc(r->error_phase), esc(r->error_message));
  }
  std::string out = h.empty() ? "<p>No failed cells.</p>\n" : "<ul class=\"failures\">\n" + h + "</ul>\n";
  if (!t.records.problems.empty()) {
    out += "<p>Records left out (they fail their schema; their cells count as missing):</p>\n<ul class=\"left-out\">\n";
    for (const auto& p : t.records.problems) out += fmt::format("<li><code>{}</code>: {}</li>\n", esc(p.path.string()), esc(p.message));
    out += "</ul>\n";
  }
  for (const auto& m : t.mixed_numerics()) out += fmt::format("<p class=\"small\">Warning: {}.</p>\n", esc(m));
  return out;
}

std::string provenance_html(const ProvenanceSummary& p) {
  std::string h = fmt::format("<p>{} ok records; compute {:.1f} core-hours.</p>\n<table class=\"provenance\"><tbody>\n", p.records, p.core_hours);
  auto row = [&](const char* title, const std::map<std::string, int>& m) {
    h += fmt::format("<tr><th>{}</th><td><ul>", title);
    for (const auto& [k, v] : m) h += fmt::format("<li><code>{}</code> ({})</li>", esc(k), v);
    h += "</ul></td></tr>\n";
  };
  row("ocbench commits", p.commits);
  row("machines", p.machines);
  row("devices", p.devices);
  row("libraries", p.libraries);
  row("numerics (label: signature)", p.numerics);
  return h + "</tbody></table>\n";
}

std::string page_head(const std::string& title) {
  return fmt::format("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width\">\n"
                     "<title>{}</title>\n<style>{}</style>\n</head>\n",
                     esc(title), kStyle);
}

std::string relative_link(const fs::path& target, const fs::path& from_dir) {
  std::error_code ec;
  const auto rel = fs::relative(fs::absolute(target), fs::absolute(from_dir), ec);
  return (ec || rel.empty() ? target : rel).generic_string();
}

}  // namespace

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) | static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (const std::size_t rest = in.size() - i; rest) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string render_html_page(const ResultTable& t, const std::vector<fs::path>& figures, const fs::path& site_index) {
  const Experiment& exp = *t.exp;
  std::string h = page_head("ocbench: " + exp.name);
  h += "<body class=\"metric-auc\">\n";
  if (!site_index.empty()) h += fmt::format("<nav><a href=\"{}\">← all experiments</a></nav>\n", esc(relative_link(site_index, exp.view_dir())));
  h += fmt::format("<h1>{}</h1>\n", esc(exp.name));
  if (!exp.description.empty()) h += fmt::format("<p>{}</p>\n", esc(exp.description));
  h += fmt::format("<p class=\"small muted\">Generated by <code>ocbench report {}</code> from the records in <code>{}</code> on {}. "
                   "Nothing on this page is typed by hand.</p>\n",
                   esc(exp.file.string()), esc(exp.results_dir.string()), esc(utc_now()));
  h += "<h2 id=\"results\">Results</h2>\n<p class=\"legend small\">Metric:";
  for (const auto& m : page_metrics())
    h += fmt::format(" <label><input type=\"radio\" name=\"metric\" value=\"{}\"{}> {}</label>", m.slug, m.slug == "auc" ? " checked" : "", esc(m.label));
  h += " &nbsp; "
       "<span class=\"within\" style=\"background:#dff3df\">within the paper's band</span><span style=\"background:#f8dcdc\">outside it</span>"
       "<span style=\"background:#fafafa\">no paper value</span> "
       "(band: max(2 × the paper's σ, 2 points) around the paper's AUC; the paper reports AUC only, so the other views are not coloured). "
       "F1 counts anomalies as positives; the p95 threshold comes from the training scores alone, the oracle's from the test labels. "
       "Records made before training scores were kept lack the p95 F1, and the oracle needs their score file. Click a column to sort, a cell for its seeds.</p>\n";
  Json cell_data = Json::object();
  for (const auto& ds : datasets_of(t)) h += table_section(t, ds, cell_data);
  h += fmt::format("<p class=\"small\">{}</p>\n", esc(caption(t)));
  if (const auto v = perturbation_view(t))
    h += "<h2 id=\"perturbation\">AUC against perturbation size</h2>\n" + render_perturbation_html(*v);
  const std::string plots = figures_section(figures, false), grids = figures_section(figures, true);
  h += "<h2 id=\"figures\">Figures</h2>\n";
  if (!grids.empty()) {
    std::string links;
    for (const auto& p : image_pages(t, figures))
      links += fmt::format("{}<a href=\"{}\">{}{}</a>", links.empty() ? "" : ", ", esc(p.file), esc(p.dataset.empty() ? p.file : p.dataset),
                           p.group.size() > 1 ? fmt::format(" (part {} of {})", p.part, p.group.size()) : "");
    h += fmt::format("<p>Image grids (Figure 2 / Figure 4, Grad-CAM) and t-SNE maps are on pages of their own: {}.</p>\n", links);
  }
  h += plots.empty() && grids.empty() ? "<p class=\"muted\">No figures (no score files or records to draw from).</p>\n" : plots;
  h += "<h2 id=\"comparisons\">Comparisons</h2>\n" + comparisons_section(t);
  h += "<h2 id=\"failures\">Failures</h2>\n" + failures_section(t);
  h += "<h2 id=\"provenance\">Provenance</h2>\n" + provenance_html(summarize_provenance(t));
  h += "<div id=\"detail\" role=\"dialog\"></div>\n";
  h += "<script type=\"application/json\" id=\"cell-data\">" + script_json(cell_data) + "</script>\n";
  h += fmt::format("<script>{}</script>\n</body>\n</html>\n", kScript);
  return h;
}

namespace {

// Bytes a figure adds to a page: base64 of the file plus its markup.
std::uintmax_t embedded_size(const fs::path& f) {
  std::error_code ec;
  const auto n = fs::file_size(f, ec);
  return (ec ? 0 : (n + 2) / 3 * 4) + 256;
}

// Cuts one group's figures (in kind order) into parts under the budget.
void add_parts(std::vector<ImagePage>& pages, const std::string& base, const std::string& dataset, const std::vector<fs::path>& grids,
               std::uintmax_t budget) {
  const auto picked = pick_figures(grids);
  std::vector<fs::path> ordered;
  for (const auto& k : kFigureKinds)
    if (k.grid)
      for (const auto& f : picked)
        if (f.stem.rfind(k.prefix, 0) == 0) ordered.push_back(f.file);
  if (ordered.empty()) return;
  const std::size_t first = pages.size();
  std::uintmax_t used = 0;
  for (const auto& f : ordered) {
    const auto size = embedded_size(f);
    if (pages.size() == first || (used > 0 && used + size > budget)) {
      const int part = static_cast<int>(pages.size() - first) + 1;
      pages.push_back({part == 1 ? base + ".html" : fmt::format("{}-p{}.html", base, part), dataset, {}, part, {}});
      used = 0;
    }
    pages.back().figures.push_back(f);
    used += size;
  }
  std::vector<std::string> group;
  for (std::size_t i = first; i < pages.size(); ++i) group.push_back(pages[i].file);
  for (std::size_t i = first; i < pages.size(); ++i) pages[i].group = group;
}

}  // namespace

std::vector<ImagePage> image_pages(const ResultTable& t, const std::vector<fs::path>& figures, std::uintmax_t budget) {
  std::vector<fs::path> grids;
  for (const auto& f : figures)
    for (const auto& k : kFigureKinds)
      if (k.grid && f.stem().string().rfind(k.prefix, 0) == 0) grids.push_back(f);
  std::vector<ImagePage> pages;
  if (grids.empty()) return pages;
  if (t.exp->datasets.size() == 1) {
    add_parts(pages, "images", "", grids, budget);
    return pages;
  }
  for (const auto& d : t.exp->datasets) {
    std::vector<fs::path> mine;
    for (const auto& f : grids)
      for (const auto& k : kFigureKinds)
        if (k.grid && f.stem().string().rfind(std::string(k.prefix) + d.id + "_", 0) == 0) mine.push_back(f);
    add_parts(pages, "images-" + d.id, d.id, mine, budget);
  }
  return pages;
}

std::string render_images_page(const ResultTable& t, const ImagePage& page) {
  const std::string grids = figures_section(page.figures, true);
  if (grids.empty()) return "";
  std::string what = page.dataset.empty() ? "image grids and t-SNE maps"
                                          : "image grids and t-SNE maps of " + t.exp->dataset(page.dataset).title;
  const bool parts = page.group.size() > 1;
  if (parts) what += fmt::format(", part {} of {}", page.part, page.group.size());
  std::string h = page_head("ocbench: " + t.exp->name + ", " + what);
  h += "<body>\n<nav><a href=\"index.html\">← the experiment's page</a>";
  if (parts) {
    h += " · parts:";
    for (std::size_t i = 0; i < page.group.size(); ++i)
      h += static_cast<int>(i) + 1 == page.part ? fmt::format(" <b>{}</b>", i + 1)
                                                : fmt::format(" <a href=\"{}\">{}</a>", esc(page.group[i]), i + 1);
  }
  h += "</nav>\n";
  h += fmt::format("<h1>{}: {}</h1>\n<p class=\"small muted\">Generated by <code>ocbench report {}</code> on {} from the records and "
                   "score files in <code>{}</code> and the dataset's images.</p>\n",
                   esc(t.exp->name), esc(what), esc(t.exp->file.string()), esc(utc_now()), esc(t.exp->results_dir.string()));
  h += grids;
  // The experiment page's script, for its self-check (no cells here).
  h += "<div id=\"detail\"></div>\n<script type=\"application/json\" id=\"cell-data\">{}</script>\n";
  h += fmt::format("<script>{}</script>\n</body>\n</html>\n", kScript);
  return h;
}

fs::path write_html_page(const ResultTable& t, const std::vector<fs::path>& figures, const fs::path& site_index) {
  const fs::path page = t.exp->view_dir() / "index.html";
  core::write_file_atomic(page, render_html_page(t, figures, site_index));
  std::set<std::string> written;
  for (const auto& p : image_pages(t, figures)) {
    core::write_file_atomic(t.exp->view_dir() / p.file, render_images_page(t, p));
    written.insert(p.file);
  }
  // Image pages of an earlier drawing that this one has not written: no stale page.
  std::error_code ec;
  for (const auto& f : fs::directory_iterator(t.exp->view_dir(), ec)) {
    const std::string name = f.path().filename().string();
    if (name.rfind("images", 0) == 0 && f.path().extension() == ".html" && !written.count(name)) fs::remove(f.path(), ec);
  }
  return page;
}

SiteEntry site_entry(const ResultTable& t, const fs::path& page) {
  SiteEntry e;
  e.name = t.exp->name;
  e.description = t.exp->description;
  e.experiment_file = t.exp->file;
  e.page = page;
  std::map<std::string, std::vector<std::uint64_t>> seeds;  // per label: seeds with an ok record anywhere
  std::vector<std::string> labels;
  for (const auto& c : t.cells) {
    if (std::find(labels.begin(), labels.end(), c.method->label) == labels.end()) labels.push_back(c.method->label);
    const CellRecord* r = t.records.find(c.id);
    if (!r) ++e.missing;
    else if (r->ok()) {
      ++e.ok;
      auto& s = seeds[c.method->label];
      if (std::find(s.begin(), s.end(), c.seed) == s.end()) s.push_back(c.seed);
    } else {
      ++e.failed;
    }
  }
  e.left_out = static_cast<int>(t.records.problems.size());
  for (const auto& l : labels) {
    auto s = seeds[l];
    std::sort(s.begin(), s.end());
    e.seeds += fmt::format("{}{}: {}", e.seeds.empty() ? "" : "; ", l, s.empty() ? std::string("none") : seeds_text(s));
  }
  for (const auto& r : t.rows) {
    const bool seen = std::any_of(e.bands.begin(), e.bands.end(),
                                  [&](const SiteEntry::Band& b) { return b.dataset == r.dataset && b.label == r.label; });
    if (seen) continue;
    if (const BandCount b = band_count(t, r.dataset, r.label); b.with_paper > 0) e.bands.push_back({r.dataset, r.label, b});
  }
  const auto p = summarize_provenance(t);
  e.newest_finished = p.newest_finished;
  e.newest_commit = p.newest_commit;
  return e;
}

std::string render_site_index(const std::vector<SiteEntry>& entries, const fs::path& index_path) {
  std::string h = page_head("ocbench results");
  h += "<body>\n<h1>ocbench results</h1>\n";
  h += fmt::format("<p class=\"small muted\">Generated by <code>ocbench report --all</code> on {}: every experiment file, the state of its cells "
                   "and a link to its page. Nothing here is typed by hand.</p>\n",
                   esc(utc_now()));
  h += "<table class=\"site\"><thead><tr><th>experiment</th><th>file</th><th>ok</th><th>failed</th><th>missing</th><th>seeds per column (ok records)</th>"
       "<th>newest record</th></tr></thead><tbody>\n";
  for (const auto& e : entries) {
    h += "<tr>";
    if (!e.page.empty())
      h += fmt::format("<td><a href=\"{}\">{}</a><br><span class=\"small muted\">{}</span></td>", esc(relative_link(e.page, index_path.parent_path())),
                       esc(e.name), esc(e.description));
    else
      h += fmt::format("<td>{}<br><span class=\"small muted\">{}</span></td>", esc(e.name), esc(e.description));
    h += fmt::format("<td><code>{}</code></td>", esc(e.experiment_file.generic_string()));
    if (!e.error.empty()) {
      h += fmt::format("<td colspan=\"5\">{}</td></tr>\n", esc(e.error));
      continue;
    }
    h += fmt::format("<td>{}</td><td>{}</td><td>{}{}</td><td class=\"small\">{}</td><td class=\"small\">{}{}</td></tr>\n", e.ok, e.failed, e.missing,
                     e.left_out ? fmt::format(" ({} records left out)", e.left_out) : "", esc(e.seeds), esc(e.newest_finished),
                     e.newest_commit.empty() ? "" : "<br><code>" + esc(e.newest_commit) + "</code>");
  }
  h += "</tbody></table>\n";
  // The same self-check hook as the experiment pages (nothing to decode here).
  h += "<script>document.body.dataset.check='ok';document.body.dataset.figures='0';</script>\n</body>\n</html>\n";
  return h;
}

fs::path write_site_index(const std::vector<SiteEntry>& entries, const fs::path& index_path) {
  core::write_file_atomic(index_path, render_site_index(entries, index_path));
  return index_path;
}

}  // namespace ocb::harness

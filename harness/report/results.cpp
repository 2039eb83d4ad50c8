// Record aggregation and the paper's CSV (results.hpp).
#include "harness/report/results.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>

#include "harness/core/atomic_file.hpp"
#include "harness/core/error.hpp"
#include "harness/core/metrics.hpp"

#include <cstring>

namespace ocb::harness {
namespace {

// Plain comma-separated fields (no quoting in these files); an empty last
// field ("...,97.7,") is kept as an empty string.
std::vector<std::string> split_csv(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
    out.push_back(line.substr(start, comma - start));
  out.push_back(line.substr(start));
  return out;
}

}  // namespace

double mean_of(const std::vector<double>& xs) {
  return xs.empty() ? 0.0 : std::accumulate(xs.begin(), xs.end(), 0.0) / static_cast<double>(xs.size());
}

double population_std(const std::vector<double>& xs) {
  if (xs.empty()) return 0.0;
  const double m = mean_of(xs);
  double s = 0.0;
  for (double x : xs) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(xs.size()));
}

double CellSummary::mean() const { return mean_of(aucs); }

std::optional<bool> CellSummary::matches_paper() const {
  if (!paper || aucs.empty()) return std::nullopt;
  return std::abs(mean() - paper->mean) <= std::max(2.0 * paper->std, 2.0);
}
double CellSummary::std() const { return population_std(aucs); }

void load_paper_table(const fs::path& csv, PaperTable& table) {
  std::string text;
  try {
    text = core::read_file(csv);
  } catch (const core::IoError& e) {
    throw core::DataError(csv.string(), std::string("cannot open the paper's table: ") + std::strerror(e.err()));
  }
  parse_paper_table(text, csv.string(), table);
}

void parse_paper_table(std::string_view text, const std::string& name, PaperTable& table) {
  std::istringstream in{std::string(text)};
  std::string line;
  std::getline(in, line);
  const auto header = split_csv(line);
  auto col = [&](const std::string& column) {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == column) return i;
    throw core::DataError(name, "missing column '" + column + "' (expected dataset,normal_class,method,auc_mean,auc_std)");
  };
  const auto c_ds = col("dataset"), c_k = col("normal_class"), c_m = col("method"), c_mean = col("auc_mean"),
             c_std = col("auc_std");
  int line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line == "\r") continue;
    const auto f = split_csv(line);
    try {
      const int k = f.at(c_k) == "mean" ? kMeanRow : std::stoi(f.at(c_k));
      PaperValue v{std::stod(f.at(c_mean)), f.at(c_std).empty() ? 0.0 : std::stod(f.at(c_std))};
      if (!std::isfinite(v.mean) || !std::isfinite(v.std) || k < kMeanRow) throw std::out_of_range("value");
      table[{f.at(c_ds), k, f.at(c_m)}] = v;
    } catch (const std::exception&) {
      throw core::DataError(fmt::format("{}:{}", name, line_no), "malformed row: " + line);
    }
  }
}

const CellSummary* ResultTable::find(const std::string& dataset, int normal_class, const std::string& label) const {
  for (const auto& r : rows)
    if (r.dataset == dataset && r.normal_class == normal_class && r.label == label) return &r;
  return nullptr;
}

std::vector<std::string> ResultTable::mixed_numerics() const {
  std::vector<std::string> out;
  for (const auto& [key, sigs] : numerics) {
    if (sigs.size() < 2) continue;
    std::string list;
    for (const auto& [sig, n] : sigs) list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", sig, n);
    out.push_back(fmt::format("{} on {} mixes records of different numerics: {}", key.second, key.first, list));
  }
  return out;
}

bool report_record_problems(const RecordSet& records, std::ostream& out) {
  for (const auto& p : records.problems) out << "warning: " << p.str() << "; left out\n";
  if (!records.problems.empty())
    out << fmt::format("warning: {} record{} left out; their cells count as missing (`ocbench run` reruns them)\n",
                       records.problems.size(), records.problems.size() == 1 ? "" : "s");
  return !records.problems.empty();
}

TableMetric TableMetric::parse(const std::string& text) {
  static const std::vector<std::string> choices{"auc", "ap", "mahalanobis", "f1:p95", "f1:p99", "f1:mean+3sd", "f1:adaptive_mahalanobis_p95",
                                                "f1:oracle_f1"};
  if (std::find(choices.begin(), choices.end(), text) == choices.end()) {
    std::string list;
    for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
    throw core::Error(fmt::format("--metric: '{}' is not one of {}", text, list));
  }
  return TableMetric{text};
}

std::string TableMetric::title() const {
  if (name == "auc") return "AUC in %";
  if (name == "ap") return "average precision in %";
  if (name == "mahalanobis") return "AUC in % of the adaptive score (Mahalanobis distance to a Gaussian fitted on the training representations)";
  if (name == "f1:adaptive_mahalanobis_p95")
    return "F1 in % of the adaptive score at the 95th percentile of the training representations' Mahalanobis distances";
  if (name == "f1:p95") return "F1 in % at the 95th percentile of the training scores";
  if (name == "f1:p99") return "F1 in % at the 99th percentile of the training scores";
  if (name == "f1:mean+3sd") return "F1 in % at the training scores' mean + 3 std";
  return "F1 in % at the test set's best threshold (an oracle: it uses the test labels)";
}

std::optional<double> TableMetric::value(const CellRecord& r, const fs::path& results_dir) const {
  if (name == "auc") return 100.0 * r.metrics.auc;
  if (name == "ap") return 100.0 * r.metrics.average_precision;
  if (name == "mahalanobis") return r.metrics.mahalanobis_auc ? std::optional<double>(100.0 * *r.metrics.mahalanobis_auc) : std::nullopt;
  const std::string policy = name.substr(3);
  if (const core::Decisions* d = r.metrics.at(policy)) return 100.0 * d->f1();
  if (policy != "oracle_f1" || r.scores_file.empty()) return std::nullopt;
  try {
    const ScoreFile s = RecordStore::read_scores(results_dir / r.scores_file);
    const std::vector<double> scores(s.scores.begin(), s.scores.end());
    return 100.0 * core::best_f1(scores, s.anomaly).f1();
  } catch (const core::DataError&) {
    return std::nullopt;  // absent or damaged: the cell counts it as lacking
  }
}

ResultTable collect_results(const Experiment& exp, const TableMetric& metric) {
  std::error_code ec;
  if (!fs::is_directory(exp.results_dir, ec))
    throw core::DataError(exp.results_dir.string(), "no results folder: nothing of experiment '" + exp.name +
                                                        "' was run here (ocbench run " + exp.file.string() + "), or --results-dir is wrong");
  ResultTable table;
  table.exp = &exp;
  table.metric = metric;
  for (const auto& f : exp.paper) load_paper_table(f, table.paper);
  const PaperTable& paper = table.paper;
  table.records = RecordStore(exp.results_dir).load_all();
  table.cells = expand_cells(exp);
  std::map<std::tuple<std::string, int, std::string>, std::size_t> index;
  for (const auto& c : table.cells) {
    const auto key = std::make_tuple(c.dataset->id, c.normal_class, c.method->label);
    auto [it, inserted] = index.emplace(key, table.rows.size());
    if (inserted) {
      CellSummary s;
      s.dataset = c.dataset->id;
      s.normal_class = c.normal_class;
      s.label = c.method->label;
      if (auto p = paper.find({c.dataset->kind, c.normal_class, c.method->paper_method}); metric.is_auc() && p != paper.end())
        s.paper = p->second;
      table.rows.push_back(std::move(s));
    }
    CellSummary& s = table.rows[it->second];
    ++s.expected;
    const CellRecord* r = table.records.find(c.id);
    if (!r) continue;
    if (r->ok()) {
      const auto v = metric.value(*r, exp.results_dir);
      if (!v) {
        ++s.lacking;
        continue;
      }
      s.aucs.push_back(*v);
      s.seeds.push_back(c.seed);
      if (r->representation && r->representation->collapse_suspected) s.flagged = true;
      table.numerics[{c.dataset->id, c.method->label}][r->numerics.signature()] += 1;
    } else {
      ++s.failed;
    }
  }
  return table;
}

}  // namespace ocb::harness

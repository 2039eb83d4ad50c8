// The AUC regression gate (gate.hpp).
#include "harness/check/gate.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include "harness/core/error.hpp"
#include "harness/core/json_integer.hpp"
#include "harness/report/results.hpp"
#include "harness/run/cells.hpp"
#include "harness/run/provenance.hpp"
#include "harness/run/store.hpp"

namespace ocb::harness {
namespace {

using Key = std::tuple<std::string, std::string, int, std::uint64_t>;  // label, dataset, class, seed

Key key_of(const Cell& c) { return {c.method->label, c.dataset->id, c.normal_class, c.seed}; }

bool selected(const GateOptions& o, const std::string& label) {
  return o.only_labels.empty() || std::find(o.only_labels.begin(), o.only_labels.end(), label) != o.only_labels.end();
}

// Why a record's model cannot be trusted whatever its AUC, or "". A score
// file that the record names but that is missing or damaged makes the cell
// "missing": the constant-score test cannot run without it.
std::pair<std::string, std::string> degeneracy(const Experiment& exp, const CellRecord& rec, const GateOptions& o) {
  if (rec.representation && rec.representation->collapse_suspected)
    return {"collapsed", fmt::format("representation spread {:.3g}", rec.representation->spread)};
  for (const char* phase : {"pretraining", "train"}) {
    auto c = rec.curves.find(phase);
    if (c == rec.curves.end()) continue;
    const auto& loss = c->second.epoch_loss;
    if (loss.size() >= 2 && loss.back() > o.max_loss_ratio * loss.front())
      return {"untrained", fmt::format("{} loss {:.4g} -> {:.4g} over {} epochs", phase, loss.front(), loss.back(), loss.size())};
  }
  if (!rec.scores_file.empty()) {
    ScoreFile s;
    try {
      s = RecordStore::read_scores(exp.results_dir / rec.scores_file);
    } catch (const core::DataError& e) {
      return {"missing", e.what()};
    }
    const std::set<float> distinct(s.scores.begin(), s.scores.end());
    if (static_cast<double>(distinct.size()) < o.min_distinct * static_cast<double>(s.scores.size()))
      return {"degenerate", fmt::format("{} distinct scores for {} samples", distinct.size(), s.scores.size())};
  }
  return {"", ""};
}

struct Baseline {
  std::map<Key, double> auc;     // points
  std::map<std::tuple<std::string, std::string, int>, double> std;  // seed std per (label, dataset, class), points
};

Baseline read_baseline(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw core::DataError(path.string(), "cannot open the baseline (create it with --update-baseline)");
  Baseline b;
  try {
    const Json j = Json::parse(in);
    for (const auto& c : j.at("cells"))
      b.auc[{c.at("label").get<std::string>(), c.at("dataset").get<std::string>(), core::json_integer<int>(c.at("normal_class"), "normal_class"),
             core::json_integer<std::uint64_t>(c.at("seed"), "seed")}] = c.at("auc").get<double>();
  } catch (const std::exception& e) {
    throw core::DataError(path.string(), std::string("not a baseline file: ") + e.what());
  }
  std::map<std::tuple<std::string, std::string, int>, std::vector<double>> by_class;
  for (const auto& [k, v] : b.auc) by_class[{std::get<0>(k), std::get<1>(k), std::get<2>(k)}].push_back(v);
  for (const auto& [k, v] : by_class) b.std[k] = population_std(v);
  return b;
}

}  // namespace

GateResult check_against_baseline(const Experiment& exp, const GateOptions& o) {
  const Baseline base = read_baseline(o.baseline);
  const auto records = RecordStore(exp.results_dir).load_all();
  GateResult res;
  for (const auto& p : records.problems) res.left_out.push_back(p.str());
  std::set<Key> seen;
  bool regression = false, degenerate = false, missing = false, fresh = false;
  for (const auto& c : expand_cells(exp)) {
    if (!selected(o, c.method->label)) continue;
    const Key key = key_of(c);
    seen.insert(key);
    GateRow row;
    row.label = c.method->label;
    row.dataset = c.dataset->id;
    row.normal_class = c.normal_class;
    row.seed = c.seed;
    auto b = base.auc.find(key);
    const bool known = b != base.auc.end();
    if (known) row.baseline_auc = b->second;
    auto spread = base.std.find({row.label, row.dataset, row.normal_class});
    row.band = std::max(o.floor_points, known && spread != base.std.end() ? o.k_std * spread->second : 0.0);
    const CellRecord* r = records.find(c.id);
    if (!r || !r->ok()) {
      row.status = "missing";
      row.detail = !r ? "no record" : "failed: " + r->error_message;
      missing = true;
      res.rows.push_back(row);
      continue;
    }
    row.auc = 100.0 * r->metrics.auc;
    const auto [why, detail] = degeneracy(exp, *r, o);
    if (why == "missing") {
      row.status = why;
      row.detail = detail;
      missing = true;
    } else if (!why.empty()) {
      row.status = why;
      row.detail = detail;
      degenerate = true;
    } else if (!known) {
      row.status = "new";
      row.detail = "not in the baseline (--update-baseline adds it)";
      fresh = true;
    } else if (std::abs(row.auc - row.baseline_auc) > row.band) {
      row.status = row.auc > row.baseline_auc ? "improvement" : "regression";
      row.detail = "outside the band: update the baseline if intended";
      regression = true;
    } else {
      row.status = "ok";
    }
    res.rows.push_back(row);
  }
  for (const auto& [key, v] : base.auc)
    if (!seen.count(key) && selected(o, std::get<0>(key))) {
      res.rows.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key), v, -1, o.floor_points,
                          "missing", "in the baseline but not in the experiment"});
      missing = true;
    }
  res.exit_code = degenerate             ? kExitDegenerate
                  : regression           ? kExitRegression
                  : !res.left_out.empty() ? kExitBadRecords
                  : missing              ? kExitMissing
                  : fresh && o.strict    ? kExitNewLabels
                                         : kExitOk;
  return res;
}

std::string GateResult::render() const {
  std::string out = "| label | dataset | class | seed | baseline AUC | AUC | Δ | band | status |\n|---|---|---|---|---|---|---|---|---|\n";
  int bad = 0, fresh = 0;
  for (const auto& r : rows) {
    const bool fail = r.status != "ok" && (r.status != "new" || exit_code == kExitNewLabels);
    bad += fail;
    fresh += r.status == "new";
    if (!fail && exit_code != 0) continue;  // on failure, list only what failed
    auto num = [](double v) { return v < 0 ? std::string("—") : fmt::format("{:.2f}", v); };
    const std::string delta = r.auc >= 0 && r.baseline_auc >= 0 ? fmt::format("{:+.2f}", r.auc - r.baseline_auc) : "—";
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | ±{:.2f} | {}{} |\n", r.label, r.dataset, r.normal_class, r.seed,
                       num(r.baseline_auc), num(r.auc), delta, r.band, r.status, r.detail.empty() ? "" : ": " + r.detail);
  }
  for (const auto& l : left_out) out += "\nleft out: " + l;
  out += fmt::format("\n{} of {} cells {}{}\n", exit_code == 0 ? rows.size() : static_cast<std::size_t>(bad), rows.size(),
                     exit_code == 0 ? "pass" : "fail the gate",
                     fresh ? fmt::format(" ({} new: not in the baseline{})", fresh,
                                         exit_code == kExitNewLabels ? ", which --strict refuses" : "")
                           : "");
  return out;
}

void write_baseline(const Experiment& exp, const GateOptions& o) {
  const auto records = RecordStore(exp.results_dir).load_all();
  if (!records.problems.empty())
    throw core::Error(fmt::format("cannot write a baseline: {}", records.problems.front().str()));
  std::set<std::string> old_labels;
  Json cells = Json::array();
  if (fs::exists(o.baseline)) {
    for (const auto& [key, v] : read_baseline(o.baseline).auc) old_labels.insert(std::get<0>(key));
    // With --only, the other labels' cells stay as they were.
    if (!o.only_labels.empty()) {
      const Json old = Json::parse(core::read_file(o.baseline));
      for (const auto& c : old.at("cells"))
        if (!selected(o, c.at("label").get<std::string>())) cells.push_back(c);
    }
  }
  std::set<std::string> added;
  for (const auto& c : expand_cells(exp)) {
    if (!selected(o, c.method->label)) continue;
    const CellRecord* r = records.ok(c.id);
    if (!r) throw core::Error(fmt::format("cannot write a baseline: {} has no ok record", c.describe()));
    const auto [why, detail] = degeneracy(exp, *r, o);
    if (!why.empty()) throw core::Error(fmt::format("cannot write a baseline: {} is {} ({})", c.describe(), why, detail));
    if (!old_labels.empty() && !old_labels.count(c.method->label)) added.insert(c.method->label);
    cells.push_back({{"label", c.method->label}, {"dataset", c.dataset->id}, {"normal_class", c.normal_class}, {"seed", c.seed},
                     {"cell_id", c.id}, {"auc", 100.0 * r->metrics.auc}, {"numerics", r->numerics.signature()}});
  }
  Json j{{"experiment", exp.name}, {"written_at", utc_now()}, {"git_commit", provenance().value("git_commit", "")},
         {"auc_unit", "percent"}, {"labels_added", std::vector<std::string>(added.begin(), added.end())}, {"cells", cells}};
  core::write_file_atomic(o.baseline, j.dump(1) + "\n");
}

}  // namespace ocb::harness

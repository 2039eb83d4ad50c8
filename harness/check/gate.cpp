// The AUC regression gate (gate.hpp).
#include "harness/check/gate.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include "harness/core/error.hpp"
#include "harness/report/results.hpp"
#include "harness/run/cells.hpp"
#include "harness/run/provenance.hpp"
#include "harness/run/store.hpp"

namespace ocb::harness {
namespace {

using Key = std::tuple<std::string, std::string, int, std::uint64_t>;  // label, dataset, class, seed

Key key_of(const Cell& c) { return {c.method->label, c.dataset->id, c.normal_class, c.seed}; }

// Why a record's model cannot be trusted whatever its AUC, or "".
std::pair<std::string, std::string> degeneracy(const Experiment& exp, const Json& rec, const GateOptions& o) {
  const auto& mr = rec.value("method_report", Json::object());
  if (mr.value("collapse_suspected", false))
    return {"collapsed", fmt::format("representation spread {:.3g}", mr.value("representation_spread", 0.0))};
  for (const char* phase : {"pretraining", "train"}) {
    if (!mr.contains(phase) || !mr[phase].contains("epoch_loss")) continue;
    const auto loss = mr[phase]["epoch_loss"].get<std::vector<double>>();
    if (loss.size() >= 2 && loss.back() > o.max_loss_ratio * loss.front())
      return {"untrained", fmt::format("{} loss {:.4g} -> {:.4g} over {} epochs", phase, loss.front(), loss.back(), loss.size())};
  }
  if (rec.contains("scores_file")) {
    const fs::path p = exp.results_dir / rec["scores_file"].get<std::string>();
    if (fs::exists(p)) {
      const auto s = RecordStore::read_scores(p);
      const std::set<float> distinct(s.scores.begin(), s.scores.end());
      if (static_cast<double>(distinct.size()) < o.min_distinct * static_cast<double>(s.scores.size()))
        return {"degenerate", fmt::format("{} distinct scores for {} samples", distinct.size(), s.scores.size())};
    }
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
      b.auc[{c.at("label").get<std::string>(), c.at("dataset").get<std::string>(), c.at("normal_class").get<int>(),
             c.at("seed").get<std::uint64_t>()}] = c.at("auc").get<double>();
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
  std::set<Key> seen;
  bool regression = false, degenerate = false, missing = false;
  for (const auto& c : expand_cells(exp)) {
    const Key key = key_of(c);
    seen.insert(key);
    GateRow row;
    row.label = c.method->label;
    row.dataset = c.dataset->id;
    row.normal_class = c.normal_class;
    row.seed = c.seed;
    auto b = base.auc.find(key);
    if (b != base.auc.end()) row.baseline_auc = b->second;
    row.band = std::max(o.floor_points, o.k_std * base.std.at({row.label, row.dataset, row.normal_class}) * (b != base.auc.end()));
    auto r = records.find(c.id);
    if (r == records.end() || r->second.value("status", "") != "ok") {
      row.status = "missing";
      row.detail = r == records.end() ? "no record" : "failed: " + r->second["error"].value("message", "");
      missing = true;
      res.rows.push_back(row);
      continue;
    }
    row.auc = 100.0 * r->second["metrics"]["auc"].get<double>();
    const auto [why, detail] = degeneracy(exp, r->second, o);
    if (!why.empty()) {
      row.status = why;
      row.detail = detail;
      degenerate = true;
    } else if (b == base.auc.end()) {
      row.status = "new";
      row.detail = "not in the baseline";
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
    if (!seen.count(key)) {
      res.rows.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key), v, -1, o.floor_points,
                          "missing", "in the baseline but not in the experiment"});
      missing = true;
    }
  res.exit_code = degenerate ? kCheckDegenerate : regression ? kCheckRegression : missing ? kCheckMissing : 0;
  return res;
}

std::string GateResult::render() const {
  std::string out = "| label | dataset | class | seed | baseline AUC | AUC | Δ | band | status |\n|---|---|---|---|---|---|---|---|---|\n";
  int bad = 0;
  for (const auto& r : rows) {
    const bool fail = r.status != "ok" && r.status != "new";
    bad += fail;
    if (!fail && exit_code != 0) continue;  // on failure, list only what failed
    auto num = [](double v) { return v < 0 ? std::string("—") : fmt::format("{:.2f}", v); };
    const std::string delta = r.auc >= 0 && r.baseline_auc >= 0 ? fmt::format("{:+.2f}", r.auc - r.baseline_auc) : "—";
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | ±{:.2f} | {}{} |\n", r.label, r.dataset, r.normal_class, r.seed,
                       num(r.baseline_auc), num(r.auc), delta, r.band, r.status, r.detail.empty() ? "" : ": " + r.detail);
  }
  out += fmt::format("\n{} of {} cells {}\n", exit_code == 0 ? rows.size() : static_cast<std::size_t>(bad), rows.size(),
                     exit_code == 0 ? "pass" : "fail the gate");
  return out;
}

void write_baseline(const Experiment& exp, const GateOptions& o) {
  const auto records = RecordStore(exp.results_dir).load_all();
  Json cells = Json::array();
  for (const auto& c : expand_cells(exp)) {
    auto r = records.find(c.id);
    if (r == records.end() || r->second.value("status", "") != "ok")
      throw core::Error(fmt::format("cannot write a baseline: {} has no ok record", c.describe()));
    const auto [why, detail] = degeneracy(exp, r->second, o);
    if (!why.empty()) throw core::Error(fmt::format("cannot write a baseline: {} is {} ({})", c.describe(), why, detail));
    cells.push_back({{"label", c.method->label}, {"dataset", c.dataset->id}, {"normal_class", c.normal_class}, {"seed", c.seed},
                     {"cell_id", c.id}, {"auc", 100.0 * r->second["metrics"]["auc"].get<double>()}});
  }
  Json j{{"experiment", exp.name}, {"written_at", utc_now()}, {"git_commit", provenance().value("git_commit", "")},
         {"auc_unit", "percent"}, {"cells", cells}};
  core::write_file_atomic(o.baseline, j.dump(1) + "\n");
}

}  // namespace ocb::harness

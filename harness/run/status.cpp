// Status of an experiment's cells (status.hpp).
#include "harness/run/status.hpp"

#include <map>
#include <set>

#include "harness/run/claims.hpp"

namespace ocb::harness {
namespace {

std::string hours(double s) { return fmt::format("{:.2f}", s / 3600.0); }

}  // namespace

ExperimentStatus experiment_status(const Experiment& exp, const RunOptions& selection, const std::optional<fs::path>& plan_file) {
  ExperimentStatus st;
  const RecordStore store(exp.results_dir);
  const RecordSet records = store.load_all();
  st.problems = records.problems;
  const CostModel costs(records);
  const ClaimBoard board(exp.results_dir);
  const auto claims = board.all();
  RunOptions all = selection;
  all.plan.reset();
  all.shard_count = 1;
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  std::map<std::pair<std::string, std::string>, std::set<std::string>> owners;
  std::vector<Cell> remaining;  // priced below, together: cells run in one process share work
  for (const auto& c : selected_cells(exp, all)) {
    const auto key = std::make_pair(c.dataset->id, c.method->label);
    auto [it, inserted] = index.emplace(key, st.rows.size());
    if (inserted) {
      StatusRow row;
      row.dataset = c.dataset->id;
      row.label = c.method->label;
      st.rows.push_back(std::move(row));
    }
    StatusRow& row = st.rows[it->second];
    ++row.cells;
    const CellRecord* r = records.find(c.id);
    auto claim = claims.find(c.id);
    const bool running = claim != claims.end() && board.live(claim->second);
    if (claim != claims.end() && !running) ++st.stale_claims;
    if (recorded_as_wanted(store, r, Numerics{}, false)) {
      ++row.ok;
      row.other_numerics += r->numerics.signature() != expected_numerics(c, ExecOptions{}).signature();
      continue;
    }
    if (running) {
      ++row.running;
      owners[key].insert(claim->second.describe());
    } else if (r && !r->ok()) {
      ++row.failed;
    } else {
      ++row.missing;
    }
    remaining.push_back(c);
  }
  for (const auto& g : placement_groups(remaining)) {
    const auto seconds = costs.group_seconds(g);
    for (std::size_t i = 0; i < g.size(); ++i)
      st.rows[index.at({g[i]->dataset->id, g[i]->method->label})].remaining_core_s += seconds[i];
  }
  for (auto& row : st.rows) {
    const auto& o = owners[{row.dataset, row.label}];
    row.owners.assign(o.begin(), o.end());
    st.total.cells += row.cells;
    st.total.ok += row.ok;
    st.total.failed += row.failed;
    st.total.running += row.running;
    st.total.missing += row.missing;
    st.total.other_numerics += row.other_numerics;
    st.total.remaining_core_s += row.remaining_core_s;
  }
  if (plan_file) {
    st.plan = plan_file;
    const Plan plan = read_plan(*plan_file);
    st.plan_refreshes = plan.rule.refresh_numerics;
    for (int k : plan.shards_with_work(plan_done(exp, store, records, plan.rule))) st.missing_shards.push_back(k - 1);
  }
  return st;
}

std::string ExperimentStatus::render() const {
  std::string out =
      "| dataset | label | cells | ok | of them at other numerics | failed | running | missing | left (core-h) |\n"
      "|---|---|---|---|---|---|---|---|---|\n";
  auto line = [](const StatusRow& r, const std::string& ds, const std::string& label) {
    return fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", ds, label, r.cells, r.ok, r.other_numerics, r.failed,
                       r.running, r.missing,
                       hours(r.remaining_core_s));
  };
  for (const auto& r : rows) out += line(r, r.dataset, r.label);
  out += line(total, "**all**", "");
  for (const auto& r : rows)
    if (!r.owners.empty()) {
      out += fmt::format("\n{} on {} running on:", r.label, r.dataset);
      for (const auto& o : r.owners) out += " " + o;
    }
  if (total.other_numerics)
    out += fmt::format("\n{} ok cell{} made at numerics other than a plain run's here (CPU, one thread, this build's kernel families); "
                       "`ocbench run --refresh-numerics` (or `ocbench slurm --refresh-numerics`) reruns them",
                       total.other_numerics, total.other_numerics == 1 ? " was" : "s were");
  if (stale_claims) out += fmt::format("\n{} claim{} of gone processes (the next run takes them over)", stale_claims, stale_claims == 1 ? "" : "s");
  for (const auto& p : problems) out += "\nleft out: " + p.str();
  if (plan) {
    const std::string list = fmt::format("{}", fmt::join(missing_shards, ","));
    out += fmt::format("\nplan {}{}: array tasks with work left: {}", plan->string(),
                       plan_refreshes ? " (--refresh-numerics: cells recorded at other numerics count as work)" : "",
                       list.empty() ? "none" : list);
  }
  return out + "\n";
}

}  // namespace ocb::harness

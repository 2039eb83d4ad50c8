// Cost-balanced plans for job arrays (plan.hpp).
#include "harness/run/plan.hpp"

#include <algorithm>
#include <set>

#include "harness/core/error.hpp"
#include "harness/core/json_integer.hpp"
#include "harness/core/run_context.hpp"
#include "harness/run/provenance.hpp"

namespace ocb::harness {
namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Core-seconds per cell when nothing of the kind has been recorded yet: the
// order of magnitude of the paper's protocol on one core of the development
// machine (results/performance/), MNIST-sized data.
double default_seconds(const std::string& method, const std::string& dataset) {
  static const std::map<std::string, double> per_method{{"ocsvm", 40},  {"kde", 120},        {"isolation_forest", 5},
                                                         {"dcae", 150}, {"deep_svdd", 100},  {"hybrid_svdd", 150},
                                                         {"deep_sad", 120}, {"dasvdd", 300}};
  auto it = per_method.find(method);
  const double base = it == per_method.end() ? 60.0 : it->second;
  return dataset == "cifar10" ? 30 * base : base;
}

}  // namespace

bool took_shared_results(const CellRecord& r) {
  const auto& m = r.method_report;
  if (!m.is_object() || !m.contains("shared") || !m["shared"].is_object()) return false;
  for (const auto& [what, v] : m["shared"].items()) {
    if (v.is_boolean() && v.get<bool>()) return true;
    if (v.is_number_integer() && v.get<std::int64_t>() > 0) return true;
  }
  return false;
}

double cell_core_seconds(const CellRecord& r) {
  double s = r.total_seconds();
  const auto& m = r.method_report;
  if (m.is_object() && m.contains("pretraining") && m["pretraining"].is_object()) {
    const auto& p = m["pretraining"];
    if (p.value("cached", false) && p.contains("seconds") && p["seconds"].is_number()) s += p["seconds"].get<double>();
  }
  return s * r.threads;
}

CostModel::CostModel(const RecordSet& records, const std::string& device) : gpu_device_(core::is_cuda_device(device)) {
  using Key = std::pair<std::string, std::string>;
  // [gpu][shared]: CPU or GPU records, cells that computed or that took shared results.
  std::map<Key, std::vector<double>> label[2][2], method[2][2];
  for (const auto& [id, r] : records.by_id) {
    if (!r.ok() || r.total_seconds() <= 0) continue;
    const double core_s = cell_core_seconds(r);
    const int gpu = core::is_cuda_device(r.device) ? 1 : 0, shared = took_shared_results(r) ? 1 : 0;
    label[gpu][shared][{r.dataset, r.label}].push_back(core_s);
    method[gpu][shared][{r.dataset, r.method}].push_back(core_s);
  }
  Medians* out[2][2] = {{&cpu_, &cpu_shared_}, {&gpu_, &gpu_shared_}};
  for (int d = 0; d < 2; ++d)
    for (int s = 0; s < 2; ++s) {
      for (auto& [k, v] : label[d][s]) out[d][s]->by_label[k] = median(v);
      for (auto& [k, v] : method[d][s]) out[d][s]->by_method[k] = median(v);
    }
}

const double* CostModel::Medians::find(const Cell& c) const {
  if (auto it = by_label.find({c.dataset->kind, c.method->label}); it != by_label.end()) return &it->second;
  if (auto it = by_method.find({c.dataset->kind, c.method->method}); it != by_method.end()) return &it->second;
  return nullptr;
}

double CostModel::seconds(const Cell& c) const {
  if (gpu_device_)
    if (const double* s = gpu_.find(c)) return *s;
  if (const double* s = cpu_.find(c)) return *s;
  return default_seconds(c.method->method, c.dataset->kind);
}

double CostModel::shared_seconds(const Cell& c) const {
  if (gpu_device_)
    if (const double* s = gpu_shared_.find(c)) return *s;
  if (!gpu_device_ || !gpu_.find(c))
    if (const double* s = cpu_shared_.find(c)) return *s;
  return seconds(c);
}

std::vector<double> CostModel::group_seconds(const std::vector<const Cell*>& group) const {
  std::vector<double> out;
  std::set<std::pair<std::string, std::string>> computed;  // (dataset id, label) already computed in the group
  for (const Cell* c : group) {
    const bool first = computed.emplace(c->dataset->id, c->method->label).second;
    out.push_back(c->shared_across_seeds && !first ? shared_seconds(*c) : seconds(*c));
  }
  return out;
}

std::vector<int> Plan::shards_with_work(const std::function<bool(const std::string&)>& done) const {
  std::vector<bool> work(static_cast<std::size_t>(shards) + 1, false);
  for (const auto& c : cells)
    if (!done(c.id)) work[static_cast<std::size_t>(c.shard)] = true;
  std::vector<int> out;
  for (int k = 1; k <= shards; ++k)
    if (work[static_cast<std::size_t>(k)]) out.push_back(k);
  return out;
}

std::vector<double> Plan::shard_costs() const {
  std::vector<double> load(static_cast<std::size_t>(shards), 0.0);
  for (const auto& c : cells) load[static_cast<std::size_t>(c.shard - 1)] += c.cost_s;
  return load;
}

Plan make_plan(const Experiment& exp, const std::vector<Cell>& cells, int shards, const CostModel& costs) {
  if (shards < 1) throw core::Error(fmt::format("a plan needs at least one shard, got {}", shards));
  Plan plan;
  plan.experiment = exp.name;
  plan.file = exp.file.string();
  plan.shards = shards;
  plan.created_at = utc_now();
  auto groups = placement_groups(cells);
  std::vector<std::vector<double>> cell_cost;
  std::vector<double> group_cost;
  for (const auto& g : groups) {
    cell_cost.push_back(costs.group_seconds(g));
    double s = 0;
    for (double c : cell_cost.back()) s += c;
    group_cost.push_back(s);
  }
  std::vector<std::size_t> order(groups.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (group_cost[a] != group_cost[b]) return group_cost[a] > group_cost[b];
    return groups[a].front()->id < groups[b].front()->id;
  });
  std::vector<double> load(static_cast<std::size_t>(shards), 0.0);
  for (std::size_t gi : order) {
    const auto slot = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[slot] += group_cost[gi];
    for (std::size_t i = 0; i < groups[gi].size(); ++i) {
      const Cell* c = groups[gi][i];
      plan.cells.push_back({c->id, static_cast<int>(slot) + 1, cell_cost[gi][i], c->describe()});
    }
  }
  return plan;
}

void write_plan(const fs::path& path, const Plan& plan) {
  Json cells = Json::array();
  for (const auto& c : plan.cells) cells.push_back({{"id", c.id}, {"shard", c.shard}, {"cost_s", c.cost_s}, {"cell", c.describe}});
  Json j{{"ocbench_plan", 1},        {"experiment", plan.experiment}, {"experiment_file", plan.file},
               {"shards", plan.shards},    {"created_at", plan.created_at}, {"shard_costs_s", plan.shard_costs()},
               {"cells", cells}};
  if (plan.rule.refresh_numerics) j["refresh_numerics"] = {{"device", plan.rule.device}, {"threads", plan.rule.threads}};
  core::write_file_atomic(path, j.dump(1) + "\n");
}

Plan read_plan(const fs::path& path) { return parse_plan(core::read_file(path), path.string()); }

Plan parse_plan(std::string_view text, const std::string& name) {
  Plan plan;
  try {
    const Json j = Json::parse(text);
    if (core::json_integer<int>(j.at("ocbench_plan"), "ocbench_plan") != 1) throw core::Error("ocbench_plan must be 1");
    plan.experiment = j.at("experiment").get<std::string>();
    plan.file = j.at("experiment_file").get<std::string>();
    plan.shards = core::json_integer<int>(j.at("shards"), "shards");
    plan.created_at = j.value("created_at", "");
    if (j.contains("refresh_numerics")) {
      const auto& r = j.at("refresh_numerics");
      plan.rule.refresh_numerics = true;
      plan.rule.device = r.at("device").get<std::string>();
      plan.rule.threads = core::json_integer<int>(r.at("threads"), "refresh_numerics.threads");
      const auto& devices = core::known_devices();
      if (std::find(devices.begin(), devices.end(), plan.rule.device) == devices.end())
        throw core::Error("refresh_numerics.device must be cpu, cuda or cuda-fp32");
      if (plan.rule.threads < 1) throw core::Error("refresh_numerics.threads must be >= 1");
    }
    if (plan.shards < 1) throw core::Error("shards must be >= 1");
    for (const auto& c : j.at("cells")) {
      PlannedCell p{c.at("id").get<std::string>(), core::json_integer<int>(c.at("shard"), "shard"), c.value("cost_s", 0.0), c.value("cell", "")};
      if (p.shard < 1 || p.shard > plan.shards) throw core::Error(fmt::format("cell {} has shard {}, outside 1..{}", p.id, p.shard, plan.shards));
      plan.cells.push_back(std::move(p));
    }
  } catch (const std::exception& e) {
    throw core::DataError(name, std::string("not a valid plan: ") + e.what());
  }
  return plan;
}

}  // namespace ocb::harness

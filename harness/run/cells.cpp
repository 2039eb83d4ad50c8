// Expansion, hashing, sharding and grouping of cells (cells.hpp).
#include "harness/run/cells.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "datasets/common/dataset.hpp"
#include "harness/core/hash.hpp"
#include "harness/core/method.hpp"

namespace ocb::harness {
namespace {

std::string group_key(const Cell& c) {
  if (c.shared_stage.empty()) return "cell:" + c.id;
  return fmt::format("{}|{}|{}|{}", c.data_key, c.normal_class, c.seed, c.shared_stage);
}

}  // namespace

std::string Cell::describe() const {
  return fmt::format("'{}' on {} class {} seed {}", method->label, dataset->id, normal_class, seed);
}

std::vector<Cell> expand_cells(const Experiment& exp) {
  // Dataset, then normal class, then method, then seed: consecutive cells
  // share the one-class split (and its PCA), which DataCache keeps.
  std::vector<Cell> cells;
  for (const auto& d : exp.datasets) {
    const auto& info = datasets::dataset_info(d.kind);
    std::string files;
    for (const auto& f : info.files) files += f.sha256;
    std::string train_files = files;
    for (const auto& [k, v] : d.options) {
      files += "|" + k + "=" + v;
      const auto& test_only = info.test_only_option_keys;
      if (std::find(test_only.begin(), test_only.end(), k) == test_only.end()) train_files += "|" + k + "=" + v;
    }
    const std::string data_sha = core::sha256_hex(files), train_sha = core::sha256_hex(train_files);
    std::vector<const MethodEntry*> methods;
    for (const auto& m : exp.methods)
      if (m.datasets.empty() || std::find(m.datasets.begin(), m.datasets.end(), d.id) != m.datasets.end()) methods.push_back(&m);
    for (int k : d.classes) {
      for (const MethodEntry* m : methods) {
        for (auto seed : m->seeds.empty() ? exp.seeds : m->seeds) {
          Cell c;
          c.method = m;
          c.dataset = &d;
          c.normal_class = k;
          c.seed = seed;
          c.split.preprocessing = m->preprocessing.empty() ? d.preprocessing : m->preprocessing;
          c.split.pca_variance = m->pca_variance;
          c.split.max_train = d.max_train;
          c.split.max_test = d.max_test;
          c.split.subsample_seed = seed;
          c.split.test_normals_from_train = d.test_normals_from_train;
          c.split.semi = {m->labelled_anomalies, m->pollution, m->known_anomaly_classes};
          // The catalog's dataset, not the experiment's name for it: the same
          // data under another name is the same cell.
          std::string rest = fmt::format("|prep={}|pca={}|max_train={}|max_test={}", c.split.preprocessing,
                                         core::to_string(c.split.pca_variance), d.max_train, d.max_test);
          if (d.test_normals_from_train > 0) rest += fmt::format("|test_normals_from_train={}", d.test_normals_from_train);
          if (c.split.semi.active())
            rest += fmt::format("|labelled={}|pollution={}|known_classes={}", core::to_string(m->labelled_anomalies),
                                core::to_string(m->pollution), m->known_anomaly_classes);
          c.data_key = fmt::format("{}@{}", d.kind, data_sha.substr(0, 16)) + rest;
          c.train_key = fmt::format("{}@{}", d.kind, train_sha.substr(0, 16)) + rest;
          c.canonical = fmt::format("ocbench-cell/1\nmethod={}\nparams={}\ndata={}\nclass={}\nseed={}\n", m->method,
                                    m->identity, c.data_key, k, seed);
          c.id = core::sha256_hex(c.canonical)
                     .substr(0, 16);
          c.shared_stage = m->requirements.shared_stage;
          c.shared_across_seeds = m->requirements.shared_across_seeds && !c.split.draws_by_seed();
          cells.push_back(std::move(c));
        }
      }
    }
  }
  return cells;
}

std::vector<std::vector<const Cell*>> group_cells(const std::vector<Cell>& cells) {
  std::vector<std::vector<const Cell*>> groups;
  std::map<std::string, std::size_t> index;
  for (const auto& c : cells) {
    auto [it, inserted] = index.emplace(group_key(c), groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(&c);
  }
  return groups;
}

std::vector<std::vector<const Cell*>> placement_groups(const std::vector<Cell>& cells) {
  std::vector<std::vector<const Cell*>> out;
  std::map<std::string, std::size_t> by_training_set;
  for (auto& g : group_cells(cells)) {
    const Cell& c = *g.front();
    if (g.size() != 1 || !c.shared_across_seeds) {
      out.push_back(std::move(g));
      continue;
    }
    auto [it, inserted] = by_training_set.emplace(fmt::format("{}|{}", c.train_key, c.normal_class), out.size());
    if (inserted) out.emplace_back();
    out[it->second].push_back(&c);
  }
  return out;
}

std::vector<Cell> shard_cells(const std::vector<Cell>& cells, int k, int n) {
  // Order groups by their first cell's id (stable across runs and machines),
  // then give each group to the lightest slice so far.
  auto groups = placement_groups(cells);
  std::stable_sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return a.front()->id < b.front()->id; });
  std::vector<std::size_t> load(static_cast<std::size_t>(n), 0);
  std::vector<Cell> mine;
  for (const auto& g : groups) {
    const auto slot = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[slot] += g.size();
    if (static_cast<int>(slot) == k - 1)
      for (const Cell* c : g) mine.push_back(*c);
  }
  // Back to the experiment's order.
  std::set<std::string> ids;
  for (const auto& c : mine) ids.insert(c.id);
  std::vector<Cell> ordered;
  for (const auto& c : cells)
    if (ids.count(c.id)) ordered.push_back(c);
  return ordered;
}

}  // namespace ocb::harness

// Cells: expansion, ids that change exactly when the result could, shards.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "harness/config/experiment.hpp"
#include "harness/run/cells.hpp"
#include "harness/run/plan.hpp"
#include "tests/support.hpp"

using namespace ocb::harness;

namespace {

Experiment load(const ocb::test::TempDir& tmp, const std::string& toml) {
  const auto file = tmp / "exp.toml";
  ocb::test::write_text(file, toml);
  return load_experiment(file);
}

const char* kBase = R"(name = "c"
seeds = [1, 2, 3]
[datasets.mnist]
classes = [0, 1, 2, 3, 4]
[methods.ocsvm]
[methods.kde]
[methods.isolation_forest]
)";

}  // namespace

TEST_CASE("an experiment expands to methods x classes x seeds", "[harness]") {
  ocb::test::TempDir tmp;
  const auto exp = load(tmp, kBase);
  const auto cells = expand_cells(exp);
  CHECK(cells.size() == 3 * 5 * 3);
  std::set<std::string> ids;
  for (const auto& c : cells) ids.insert(c.id);
  CHECK(ids.size() == cells.size());
  CHECK(cells.front().id.size() == 16);
}

TEST_CASE("cell ids are stable and change with what changes results", "[harness]") {
  ocb::test::TempDir tmp;
  const auto a = expand_cells(load(tmp, kBase));
  const auto b = expand_cells(load(tmp, kBase));
  CHECK(a.front().id == b.front().id);
  // Renaming a label does not change the cell; changing a parameter does.
  std::string renamed = kBase;
  renamed.replace(renamed.find("[methods.ocsvm]"), 15, "[methods.svm]\nmethod = \"ocsvm\"");
  CHECK(expand_cells(load(tmp, renamed)).front().id == a.front().id);
  std::string changed = std::string(kBase) + "";
  changed.replace(changed.find("[methods.ocsvm]"), 15, "[methods.ocsvm]\nnu = [0.1]");
  CHECK(expand_cells(load(tmp, changed)).front().id != a.front().id);
  std::string prep = kBase;
  prep.replace(prep.find("classes"), 0, "preprocessing = \"minmax\"\n");
  CHECK(expand_cells(load(tmp, prep)).front().id != a.front().id);
}

TEST_CASE("shards are disjoint, complete and balanced", "[harness]") {
  ocb::test::TempDir tmp;
  // Isolation Forest's cells are placed one by one (KDE's and OC-SVM's go by class, below).
  const auto cells = expand_cells(load(tmp, "name = \"c\"\nseeds = [1, 2, 3]\n[datasets.mnist]\nclasses = [0, 1, 2, 3, 4]\n"
                                            "[methods.isolation_forest]\n[methods.forest_b]\nmethod = \"isolation_forest\"\n"
                                            "trees = 50\n"));
  REQUIRE(cells.size() == 30);
  for (int n : {1, 2, 3, 7}) {
    std::multiset<std::string> all;
    std::size_t smallest = cells.size(), largest = 0;
    for (int k = 1; k <= n; ++k) {
      const auto part = shard_cells(cells, k, n);
      for (const auto& c : part) all.insert(c.id);
      smallest = std::min(smallest, part.size());
      largest = std::max(largest, part.size());
    }
    INFO("n = " << n);
    CHECK(all.size() == cells.size());
    CHECK(std::set<std::string>(all.begin(), all.end()).size() == cells.size());
    CHECK(largest - smallest <= 1);
  }
}

TEST_CASE("a class's cells that share their work across seeds stay in one shard, unless the seed changes the data", "[harness]") {
  ocb::test::TempDir tmp;
  const auto exp = load(tmp, kBase);  // the cells point into it
  const auto cells = expand_cells(exp);
  const auto groups = placement_groups(cells);
  // KDE and OC-SVM: one group per class with both methods' three seeds; Isolation Forest: one per cell.
  CHECK(groups.size() == 5 + 15);
  for (const auto& g : groups) {
    if (g.front()->method->label == "isolation_forest") {
      CHECK(g.size() == 1);
      continue;
    }
    CHECK(g.size() == 6);
    for (const Cell* c : g) {
      CHECK(c->normal_class == g.front()->normal_class);
      CHECK(c->method->label != "isolation_forest");
    }
  }
  for (int n : {2, 3, 7}) {
    std::map<int, std::set<int>> shards_of_class;  // KDE and OC-SVM cells only
    std::size_t total = 0;
    for (int k = 1; k <= n; ++k)
      for (const auto& c : shard_cells(cells, k, n)) {
        ++total;
        if (c.method->label != "isolation_forest") shards_of_class[c.normal_class].insert(k);
      }
    INFO("n = " << n);
    CHECK(total == cells.size());
    for (const auto& [cls, shards] : shards_of_class) CHECK(shards.size() == 1);
  }
  // A Slurm plan places them the same way.
  const Plan plan = make_plan(exp, cells, 4, CostModel(RecordSet{}));
  std::map<std::string, const Cell*> by_id;
  for (const auto& c : cells) by_id[c.id] = &c;
  std::map<int, std::set<int>> plan_shards;
  for (const auto& pc : plan.cells)
    if (by_id.at(pc.id)->method->label != "isolation_forest") plan_shards[by_id.at(pc.id)->normal_class].insert(pc.shard);
  CHECK(plan_shards.size() == 5);
  for (const auto& [cls, shards] : plan_shards) CHECK(shards.size() == 1);
  // A subsample drawn by seed gives each seed other bytes: nothing to share across seeds.
  std::string subsampled = kBase;
  subsampled.replace(subsampled.find("classes"), 0, "max_train = 500\n");
  const auto sub_exp = load(tmp, subsampled);
  const auto sub = expand_cells(sub_exp);
  CHECK(placement_groups(sub).size() == sub.size());
  for (const auto& c : sub) CHECK_FALSE(c.shared_across_seeds);
}

TEST_CASE("a group's first cell of a label computes, the later seeds take its results: what plans and status count", "[harness]") {
  ocb::test::TempDir tmp;
  const auto exp = load(tmp, kBase);
  const auto cells = expand_cells(exp);
  const auto rec = [](const std::string& label, double seconds, bool shared) {
    CellRecord r;
    r.status = "ok";
    r.dataset = "mnist";
    r.label = label;
    r.method = label;
    r.device = "cpu";
    r.timing = {{"total", seconds}};
    r.method_report = Json{{"shared", {{"grid", shared}, {"search", shared}}}};
    return r;
  };
  RecordSet records;
  records.by_id["a"] = rec("ocsvm", 40.0, false);
  records.by_id["b"] = rec("ocsvm", 2.0, true);
  records.by_id["c"] = rec("ocsvm", 4.0, true);
  records.by_id["d"] = rec("kde", 30.0, false);  // no KDE record that took shared results
  records.by_id["e"] = rec("isolation_forest", 5.0, false);
  const CostModel costs(records);
  const auto groups = placement_groups(cells);
  double total = 0;
  for (const auto& g : groups) {
    const auto s = costs.group_seconds(g);
    REQUIRE(s.size() == g.size());
    std::map<std::string, std::vector<double>> by_label;
    for (std::size_t i = 0; i < g.size(); ++i) by_label[g[i]->method->label].push_back(s[i]);
    if (g.front()->method->label == "isolation_forest") {
      CHECK(s == std::vector<double>{5.0});
    } else {
      // Three seeds each: one computes, two take its results (KDE: no such record, so each at its full cost).
      CHECK(by_label["ocsvm"] == std::vector<double>{40.0, 3.0, 3.0});
      CHECK(by_label["kde"] == std::vector<double>{30.0, 30.0, 30.0});
    }
    for (double x : s) total += x;
  }
  CHECK(total == 5 * (46.0 + 90.0) + 15 * 5.0);
  for (const auto& c : cells) {
    if (c.method->label == "ocsvm") CHECK(costs.shared_seconds(c) == 3.0);            // the median of 2 and 4
    if (c.method->label == "kde") CHECK(costs.shared_seconds(c) == costs.seconds(c));  // no such record: computing
  }
  // A plan balances the groups at those costs and writes them per cell.
  const Plan plan = make_plan(exp, cells, 3, costs);
  double planned = 0;
  for (const auto& pc : plan.cells) planned += pc.cost_s;
  CHECK(planned == total);
  // Cells whose seed draws their data share nothing: each at its full cost.
  std::string subsampled = kBase;
  subsampled.replace(subsampled.find("classes"), 0, "max_train = 500\n");
  const auto sub_exp = load(tmp, subsampled);
  const auto sub = expand_cells(sub_exp);
  for (const auto& g : placement_groups(sub))
    for (std::size_t i = 0; i < g.size(); ++i) CHECK(costs.group_seconds(g)[i] == costs.seconds(*g[i]));
}

TEST_CASE("cells recorded before a key was added keep their ids", "[harness]") {
  // The ids of two committed records of results/table1_mnist (class 5, seed 4):
  // keys added later (batching, ae_train_fraction) stay out of the id at their
  // default, so these records are still found; set, they make a new cell.
  ocb::test::TempDir tmp;
  const std::string head = "name = \"t\"\nseeds = [4]\n[datasets.mnist]\nclasses = [5]\n";
  const auto ids = [&](const std::string& extra) {
    const auto cells = expand_cells(load(tmp, head + "[methods.dcae]\n" + extra +
                                                  "[methods.one]\nmethod = \"deep_svdd\"\nobjective = \"one-class\"\n" + extra));
    REQUIRE(cells.size() == 2);
    return std::pair(cells[0].id, cells[1].id);
  };
  const auto recorded = std::pair(std::string("f15c84a958715c9c"), std::string("1c114ffa634aa32f"));
  CHECK(ids("") == recorded);
  CHECK(ids("batching = \"reshuffle\"\nae_train_fraction = 1.0\n") == recorded);
  const auto blocks = ids("batching = \"theano_blocks\"\n");
  CHECK(blocks.first != recorded.first);
  CHECK(blocks.second != recorded.second);
  CHECK(ids("ae_train_fraction = 0.8333333333333334\n").first != recorded.first);
}

TEST_CASE("datasets under other names: one kind side by side, cells identified by the data, not the name", "[harness]") {
  ocb::test::TempDir tmp;
  const auto plain = load(tmp, "name = \"p\"\nseeds = [1]\n[datasets.mnist]\nclasses = [3]\n[methods.kde]\n");
  const auto named = load(tmp, R"(name = "n"
seeds = [1]
[datasets.digits]
dataset = "mnist"
title = "MNIST, all test images"
classes = [3]
[datasets.heldout]
dataset = "mnist"
classes = [3]
test_normals_from_train = 500
[methods.kde]
)");
  REQUIRE(named.datasets.size() == 2);
  CHECK(named.datasets[0].kind == "mnist");
  CHECK(named.datasets[0].title == "MNIST, all test images");
  CHECK(named.datasets[1].title == plain.datasets[0].title);
  CHECK(named.dataset("heldout").test_normals_from_train == 500);
  const auto a = expand_cells(plain), b = expand_cells(named);
  REQUIRE(b.size() == 2);
  CHECK(b[0].id == a[0].id);  // the same data under another name is the same cell
  CHECK(b[1].id != a[0].id);  // held-out normals change the test set
  CHECK(b[1].split.test_normals_from_train == 500);
  CHECK_THROWS_WITH(load(tmp, "name = \"x\"\n[datasets.d]\ndataset = \"mnits\"\n[methods.kde]\n"),
                    Catch::Contains("datasets.d.dataset") && Catch::Contains("known dataset"));
  CHECK_THROWS_WITH(load(tmp, "name = \"x\"\n[datasets.d]\n[methods.kde]\n"),
                    Catch::Contains("datasets.d") && Catch::Contains("dataset = "));
  CHECK_THROWS_WITH(load(tmp, "name = \"x\"\n[datasets.mnist]\ntest_normals_from_train = -1\n[methods.kde]\n"),
                    Catch::Contains("datasets.mnist.test_normals_from_train"));
}

TEST_CASE("cells that differ only in the test set share their training key (and so their pretraining)", "[harness]") {
  ocb::test::TempDir tmp;
  const auto exp = load(tmp, R"(name = "t"
seeds = [1]
[datasets.a]
dataset = "gtsrb_adversarial"
adversarial = "set_a"
[datasets.b]
dataset = "gtsrb_adversarial"
adversarial = "set_b"
[datasets.c]
dataset = "gtsrb_adversarial"
adversarial = "set_b"
transposed_roi = true
[datasets.d]
dataset = "gtsrb_adversarial"
adversarial = "set_b"
test_normals_from_train = 100
[methods.dcae]
)");
  const auto cells = expand_cells(exp);
  REQUIRE(cells.size() == 4);
  CHECK(cells[0].id != cells[1].id);               // another test set: another cell
  CHECK(cells[0].train_key == cells[1].train_key);  // but the same training inputs
  CHECK(cells[1].train_key != cells[2].train_key);  // the ROI changes the training images
  CHECK(cells[1].train_key != cells[3].train_key);  // held-out normals leave training
  // Without test-only options the two keys are one (MNIST's pretraining cache keeps its entries).
  const auto mnist = expand_cells(load(tmp, "name = \"m\"\nseeds = [1]\n[datasets.mnist]\nclasses = [0]\n[methods.dcae]\n"));
  CHECK(mnist[0].train_key == mnist[0].data_key);
}

// The runner end to end on real MNIST (small quick-run subsets): determinism,
// skipping of recorded cells, failed cells, and the table built from records.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "harness/config/experiment.hpp"
#include "harness/report/results.hpp"
#include "harness/report/table.hpp"
#include "harness/run/plan.hpp"
#include "harness/run/provenance.hpp"
#include "harness/run/runner.hpp"
#include "harness/run/status.hpp"
#include "harness/run/store.hpp"
#include "tests/support.hpp"

using namespace ocb::harness;

namespace {

Experiment quick(const ocb::test::TempDir& tmp, const std::string& extra = "") {
  const auto file = tmp / "exp.toml";
  ocb::test::write_text(file, R"(name = "q"
seeds = [1, 2]
[datasets.mnist]
classes = [1, 7]
max_train = 300
max_test = 600
[methods.ocsvm]
gamma_log2 = [-5, -4]
[methods.isolation_forest]
)" + extra);
  auto exp = load_experiment(file);
  exp.results_dir = tmp / "results";
  return exp;
}

RunOptions options() {
  RunOptions o;
  o.data_dir = ocb::test::data_root();
  o.allow_download = false;
  o.jobs = 2;
  return o;
}

}  // namespace

TEST_CASE("the same cells give byte-identical scores, and recorded cells are skipped", "[harness][data]") {
  ocb::test::TempDir a, b;
  auto exp_a = quick(a), exp_b = quick(b);
  REQUIRE(run_experiment(exp_a, options()) == 0);
  REQUIRE(run_experiment(exp_b, options()) == 0);
  const auto cells = expand_cells(exp_a);
  REQUIRE(cells.size() == 8);
  for (const auto& c : cells) {
    const auto pa = RecordStore(exp_a.results_dir).scores_path(c), pb = RecordStore(exp_b.results_dir).scores_path(c);
    INFO(c.describe());
    CHECK(ocb::test::read_text(pa) == ocb::test::read_text(pb));
  }
  // A rerun finds every cell recorded and leaves the records untouched.
  const auto before = std::filesystem::last_write_time(RecordStore(exp_a.results_dir).record_path(cells[0]));
  REQUIRE(run_experiment(exp_a, options()) == 0);
  CHECK(std::filesystem::last_write_time(RecordStore(exp_a.results_dir).record_path(cells[0])) == before);

  const auto table = collect_results(exp_a);
  const auto* s = table.find("mnist", 1, "ocsvm");
  REQUIRE(s);
  CHECK(s->aucs.size() == 2);
  CHECK(render_csv(table).find("mnist,1,ocsvm,2,") != std::string::npos);
}

TEST_CASE("a failing cell gets a failed record, the others finish, the exit code says so", "[harness][data]") {
  ocb::test::TempDir tmp;
  // 300 training images cannot be split into 500 folds: kde fails in fit().
  auto exp = quick(tmp, "[methods.kde]\nfolds = 500\n");
  CHECK(run_experiment(exp, options()) == 1);
  const auto records = RecordStore(exp.results_dir).load_all();
  int failed = 0, ok = 0;
  CHECK(records.problems.empty());
  for (const auto& [id, r] : records.by_id) {
    if (!r.ok()) {
      ++failed;
      CHECK(r.label == "kde");
      CHECK(r.error_phase == "fitting");
      CHECK_THAT(r.error_message, Catch::Contains("500 folds"));
    } else {
      ++ok;
    }
  }
  CHECK(failed == 4);
  CHECK(ok == 8);
  // Failed cells are retried on the next run, finished ones are not.
  CHECK(run_experiment(exp, options()) == 1);
}

TEST_CASE("a cell that reused a cached pretraining is costed with that pretraining's seconds", "[harness]") {
  CellRecord made, reused;
  made.status = reused.status = "ok";
  made.timing = {{"pretrain_s", 100.0}, {"total", 101.0}};
  reused.timing = {{"fit_s", 0.5}, {"total", 1.0}};
  reused.method_report = {{"pretraining", {{"cached", true}, {"seconds", 100.0}}}};
  CHECK(cell_core_seconds(made) == 101.0);
  CHECK(cell_core_seconds(reused) == 101.0);  // not 1: a missing cell of this label may have to pretrain
  reused.threads = 2;
  CHECK(cell_core_seconds(reused) == 202.0);
  // A record without a pretraining, or one that trained its own, is its total.
  CellRecord shallow;
  shallow.status = "ok";
  shallow.timing = {{"total", 3.0}};
  CHECK(cell_core_seconds(shallow) == 3.0);
}

TEST_CASE("the cost model takes a device's own records: a GPU's seconds never stand for a core's", "[harness]") {
  ocb::test::TempDir tmp;
  const auto exp = quick(tmp);
  const auto cells = selected_cells(exp, RunOptions{});
  const Cell* svm = nullptr;
  const Cell* forest = nullptr;
  for (const auto& c : cells) (c.method->label == "ocsvm" ? svm : forest) = &c;
  REQUIRE(svm);
  REQUIRE(forest);
  const auto rec = [](const Cell& c, const std::string& device, double seconds) {
    CellRecord r;
    r.status = "ok";
    r.dataset = c.dataset->kind;
    r.label = c.method->label;
    r.method = c.method->method;
    r.device = device;
    r.timing = {{"total", seconds}};
    return r;
  };
  RecordSet records;
  records.by_id["a"] = rec(*svm, "cuda", 2.0);  // OC-SVM: a GPU record and a CPU one
  records.by_id["b"] = rec(*svm, "cpu", 50.0);
  records.by_id["c"] = rec(*forest, "cuda-fp32", 3.0);  // Isolation Forest: GPU records only
  const CostModel cpu(records), gpu(records, "cuda");
  CHECK(cpu.seconds(*svm) == 50.0);
  CHECK(gpu.seconds(*svm) == 2.0);
  CHECK(gpu.seconds(*forest) == 3.0);
  const double fallback = CostModel(RecordSet{}).seconds(*forest);  // the default by method
  CHECK(cpu.seconds(*forest) == fallback);
  CHECK(fallback != 3.0);
  // A GPU plan with no GPU record of a label balances with the CPU's.
  RecordSet cpu_only;
  cpu_only.by_id["b"] = rec(*svm, "cpu", 50.0);
  CHECK(CostModel(cpu_only, "cuda").seconds(*svm) == 50.0);
}

TEST_CASE("the cost model leaves out cells that took an earlier cell's results", "[harness]") {
  ocb::test::TempDir tmp;
  const auto exp = quick(tmp);
  const auto cells = selected_cells(exp, RunOptions{});
  const Cell* svm = nullptr;
  for (const auto& c : cells)
    if (c.method->label == "ocsvm") svm = &c;
  REQUIRE(svm);
  const auto rec = [&](double seconds, Json shared) {
    CellRecord r;
    r.status = "ok";
    r.dataset = svm->dataset->kind;
    r.label = svm->method->label;
    r.method = svm->method->method;
    r.device = "cpu";
    r.timing = {{"total", seconds}};
    if (!shared.is_null()) r.method_report = Json{{"shared", shared}};
    return r;
  };
  RecordSet records;
  records.by_id["a"] = rec(40.0, Json{{"grid", false}, {"train_distances", false}});  // computed
  records.by_id["b"] = rec(1.0, Json{{"grid", true}});                                // took the grid
  records.by_id["c"] = rec(2.0, Json{{"search", false}, {"scores", 2}});               // took scores
  records.by_id["d"] = rec(1.5, Json{{"grid", true}});
  CHECK(took_shared_results(records.by_id["b"]));
  CHECK(took_shared_results(records.by_id["c"]));
  CHECK_FALSE(took_shared_results(records.by_id["a"]));
  CHECK_FALSE(took_shared_results(rec(3.0, Json())));
  CHECK(CostModel(records).seconds(*svm) == 40.0);
}

TEST_CASE("status prices a class's missing seeds as one computation and the rest taking its results", "[harness]") {
  ocb::test::TempDir tmp;
  ocb::test::write_text(tmp / "exp.toml", "name = \"st\"\nseeds = [1, 2, 3]\n[datasets.mnist]\nclasses = [0, 1]\n[methods.kde]\n");
  auto exp = load_experiment(tmp / "exp.toml");
  exp.results_dir = tmp / "results";
  const auto cells = expand_cells(exp);
  REQUIRE(cells.size() == 6);
  RecordStore store(exp.results_dir);
  const auto record = [&](const Cell& c, double seconds, bool shared) {
    const std::string ok = "ok", name = "st", kde = "kde", mnist = "mnist";
    CellRecord r;
    r.status = ok;
    r.cell_id = c.id;
    r.experiment = name;
    r.label = r.method = kde;
    r.dataset = mnist;
    r.seed = c.seed;
    r.canonical = c.canonical;
    r.metrics = {0.75, 0.9, -1.0, 2.0, {}, {}};
    r.data = {{"n_test", 3}};
    r.timing = {{"fit", seconds}, {"total", seconds}};
    r.numerics = Numerics{};
    r.method_report = Json{{"shared", {{"search", shared}, {"scores", shared ? 1 : 0}}}};
    store.write_record(c, r);
  };
  // Class 0 seed 1 computed (36 s), class 1 seed 1 took its search and scores (0.36 s).
  int done = 0;
  for (const auto& c : cells)
    if (c.seed == 1) record(c, c.normal_class == 0 ? 36.0 : 0.36, c.normal_class != 0), ++done;
  REQUIRE(done == 2);
  const auto st = experiment_status(exp, RunOptions{}, std::nullopt);
  REQUIRE(st.rows.size() == 1);
  CHECK(st.total.ok == 2);
  CHECK(st.total.missing == 4);
  // Per class, seeds 2 and 3: one computes (36 s), one takes its results (0.36 s); not 4 x 36 s.
  CHECK(st.total.remaining_core_s == Approx(2 * (36.0 + 0.36)));
}

TEST_CASE("a plan keeps its refresh rule through the file, and a bad one names the field", "[harness]") {
  ocb::test::TempDir tmp;
  Plan plan;
  plan.experiment = "refresh_plan_test";
  plan.file = "exp.toml";
  plan.shards = 2;
  for (int k = 1; k <= 2; ++k) {
    PlannedCell c;
    c.id = k == 1 ? "aaaa" : "bbbb";
    c.shard = k;
    plan.cells.push_back(c);
  }
  write_plan(tmp / "plain.json", plan);
  const Plan plain = read_plan(tmp / "plain.json");
  CHECK_FALSE(plain.rule.refresh_numerics);
  CHECK(plain.cells.size() == 2);
  plan.rule = {true, "cuda", 4};
  write_plan(tmp / "refresh.json", plan);
  const Plan back = read_plan(tmp / "refresh.json");
  CHECK(back.rule.refresh_numerics);
  CHECK(back.rule.device == "cuda");
  CHECK(back.rule.threads == 4);
  const std::string bad = R"({"ocbench_plan": 1, "experiment": "q", "experiment_file": "e.toml", "shards": 1, "cells": [],
                              "refresh_numerics": {"device": "tpu", "threads": 1}})";
  CHECK_THROWS_WITH(parse_plan(bad, "p.json"), Catch::Contains("p.json") && Catch::Contains("refresh_numerics.device"));
}

TEST_CASE("provenance names the CPU with its family and model, which a VM's bare model name may not tell apart") {
  // Two logical CPUs of a Zen 5 VM, as /proc/cpuinfo shows them (abridged).
  std::istringstream zen5(
      "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\nmodel name\t: AMD EPYC\n"
      "stepping\t: 1\n\nprocessor\t: 1\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\n"
      "model name\t: AMD EPYC\n");
  CHECK(describe_cpu(zen5) == "AMD EPYC (family 26, model 2)");
  // The key "model" is not "model name", in either order.
  std::istringstream name_first("model name\t: Intel(R) Xeon(R) Processor\ncpu family\t: 6\nmodel\t\t: 143\n");
  CHECK(describe_cpu(name_first) == "Intel(R) Xeon(R) Processor (family 6, model 143)");
  // No family (an Arm machine's cpuinfo has other keys): the model name alone.
  std::istringstream arm("processor\t: 0\nmodel name\t: ARMv8 Processor rev 1 (v8l)\nCPU part\t: 0xd0c\n");
  CHECK(describe_cpu(arm) == "ARMv8 Processor rev 1 (v8l)");
  std::istringstream nothing("processor\t: 0\n");
  CHECK(describe_cpu(nothing) == "unknown");
  // This machine's record says the same as its own cpuinfo does.
  std::ifstream here("/proc/cpuinfo");
  if (here) CHECK(provenance()["cpu"].get<std::string>() == describe_cpu(here));
}

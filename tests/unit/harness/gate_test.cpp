// The CI gate catches methods broken on purpose: scores with the sign flipped
// (an AUC regression) and training disabled (an untrained model, whatever its
// AUC); it passes an unchanged run and reports missing cells. The broken
// methods are test-only plugins ("test_" ids, skipped by the registry and
// conformance checks).
#include <catch2/catch.hpp>

#include "harness/check/gate.hpp"
#include "harness/core/method.hpp"
#include "harness/core/run_context.hpp"
#include "harness/run/runner.hpp"
#include "tests/support.hpp"

namespace core = ocb::core;
using namespace ocb::harness;

namespace {

// Isolation Forest with its scores negated: "the score sign flipped".
class FlippedForest final : public core::Method {
 public:
  struct Params {
    template <class V>
    void visit(V&&) {}
  };
  explicit FlippedForest(Params) {
    core::ParamMap resolved;
    inner_ = core::method_registry().get("isolation_forest").make({}, resolved);
  }
  void fit(const core::TrainSet& t, core::RunContext& ctx) override { inner_->fit(t, ctx); }
  core::Scores score(const core::Samples& x, core::RunContext& ctx) override {
    auto s = inner_->score(x, ctx);
    for (double& v : s) v = -v;
    return s;
  }

 private:
  std::unique_ptr<core::Method> inner_;
};

OCB_REGISTER_TEST_METHOD(FlippedForest, "flipped_isolation_forest", "test only: Isolation Forest with negated scores")

const char* kExperiment = R"(name = "gate_test"
seeds = [1, 2]
[datasets.mnist]
classes = [1, 7]
max_train = 400
max_test = 800
[methods.isolation_forest]
%IF%
[methods.deep_svdd_one_class]
method = "deep_svdd"
ae_epochs = 6
ae_lr = 1e-3
epochs = 6
lr = %LR%
milestones = [5]
)";

Experiment load(const ocb::test::TempDir& tmp, const std::string& name, const std::string& iforest, const std::string& lr) {
  std::string text = kExperiment;
  text.replace(text.find("%IF%"), 4, iforest);
  text.replace(text.find("%LR%"), 4, lr);
  const auto file = tmp / (name + ".toml");
  ocb::test::write_text(file, text);
  auto exp = load_experiment(file);
  exp.results_dir = tmp / name;
  return exp;
}

void run(const Experiment& exp, const ocb::test::TempDir& tmp) {
  RunOptions o;
  o.data_dir = ocb::test::data_root();
  o.allow_download = false;
  o.jobs = 2;
  o.exec.cache_dir = tmp / "cache";
  run_experiment(exp, o);
}

int count(const GateResult& r, const std::string& status, const std::string& label) {
  return static_cast<int>(std::count_if(r.rows.begin(), r.rows.end(), [&](const GateRow& row) {
    return row.status == status && row.label == label;
  }));
}

}  // namespace

TEST_CASE("the gate passes an unchanged run and fails broken methods", "[harness][data]") {
  ocb::test::TempDir tmp;
  GateOptions o;
  o.baseline = tmp / "baseline.json";
  const auto good = load(tmp, "good", "", "1e-3");
  run(good, tmp);
  write_baseline(good, o);
  CHECK(check_against_baseline(good, o).exit_code == 0);

  SECTION("score sign flipped: AUC regression, exit 3") {
    const auto flipped = load(tmp, "flipped", "method = \"test_flipped_isolation_forest\"", "1e-3");
    run(flipped, tmp);
    const auto r = check_against_baseline(flipped, o);
    CHECK(r.exit_code == ocb::kExitRegression);
    CHECK(count(r, "regression", "isolation_forest") == 4);
    CHECK(count(r, "ok", "deep_svdd_one_class") == 4);
    CHECK_THAT(r.render(), Catch::Contains("regression") && Catch::Contains("fail the gate"));
  }
  SECTION("training disabled: untrained whatever the AUC, exit 4") {
    const auto untrained = load(tmp, "untrained", "", "1e-30");
    run(untrained, tmp);
    const auto r = check_against_baseline(untrained, o);
    CHECK(r.exit_code == ocb::kExitDegenerate);
    CHECK(count(r, "untrained", "deep_svdd_one_class") == 4);
  }
  SECTION("cells without records: exit 5") {
    auto empty = good;
    empty.results_dir = tmp / "nothing";
    const auto r = check_against_baseline(empty, o);
    CHECK(r.exit_code == ocb::kExitMissing);
    CHECK(count(r, "missing", "isolation_forest") == 4);
  }
  SECTION("a label the baseline does not know: new, exit 0; --strict: exit 7; --update-baseline adds it") {
    auto grown = load(tmp, "grown", "", "1e-3");
    grown.results_dir = tmp / "good";
    auto extra = grown.methods.front();
    extra.label = "isolation_forest_again";
    grown.methods.push_back(extra);
    run(grown, tmp);
    auto r = check_against_baseline(grown, o);
    CHECK(r.exit_code == 0);
    CHECK(count(r, "new", "isolation_forest_again") == 4);
    CHECK_THAT(r.render(), Catch::Contains("4 new"));
    o.strict = true;
    CHECK(check_against_baseline(grown, o).exit_code == ocb::kExitNewLabels);
    o.only_labels = {"isolation_forest_again"};
    write_baseline(grown, o);
    o.only_labels.clear();
    r = check_against_baseline(grown, o);
    CHECK(r.exit_code == 0);
    CHECK(count(r, "ok", "isolation_forest_again") == 4);
    CHECK(count(r, "ok", "deep_svdd_one_class") == 4);
  }
  SECTION("a record that fails its schema: named, left out, exit 6") {
    const auto rec = *std::filesystem::recursive_directory_iterator(tmp / "good" / "records" / "mnist" / "isolation_forest");
    ocb::test::write_text(rec.path(), "{\"schema\": 2}");
    const auto r = check_against_baseline(good, o);
    CHECK(r.exit_code == ocb::kExitBadRecords);
    REQUIRE(r.left_out.size() == 1);
    CHECK_THAT(r.left_out[0], Catch::Contains(rec.path().string()) && Catch::Contains("status is missing"));
  }
}

TEST_CASE("the CI gate experiment covers every registered method", "[harness]") {
  const auto exp = load_experiment(std::string(OCB_SOURCE_DIR) + "/experiments/ci/gate.toml");
  for (const auto* m : core::listed_methods()) {
    INFO("method " << m->id << " is missing from experiments/ci/gate.toml");
    CHECK(std::any_of(exp.methods.begin(), exp.methods.end(), [&](const auto& e) { return e.method == m->id; }));
  }
}

// Fuzz targets for what the harness reads: experiment files, run records,
// score files, plans, the paper's tables and pretraining cache entries.
#include "harness/config/experiment.hpp"
#include "harness/core/method.hpp"
#include "harness/core/run_context.hpp"
#include "harness/report/results.hpp"
#include "harness/run/cells.hpp"
#include "harness/run/plan.hpp"
#include "harness/run/record.hpp"
#include "harness/run/store.hpp"
#include "methods/common/cache_meta.hpp"
#include "tests/fuzz/fuzz_target.hpp"

namespace {

// A method with a parameter of every kind, so that experiment files reach the
// parameter binding and its checks (the fuzz build has no real plugins).
class Probe final : public ocb::core::Method {
 public:
  struct Params {
    bool flag = false;
    std::int64_t count = 3;
    double rate = 0.5;
    std::string mode = "a";
    std::vector<std::int64_t> steps{1};
    std::vector<double> grid{0.1};
    std::vector<std::string> names{"x"};
    template <class V> void visit(V&& v) {
      v("flag", flag, "a flag", ocb::core::any_value());
      v("count", count, "a count", ocb::core::at_least(1));
      v("rate", rate, "a rate", ocb::core::in_range(0, 1, true, false));
      v("mode", mode, "a mode", ocb::core::one_of({"a", "b"}));
      v("steps", steps, "steps", ocb::core::each(ocb::core::at_least(0)));
      v("grid", grid, "a grid", ocb::core::each(ocb::core::greater_than(0)));
      v("names", names, "names", ocb::core::any_value());
    }
  };
  explicit Probe(Params) {}
  ocb::core::Requirements requirements() const override { return {0.0, "probe_stage"}; }
  void fit(const ocb::core::TrainSet&, ocb::core::RunContext&) override {}
  ocb::core::Scores score(const ocb::core::Samples& x, ocb::core::RunContext&) override { return ocb::core::Scores(x.size()); }
};
OCB_REGISTER_METHOD(Probe, "probe", "fuzzing probe")

}  // namespace

OCB_FUZZ_TARGET(experiment) {
  OCB_FUZZ_EXPECTED_ERRORS({
    const auto exp = ocb::harness::parse_experiment(ocb::fuzz::text(data, size), "fuzz.toml");
    ocb::harness::expand_cells(exp);
  });
}

OCB_FUZZ_TARGET(record) {
  using ocb::harness::Json;
  Json j;
  try {
    j = Json::parse(ocb::fuzz::text(data, size));
  } catch (const Json::exception&) {
    return 0;  // not JSON: the store reports it as such
  }
  OCB_FUZZ_EXPECTED_ERRORS({
    const auto r = ocb::harness::CellRecord::from_json(j);
    // What is read must write back and read again the same.
    ocb::harness::CellRecord::from_json(r.to_json());
  });
}

OCB_FUZZ_TARGET(scores) { OCB_FUZZ_EXPECTED_ERRORS(ocb::harness::decode_scores(ocb::fuzz::text(data, size), "scores.gz")); }

OCB_FUZZ_TARGET(representations) {
  OCB_FUZZ_EXPECTED_ERRORS(ocb::harness::decode_representations(ocb::fuzz::text(data, size), "sample.reps.gz"));
}

OCB_FUZZ_TARGET(plan) { OCB_FUZZ_EXPECTED_ERRORS(ocb::harness::parse_plan(ocb::fuzz::text(data, size), "plan.json")); }

OCB_FUZZ_TARGET(paper_csv) {
  ocb::harness::PaperTable table;
  OCB_FUZZ_EXPECTED_ERRORS(ocb::harness::parse_paper_table(ocb::fuzz::text(data, size), "paper.csv", table));
}

OCB_FUZZ_TARGET(cache_meta) {
  OCB_FUZZ_EXPECTED_ERRORS(ocb::methods::parse_cache_meta(ocb::fuzz::text(data, size), "entry.json"));
}

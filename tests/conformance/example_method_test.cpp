// A new method needs no harness change: the README's worked example, kept here
// verbatim (a test checks the README still shows exactly this code), is
// registered by its one macro line and runs through the harness on real data.
// tests/cli/new_method.sh does the rest of what the README tells a new user.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <sstream>

#include "harness/report/results.hpp"
#include "harness/run/runner.hpp"
#include "tests/support.hpp"

// Compiled under other names (the text stays verbatim): a copy of the example
// in methods/, as the README suggests, then registers nothing twice.
#include "harness/core/method.hpp"
#define MeanDistance ReadmeExampleMeanDistance
#undef OCB_REGISTER_METHOD
#define OCB_REGISTER_METHOD(Class, id, summary) OCB_REGISTER_TEST_METHOD(Class, id, summary)

// --- README example begins
#include "harness/core/method.hpp"
#include "harness/core/run_context.hpp"

namespace ocb::methods {

class MeanDistance final : public core::Method {
 public:
  struct Params {
    double power = 2.0;
    template <class V> void visit(V&& v) {
      v("power", power, "exponent of the distance", core::greater_than(0));
    }
  };
  explicit MeanDistance(Params p) : p_(p) {}

  void fit(const core::TrainSet& train, core::RunContext&) override {
    mean_.assign(train.x.features(), 0.0);
    for (std::int64_t i = 0; i < train.x.size(); ++i)
      for (std::int64_t j = 0; j < train.x.features(); ++j) mean_[j] += train.x.row(i)[j] / train.x.size();
  }
  core::Scores score(const core::Samples& x, core::RunContext&) override {
    core::Scores s(x.size());
    for (std::int64_t i = 0; i < x.size(); ++i) {
      double d = 0;
      for (std::int64_t j = 0; j < x.features(); ++j) d += std::pow(std::abs(x.row(i)[j] - mean_[j]), p_.power);
      s[i] = d;  // higher = more anomalous
    }
    return s;
  }

 private:
  Params p_;
  std::vector<double> mean_;
};

OCB_REGISTER_METHOD(MeanDistance, "mean_distance", "distance to the training mean")

}  // namespace ocb::methods
// --- README example ends
#undef MeanDistance

namespace {

std::string between(const std::string& text, const std::string& from, const std::string& to) {
  const auto a = text.find(from);
  const auto b = text.find(to, a == std::string::npos ? 0 : a);
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  return text.substr(a, b - a);
}

}  // namespace

TEST_CASE("the README's example method is this file's, verbatim", "[conformance]") {
  const auto readme = ocb::test::read_text(std::string(OCB_SOURCE_DIR) + "/README.md");
  const auto self = ocb::test::read_text(std::string(OCB_SOURCE_DIR) + "/tests/conformance/example_method_test.cpp");
  const std::string begins = "// --- README example begins\n";
  const auto code = between(self, begins, "// --- README example ends").substr(begins.size());
  CHECK(readme.find(code) != std::string::npos);
}

TEST_CASE("a method added as one file runs through the unchanged harness", "[conformance][data]") {
  ocb::test::TempDir tmp;
  const auto file = tmp / "exp.toml";
  ocb::test::write_text(file, "name = \"example\"\nseeds = [1]\n[datasets.mnist]\nclasses = [1]\nmax_train = 500\nmax_test = 800\n"
                              "[methods.mean_distance]\nmethod = \"test_mean_distance\"\npower = 2.0\n");
  auto exp = ocb::harness::load_experiment(file);
  exp.results_dir = tmp / "results";
  ocb::harness::RunOptions o;
  o.data_dir = ocb::test::data_root();
  o.allow_download = false;
  REQUIRE(ocb::harness::run_experiment(exp, o) == 0);
  const auto table = ocb::harness::collect_results(exp);
  const auto* s = table.find("mnist", 1, "mean_distance");
  REQUIRE(s);
  REQUIRE(s->aucs.size() == 1);
  CHECK(s->aucs[0] > 75.0);  // a plausible detector of non-1 digits
}

// Parameter specs: canonical text, constraint messages, binding and checks.
#include "harness/core/params.hpp"

#include <catch2/catch.hpp>

namespace {

struct Demo {
  double nu = 0.1;
  std::int64_t epochs = 10;
  std::int64_t milestone = 5;
  std::string objective = "one-class";
  std::vector<double> grid{0.5, 1.0};

  template <class V>
  void visit(V&& v) {
    v("nu", nu, "nu", ocb::core::in_range(0, 1, true, false));
    v("epochs", epochs, "epochs", ocb::core::at_least(1));
    v("milestone", milestone, "lr milestone", ocb::core::at_least(0));
    v("objective", objective, "objective", ocb::core::one_of({"one-class", "soft-boundary"}));
    v("grid", grid, "grid", ocb::core::each(ocb::core::greater_than(0)));
  }
  void check() const {
    if (milestone >= epochs) throw ocb::core::ParamError("milestone", "must be < epochs");
  }
};

}  // namespace

TEST_CASE("describe_params lists every field with its default", "[core]") {
  const auto specs = ocb::core::describe_params<Demo>();
  REQUIRE(specs.size() == 5);
  CHECK(specs[0].key == "nu");
  CHECK(ocb::core::to_string(specs[0].default_value) == "0.1");
  CHECK(ocb::core::to_string(specs[4].default_value) == "[0.5, 1.0]");
  CHECK(specs[0].constraint.text == "in (0, 1]");
}

TEST_CASE("violation explains expected and got", "[core]") {
  const auto specs = ocb::core::describe_params<Demo>();
  CHECK(ocb::core::violation(specs[0], 1.5) == "must be in (0, 1], got 1.5");
  CHECK(ocb::core::violation(specs[0], 0.5).empty());
  CHECK(ocb::core::violation(specs[3], std::string("hard")) ==
        "must be one of [\"one-class\", \"soft-boundary\"], got \"hard\"");
  CHECK(ocb::core::violation(specs[1], 2.0) == "must be an integer, got a number");
  CHECK_FALSE(ocb::core::violation(specs[4], std::vector<double>{}).empty());
  CHECK_FALSE(ocb::core::violation(specs[4], std::vector<double>{1.0, -1.0}).empty());
}

TEST_CASE("bind_params sets given keys, keeps defaults, runs check()", "[core]") {
  ocb::core::ParamMap given{{"nu", 0.05}, {"epochs", std::int64_t{20}}};
  const Demo d = ocb::core::bind_params<Demo>(given);
  CHECK(d.nu == 0.05);
  CHECK(d.epochs == 20);
  CHECK(d.objective == "one-class");
  const auto resolved = ocb::core::resolved_params(d);
  CHECK(ocb::core::canonical(resolved) ==
        "epochs=20;grid=[0.5, 1.0];milestone=5;nu=0.05;objective=\"one-class\"");
  ocb::core::ParamMap bad{{"epochs", std::int64_t{3}}};
  CHECK_THROWS_AS(ocb::core::bind_params<Demo>(bad), ocb::core::ParamError);
}

// The attacks on a small classifier: PGD and the boundary attack both turn
// correctly classified stop signs into misclassified images within their
// budget, and the same seed gives the same bytes.
#include <catch2/catch.hpp>

#include "datasets/gtsrb/gtsrb.hpp"
#include "methods/adversarial/adversarial.hpp"
#include "tests/support.hpp"

namespace adv = ocb::methods::adversarial;

namespace {

ocb::core::Samples unit(const ocb::datasets::ImageSet& set, std::int64_t n) {
  std::vector<float> v(static_cast<std::size_t>(n * 3072));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = set.pixels[i] / 255.0f;
  return ocb::core::Samples({n, 3, 32, 32}, std::move(v));
}

struct Data {
  ocb::core::Samples train, candidates;
  std::vector<int> labels;
};

const Data& data() {
  static const Data d = [] {
    const ocb::datasets::DataLocator loc({ocb::test::data_root()});
    const auto subset = ocb::datasets::gtsrb::load_training_subset(loc, nullptr);
    const auto stops = ocb::datasets::gtsrb::load_stop_signs(loc, false, nullptr);
    return Data{unit(subset, subset.shape.n), unit(stops.test, 40), subset.labels};
  }();
  return d;
}

adv::Result attack(const std::string& kind, const std::vector<double>& l2_budgets = {}, int iterations = 30) {
  adv::Options o;
  o.attack = kind;
  o.count = 3;
  o.classifier_epochs = 2;
  o.boundary_iterations = iterations;
  if (!l2_budgets.empty()) o.stop_norm = "l2";
  o.stop_budgets = l2_budgets;
  return adv::make_adversarial(data().train, data().labels, data().candidates, o, [](std::string_view m) { if (std::getenv("OCB_TEST_LOG")) fprintf(stderr, "%.*s\n", int(m.size()), m.data()); });
}

const std::vector<adv::Example>& only_set(const adv::Result& r) {
  REQUIRE(r.sets.size() == 1);
  return r.sets[0].examples;
}

}  // namespace

TEST_CASE("PGD makes misclassified stop signs within its L-inf budget, reproducibly", "[methods][data]") {
  const auto a = attack("pgd");
  REQUIRE(only_set(a).size() == 3);
  for (const auto& e : only_set(a)) {
    CHECK(e.adversarial_prediction != 14);
    CHECK(e.linf <= 8.0 / 255.0 + 0.5 / 255.0 + 1e-9);  // epsilon plus the 8-bit rounding
  }
  CHECK(a.target_accuracy > 0.8);
  const auto b = attack("pgd");
  for (std::size_t i = 0; i < 3; ++i) CHECK(only_set(a)[i].image == only_set(b)[i].image);
}

TEST_CASE("the boundary attack needs only decisions and stays misclassified after quantisation", "[methods][data]") {
  const auto a = attack("boundary");
  REQUIRE(only_set(a).size() == 3);
  for (const auto& e : only_set(a)) {
    CHECK(e.adversarial_prediction != 14);
    CHECK(e.l2 > 0.0);
  }
}

TEST_CASE("stopping budgets: one set per budget, each the same bytes as when made alone", "[methods][data]") {
  // With this weak classifier (2 epochs) the attack starts near L2 10 and
  // needs 20-90 iterations to come within 8, 30-200 to come within 7.
  const auto family = attack("boundary", {8.0, 7.0}, 130);
  REQUIRE(family.sets.size() == 2);
  CHECK(family.sets[0].budget == 8.0);
  CHECK(family.sets[1].budget == 7.0);
  const auto& loose = family.sets[0].examples;
  const auto& tight = family.sets[1].examples;
  REQUIRE(loose.size() == 3);
  REQUIRE(tight.size() == 3);
  const double rounding = 0.5 / 255.0 * std::sqrt(3072.0);  // the most 8-bit rounding adds to L2
  int reached = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(loose[i].source == tight[i].source);  // the same sources in every set
    CHECK(loose[i].adversarial_prediction != 14);
    CHECK(tight[i].adversarial_prediction != 14);
    CHECK(loose[i].iterations <= tight[i].iterations);
    CHECK(loose[i].within_budget);
    CHECK(loose[i].l2 <= 8.0 + rounding);
    if (tight[i].within_budget) {
      ++reached;
      CHECK(tight[i].l2 <= 7.0 + rounding);
    } else {
      CHECK(tight[i].iterations == 130);
    }
    CHECK(tight[i].l2 <= loose[i].l2);
  }
  CHECK(reached > 0);
  // Made alone, each budget gives the same images, and the same sources.
  for (std::size_t b = 0; b < 2; ++b) {
    const auto alone = attack("boundary", {family.sets[b].budget}, 130);
    REQUIRE(only_set(alone).size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
      CHECK(only_set(alone)[i].source == family.sets[b].examples[i].source);
      CHECK(only_set(alone)[i].image == family.sets[b].examples[i].image);
      CHECK(only_set(alone)[i].iterations == family.sets[b].examples[i].iterations);
    }
  }
}

TEST_CASE("stopping budgets are checked", "[methods][data]") {
  CHECK_THROWS_WITH(attack("pgd", {4.0}), Catch::Contains("boundary attack only"));
  CHECK_THROWS_WITH(attack("boundary", {2.0, 4.0}), Catch::Contains("strictly descending"));
}

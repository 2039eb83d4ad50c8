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

adv::Result attack(const std::string& kind) {
  adv::Options o;
  o.attack = kind;
  o.count = 3;
  o.classifier_epochs = 2;
  o.boundary_iterations = 30;
  return adv::make_adversarial(data().train, data().labels, data().candidates, o, [](std::string_view) {});
}

}  // namespace

TEST_CASE("PGD makes misclassified stop signs within its L-inf budget, reproducibly", "[methods][data]") {
  const auto a = attack("pgd");
  REQUIRE(a.examples.size() == 3);
  for (const auto& e : a.examples) {
    CHECK(e.adversarial_prediction != 14);
    CHECK(e.linf <= 8.0 / 255.0 + 0.5 / 255.0 + 1e-9);  // epsilon plus the 8-bit rounding
  }
  CHECK(a.target_accuracy > 0.8);
  const auto b = attack("pgd");
  for (std::size_t i = 0; i < 3; ++i) CHECK(a.examples[i].image == b.examples[i].image);
}

TEST_CASE("the boundary attack needs only decisions and stays misclassified after quantisation", "[methods][data]") {
  const auto a = attack("boundary");
  REQUIRE(a.examples.size() == 3);
  for (const auto& e : a.examples) {
    CHECK(e.adversarial_prediction != 14);
    CHECK(e.l2 > 0.0);
  }
}

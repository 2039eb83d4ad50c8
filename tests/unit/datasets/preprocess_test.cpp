// The paper's preprocessing: GCN-L1 on hand-computed values, and the min-max
// constants of all 10 MNIST and 10 CIFAR-10 classes against the reference
// code's published table (Deep-SVDD-PyTorch datasets/mnist.py, cifar10.py).
#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "datasets/common/dataset.hpp"
#include "datasets/preprocess/normalize.hpp"
#include "datasets/preprocess/one_class.hpp"
#include "datasets/preprocess/pca.hpp"
#include "harness/core/rng.hpp"
#include "tests/support.hpp"

namespace ds = ocb::datasets;

TEST_CASE("GCN-L1 subtracts the mean and divides by the mean absolute deviation", "[datasets]") {
  std::vector<double> img{0.0, 0.5, 1.0, 0.5};  // mean 0.5, |dev| = .5, 0, .5, 0 -> mad 0.25
  ds::gcn_l1(img);
  CHECK(img == std::vector<double>{-2.0, 0.0, 2.0, 0.0});
  std::vector<double> flat{0.3, 0.3};
  ds::gcn_l1(flat);
  CHECK(flat == std::vector<double>{0.0, 0.0});
}

namespace {

void check_constants(const std::string& id, const std::vector<std::pair<double, double>>& expected) {
  const auto raw = ds::load_dataset(ds::dataset_info(id), ds::DataLocator({ocb::test::data_root()}), {false});
  for (int k = 0; k < 10; ++k) {
    const auto split = ds::make_one_class_split(raw, k, {});
    INFO(id << " class " << k);
    CHECK(split.facts.minmax.min == Approx(expected[k].first).epsilon(1e-12));
    CHECK(split.facts.minmax.max == Approx(expected[k].second).epsilon(1e-12));
    CHECK(split.test.size() == 10000);
  }
}

}  // namespace

TEST_CASE("MNIST min-max constants equal the reference table", "[datasets][data]") {
  check_constants("mnist", {{-0.8826567065619495, 9.001545489292527},
                            {-0.6661464580883915, 20.108062262467364},
                            {-0.7820454743183202, 11.665100841080346},
                            {-0.7645772083211267, 12.895051191467457},
                            {-0.7253923114302238, 12.683235701611533},
                            {-0.7698501867861425, 13.103278415430502},
                            {-0.778418217980696, 10.457837397569108},
                            {-0.7129780970522351, 12.057777597673047},
                            {-0.8280402650205075, 10.581538445782988},
                            {-0.7369959242164307, 10.697039838804978}});
}

TEST_CASE("CIFAR-10 min-max constants equal the reference table", "[datasets][data]") {
  check_constants("cifar10", {{-28.94083453598571, 13.802961825439636},
                              {-6.681770233365245, 9.158067708230273},
                              {-34.924463588638204, 14.419298165027628},
                              {-10.599172931391799, 11.093187820377565},
                              {-11.945022995801637, 10.628045447867583},
                              {-9.691969487694928, 8.948326776180823},
                              {-9.174940012342555, 13.847014686472365},
                              {-6.876682005899029, 12.282371383343161},
                              {-15.603507135507172, 15.2464923804279},
                              {-6.132882973622672, 8.046098172351265}});
}

TEST_CASE("the one-class split: normal-class training set, full test set, label 1 = anomaly", "[datasets][data]") {
  const auto raw = ds::load_dataset(ds::dataset_info("mnist"), ds::DataLocator({ocb::test::data_root()}), {false});
  const auto split = ds::make_one_class_split(raw, 3, {});
  CHECK(split.train.size() == 6131);  // MNIST training images of digit 3
  CHECK(split.test.size() == 10000);
  std::int64_t normal = 0;
  for (std::size_t i = 0; i < split.test.anomaly.size(); ++i) {
    REQUIRE((split.test.anomaly[i] == 0) == (split.test.original_class[i] == 3));
    normal += split.test.anomaly[i] == 0;
  }
  CHECK(normal == 1010);
  // Training values span exactly [0, 1] after min-max.
  const auto [lo, hi] = std::minmax_element(split.train.data(), split.train.data() + 6131 * 784);
  CHECK(*lo == 0.0f);
  CHECK(*hi == 1.0f);
  SECTION("quick-run subsets are seeded and keep both labels") {
    ds::SplitOptions o;
    o.max_train = 100;
    o.max_test = 50;
    o.subsample_seed = 4;
    const auto a = ds::make_one_class_split(raw, 3, o), b = ds::make_one_class_split(raw, 3, o);
    CHECK(a.train.size() == 100);
    CHECK(a.test.size() == 50);
    CHECK(a.test.source_index == b.test.source_index);
    CHECK(a.facts.minmax.min == split.facts.minmax.min);  // constants from the whole class
  }
}

TEST_CASE("held-out training normals replace the test set's normals (the Theano GTSRB split)", "[datasets]") {
  // 10 training images of class 0 (pixel value = row), 2 of class 1; a test
  // split of 3 class-0 and 2 class-1 images.
  ds::RawDataset raw;
  raw.id = "toy";
  raw.train.shape = {12, 1, 1, 2};
  raw.test.shape = {5, 1, 1, 2};
  for (int i = 0; i < 12; ++i) {
    raw.train.pixels.insert(raw.train.pixels.end(), {static_cast<std::uint8_t>(10 * i), static_cast<std::uint8_t>(10 * i + 1)});
    raw.train.labels.push_back(i < 10 ? 0 : 1);
  }
  for (int i = 0; i < 5; ++i) {
    raw.test.pixels.insert(raw.test.pixels.end(), {static_cast<std::uint8_t>(200 + i), static_cast<std::uint8_t>(200 + i)});
    raw.test.labels.push_back(i < 3 ? 0 : 1);
  }
  ds::SplitOptions o;
  o.preprocessing = "raw";
  o.test_normals_from_train = 4;
  o.subsample_seed = 7;
  const auto a = ds::make_one_class_split(raw, 0, o);
  CHECK(a.train.size() == 6);
  REQUIRE(a.test.size() == 4 + 2);  // 4 held-out normals, then the test split's 2 anomalies
  CHECK(a.test.anomaly == std::vector<std::uint8_t>{0, 0, 0, 0, 1, 1});
  CHECK(a.test.source_index[4] == 3);
  CHECK(a.test.source_index[5] == 4);
  std::set<int> held, trained;
  for (int i = 0; i < 4; ++i) {
    const auto row = a.test.source_index[static_cast<std::size_t>(i)] - 5;  // training rows come after the test split
    REQUIRE(row >= 0);
    REQUIRE(row < 10);
    CHECK(a.test.x.row(i)[0] == static_cast<float>(10.0 * static_cast<double>(row) / 255.0));
    held.insert(static_cast<int>(row));
  }
  for (std::int64_t i = 0; i < a.train.size(); ++i) trained.insert(static_cast<int>(std::lround(a.train.row(i)[0] * 255.0f / 10.0f)));
  CHECK(held.size() == 4);
  CHECK(trained.size() == 6);
  for (int r : held) CHECK(trained.count(r) == 0);  // disjoint, and together all ten
  // The seed decides which: the same seed the same rows, another seed others.
  CHECK(ds::make_one_class_split(raw, 0, o).test.source_index == a.test.source_index);
  o.subsample_seed = 8;
  bool differs = false;
  for (std::uint64_t s = 8; s < 12 && !differs; ++s) {
    o.subsample_seed = s;
    differs = ds::make_one_class_split(raw, 0, o).test.source_index != a.test.source_index;
  }
  CHECK(differs);
  o.test_normals_from_train = 10;
  CHECK_THROWS_WITH(ds::make_one_class_split(raw, 0, o), Catch::Contains("leaves no training images"));
}

TEST_CASE("PCA keeps the fewest components reaching the variance fraction", "[datasets]") {
  // Variance 100 along x0, 1 along x1, 0.01 along x2.
  ocb::core::Rng rng(1);
  std::vector<float> v;
  for (int i = 0; i < 2000; ++i) {
    v.push_back(static_cast<float>(10 * rng.normal()));
    v.push_back(static_cast<float>(rng.normal()));
    v.push_back(static_cast<float>(0.1 * rng.normal()));
  }
  ocb::core::Samples x({2000, 3, 1, 1}, v);
  auto m = ds::fit_pca(x, 0.95);
  CHECK(m.components == 1);
  m = ds::fit_pca(x, 0.995);
  CHECK(m.components == 2);
  const auto p = ds::apply_pca(m, x);
  CHECK(p.shape() == ocb::core::Shape{2000, 2, 1, 1});
  // First component is x0 up to sign (fixed positive): projection ~ x0 - mean.
  CHECK(std::abs(p.data()[0] - v[0]) < 0.5);
}

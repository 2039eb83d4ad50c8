// The extensions on the shared machinery: Deep SAD without labels is one-class
// Deep SVDD bit for bit; the hybrid's reconstruction term really changes the
// encoder (the reference code's did not) and vanishes at mu2 = 0; Deep SAD's
// labelled anomalies come from the known class, disjoint from the pollution,
// in the reference code's proportions.
#include <catch2/catch.hpp>
#include <set>

#include "datasets/common/dataset.hpp"
#include "datasets/preprocess/one_class.hpp"
#include "harness/run/runner.hpp"
#include "tests/support.hpp"

using namespace ocb::harness;

namespace {

const char* kQuick = R"(
ae_epochs = 4
ae_lr = 1e-3
ae_milestones = [3]
epochs = 4
lr = 1e-3
milestones = [3]
)";

std::map<std::string, std::string> run_and_read_scores(const ocb::test::TempDir& tmp, const std::string& methods) {
  const auto file = tmp / "exp.toml";
  ocb::test::write_text(file, "name = \"ext\"\nseeds = [3]\n[datasets.mnist]\nclasses = [4]\nmax_train = 500\nmax_test = 800\n" + methods);
  auto exp = load_experiment(file);
  exp.results_dir = tmp / "results";
  RunOptions o;
  o.data_dir = ocb::test::data_root();
  o.allow_download = false;
  o.exec.cache_dir = tmp / "cache";
  REQUIRE(run_experiment(exp, o) == 0);
  std::map<std::string, std::string> out;
  for (const auto& c : expand_cells(exp)) out[c.method->label] = ocb::test::read_text(RecordStore(exp.results_dir).scores_path(c));
  return out;
}

}  // namespace

TEST_CASE("Deep SAD with no labelled anomalies equals one-class Deep SVDD", "[methods][data]") {
  ocb::test::TempDir tmp;
  const auto s = run_and_read_scores(tmp, std::string("[methods.svdd]\nmethod = \"deep_svdd\"\n") + kQuick +
                                              "[methods.sad]\nmethod = \"deep_sad\"\n" + kQuick);
  CHECK(s.at("svdd") == s.at("sad"));
}

TEST_CASE("the hybrid's reconstruction term changes the encoder and vanishes at mu2 = 0", "[methods][data]") {
  ocb::test::TempDir tmp;
  const auto s = run_and_read_scores(tmp, std::string("[methods.svdd]\nmethod = \"deep_svdd\"\n") + kQuick +
                                              "[methods.hybrid0]\nmethod = \"hybrid_svdd\"\nmu2 = 0.0\n" + kQuick +
                                              "[methods.hybrid1]\nmethod = \"hybrid_svdd\"\nmu2 = 1.0\n" + kQuick);
  CHECK(s.at("svdd") == s.at("hybrid0"));
  CHECK(s.at("svdd") != s.at("hybrid1"));
}

TEST_CASE("semi-supervised training sets follow the reference proportions", "[datasets][data]") {
  namespace ds = ocb::datasets;
  const auto raw = ds::load_dataset(ds::dataset_info("mnist"), ds::DataLocator({ocb::test::data_root()}), {false});
  ds::SplitOptions o;
  o.semi = {0.05, 0.1, 1};
  o.subsample_seed = 2;
  const auto split = ds::make_one_class_split(raw, 0, o);
  // MNIST class 0 (5,923 images), gamma_l 0.05, gamma_p 0.1: 658 unlabelled and 346 labelled anomalies.
  CHECK(split.facts.n_pollution == 658);
  CHECK(split.facts.n_labelled == 346);
  CHECK(split.train.size() == 5923 + 658 + 346);
  REQUIRE(split.semi_labels.size() == static_cast<std::size_t>(split.train.size()));
  CHECK(std::count(split.semi_labels.begin(), split.semi_labels.end(), -1) == 346);
  // Seed 2 with one known class: the second anomaly class, 2.
  CHECK(split.facts.known_classes == std::vector<int>{2});
  // Disjoint: no training image appears twice.
  std::set<std::vector<float>> rows;
  for (std::int64_t i = 5923; i < split.train.size(); ++i)
    rows.insert(std::vector<float>(split.train.row(i).begin(), split.train.row(i).end()));
  CHECK(rows.size() == 658 + 346);
}

// Experiment files: every mistake is an error naming file:line:col and the key.
#include <catch2/catch.hpp>

#include <filesystem>

#include "harness/config/experiment.hpp"
#include "harness/run/cells.hpp"
#include "tests/support.hpp"

using ocb::harness::load_experiment;
using ocb::test::TempDir;

namespace {

std::string check_error(const std::string& toml) {
  TempDir tmp;
  const auto file = tmp / "exp.toml";
  ocb::test::write_text(file, toml);
  try {
    load_experiment(file);
  } catch (const ocb::core::ConfigError& e) {
    std::string msg = e.what();
    const auto at = msg.find(file.string());
    REQUIRE(at == 0);
    return msg.substr(file.string().size());
  }
  FAIL("no ConfigError for:\n" << toml);
  return "";
}

}  // namespace

TEST_CASE("a valid experiment keeps the file's column order and fills defaults", "[harness]") {
  TempDir tmp;
  const auto file = tmp / "exp.toml";
  ocb::test::write_text(file, R"(name = "demo"
seeds = [3, 1]
[datasets.mnist]
classes = [2, 5]
[methods.zeta]
method = "isolation_forest"
[methods.alpha]
method = "ocsvm"
nu = [0.1]
)");
  const auto exp = load_experiment(file);
  CHECK(exp.name == "demo");
  CHECK(exp.seeds == std::vector<std::uint64_t>{3, 1});
  REQUIRE(exp.methods.size() == 2);
  CHECK(exp.methods[0].label == "zeta");
  CHECK(exp.methods[1].label == "alpha");
  CHECK(std::get<std::vector<double>>(exp.methods[1].params.at("nu")) == std::vector<double>{0.1});
  CHECK(std::get<std::string>(exp.methods[1].params.at("selection")) == "test_holdout");
  CHECK(exp.results_dir == "results/demo");
  CHECK(exp.datasets[0].classes == std::vector<int>{2, 5});
}

TEST_CASE("a deep method's numerics version follows its network, kernels and device", "[harness]") {
  // cifar10_lenet on the CPU with the native kernels is at version 3 (its
  // many-channel layers left oneDNN); every other network, the reference
  // kernels and the GPU keep version 2; methods without the hook, their own.
  TempDir tmp;
  const auto file = tmp / "exp.toml";
  ocb::test::write_text(file, R"(name = "numerics"
[datasets.mnist]
[datasets.cifar10]
[datasets.gtsrb_adversarial]
[methods.dcae]
[methods.svdd_torch]
method = "deep_svdd"
kernels = "torch"
[methods.svdd_gtsrb]
method = "deep_svdd"
network = "gtsrb_lenet"
[methods.sad]
method = "deep_sad"
[methods.ocsvm]
)");
  const auto exp = load_experiment(file);
  REQUIRE(exp.methods.size() == 5);
  const auto& dcae = exp.methods[0];
  CHECK(dcae.numerics_version_for("cifar10", "cpu") == 3);
  CHECK(dcae.numerics_version_for("cifar10", "cuda") == 2);
  CHECK(dcae.numerics_version_for("cifar10", "cuda-fp32") == 2);
  CHECK(dcae.numerics_version_for("mnist", "cpu") == 2);
  CHECK(dcae.numerics_version_for("gtsrb_adversarial", "cpu") == 3);  // auto: 3x32x32 is cifar10_lenet's shape
  CHECK(exp.methods[1].numerics_version_for("cifar10", "cpu") == 2);
  CHECK(exp.methods[2].numerics_version_for("gtsrb_adversarial", "cpu") == 2);
  CHECK(exp.methods[3].numerics_version_for("cifar10", "cpu") == 3);
  CHECK(exp.methods[3].numerics_version_for("mnist", "cpu") == 2);
  CHECK(exp.methods[4].numerics_version_for("cifar10", "cpu") == exp.methods[4].numerics_version);
}

TEST_CASE("out-of-range values name the key and the line and the rule", "[harness]") {
  CHECK(check_error("name = \"x\"\n[datasets.mnist]\n[methods.ocsvm]\nnu = [1.5]\n") ==
        ":4:6: methods.ocsvm.nu must be a non-empty list, each in (0, 1], got [1.5]");
  CHECK(check_error("name = \"x\"\n[datasets.mnist]\n[methods.if]\nmethod = \"isolation_forest\"\ntrees = 0\n") ==
        ":5:9: methods.if.trees must be >= 1, got 0");
}

TEST_CASE("unknown keys list the valid ones", "[harness]") {
  CHECK_THAT(check_error("name = \"x\"\nsede = [1]\n[datasets.mnist]\n[methods.kde]\n"),
             Catch::StartsWith(":2:1: sede is not a valid key (valid: extends, name, description"));
  CHECK_THAT(check_error("name = \"x\"\n[datasets.mnist]\n[methods.kde]\nbandwith_log2 = [1]\n"),
             Catch::StartsWith(":4:1: methods.kde.bandwith_log2 is not a parameter of method 'kde' (valid: method, "
                               "preprocessing, pca_variance, datasets, paper_method, labelled_anomalies, pollution, known_anomaly_classes, seeds, settings, bandwidth_log2, folds)"));
  CHECK_THAT(check_error("name = \"x\"\n[datasets.mnist]\nclass = [1]\n[methods.kde]\n"),
             Catch::Contains("datasets.mnist.class is not a valid key"));
}

TEST_CASE("wrong types and unknown methods and datasets and bad classes", "[harness]") {
  CHECK(check_error("name = \"x\"\n[datasets.mnist]\n[methods.kde]\nfolds = \"five\"\n") ==
        ":4:9: methods.kde.folds must be an integer, got a string");
  CHECK_THAT(check_error("name = \"x\"\n[datasets.mnist]\n[methods.foo]\n"),
             Catch::Contains("methods.foo.method names no registered method: 'foo' (registered:"));
  CHECK_THAT(check_error("name = \"x\"\n[datasets.svhn]\n[methods.kde]\n"),
             Catch::Contains("datasets.svhn is not a known dataset (known: mnist, fashion_mnist, cifar10"));
  CHECK(check_error("name = \"x\"\n[datasets.mnist]\nclasses = [3, 10]\n[methods.kde]\n") ==
        ":3:11: datasets.mnist.classes must hold classes in [0, 9], got 10");
  CHECK(check_error("name = \"x\"\nseeds = [1, 1]\n[datasets.mnist]\n[methods.kde]\n") == ":2:9: seeds lists seed 1 twice");
  CHECK(check_error("[datasets.mnist]\n[methods.kde]\n") == ":1:1: name is required (it names the results folder; not inherited)");
  CHECK_THAT(check_error("name = \"x\"\n[datasets.mnist]\n[methods.kde]\npca_variance = 2\n"),
             Catch::Contains("methods.kde.pca_variance must be in [0, 1]"));
}

TEST_CASE("TOML syntax errors carry the parser's position", "[harness]") {
  CHECK_THAT(check_error("name = \"x\"\n[datasets.mnist\n"), Catch::StartsWith(":2:"));
}

TEST_CASE("an experiment sharing another's records writes its views into a subfolder", "[harness]") {
  TempDir tmp;
  const auto own = tmp / "own.toml", shared = tmp / "shared.toml";
  ocb::test::write_text(own, "name = \"base\"\n[datasets.mnist]\n[methods.kde]\n");
  ocb::test::write_text(shared, "name = \"extended\"\nresults_dir = \"results/base\"\n[datasets.mnist]\n[methods.kde]\n");
  const auto a = load_experiment(own), b = load_experiment(shared);
  CHECK(a.results_dir == ocb::harness::fs::path("results/base"));
  CHECK(a.view_dir() == a.results_dir);
  CHECK(b.results_dir == a.results_dir);
  CHECK(b.view_dir() == ocb::harness::fs::path("results/base/extended"));
}

TEST_CASE("every committed experiment file loads, expands and finds its paper values", "[harness]") {
  namespace fs = std::filesystem;
  const fs::path source(OCB_SOURCE_DIR);
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(source / "experiments")) {
    if (e.path().extension() != ".toml") continue;
    ++files;
    INFO(e.path().string());
    const auto exp = load_experiment(e.path());
    CHECK_FALSE(ocb::harness::expand_cells(exp).empty());
    for (const auto& p : exp.paper) CHECK(fs::exists(p.is_absolute() ? p : source / p));
  }
  CHECK(files >= 10);
}

TEST_CASE("duplicate classes and seeds, and non-finite numbers, are errors naming the key", "[harness]") {
  const std::string head = "name = \"d\"\n[datasets.mnist]\n";
  CHECK(check_error("name = \"d\"\n[datasets.mnist]\nclasses = [0, 3, 0]\n[methods.kde]\n") ==
        ":3:11: datasets.mnist.classes lists class 0 twice");
  CHECK(check_error(head + "[methods.kde]\nseeds = [1, 2, 1]\n") == ":4:9: methods.kde.seeds lists seed 1 twice");
  CHECK(check_error("name = \"d\"\nseeds = [4, 4]\n[datasets.mnist]\n[methods.kde]\n") == ":2:9: seeds lists seed 4 twice");
  CHECK(check_error(head + "[methods.deep_svdd]\nlr = inf\n") == ":4:6: methods.deep_svdd.lr must be a finite number, got inf");
  CHECK(check_error(head + "[methods.deep_svdd]\nlr = nan\n") == ":4:6: methods.deep_svdd.lr must be a finite number, got nan");
  CHECK(check_error(head + "[methods.deep_svdd]\nmilestones = [10]\nae_lr = -inf\n") ==
        ":5:9: methods.deep_svdd.ae_lr must be a finite number, got -inf");
  CHECK(check_error(head + "[methods.kde]\nbandwidth_log2 = [0.5, inf]\n") ==
        ":4:18: methods.kde.bandwidth_log2 must hold finite numbers, got inf");
}

TEST_CASE("a parameter the method would ignore is an error, not silence", "[harness]") {
  const std::string head = "name = \"u\"\n[datasets.mnist]\n";
  CHECK(check_error(head + "[methods.deep_sad]\nnu = 0.2\n") ==
        ":4:1: methods.deep_sad.nu has no effect on method 'deep_sad' with the other settings given; remove it");
  CHECK(check_error(head + "[methods.d]\nmethod = \"deep_svdd\"\nradius_rule = \"block_coordinate\"\n") ==
        ":5:1: methods.d.radius_rule has no effect on method 'deep_svdd' with the other settings given; remove it");
  CHECK(check_error(head + "[methods.d]\nmethod = \"deep_svdd\"\npretrained = false\nae_epochs = 3\n") ==
        ":6:1: methods.d.ae_epochs has no effect on method 'deep_svdd' with the other settings given; remove it");
  // Used with the soft boundary; and a default that is not written is no mistake.
  ocb::test::TempDir tmp;
  ocb::test::write_text(tmp / "ok.toml", head + "[methods.d]\nmethod = \"deep_svdd\"\nobjective = \"soft-boundary\"\n"
                                                "radius_rule = \"block_coordinate\"\n[methods.deep_sad]\n");
  CHECK_NOTHROW(load_experiment(tmp / "ok.toml"));
}

TEST_CASE("extends: a bad parent is an error at the key, whatever the file system says", "[harness]") {
  TempDir tmp;
  const auto a = tmp / "a.toml", b = tmp / "b.toml";
  CHECK_THAT(check_error("extends = 3\n"), Catch::Contains("extends must be a string"));
  CHECK_THAT(check_error("extends = \"" + (tmp / "none.toml").string() + "\"\n"),
             Catch::Contains("extends names a file that cannot be read") && Catch::Contains("none.toml"));
  CHECK_THAT(check_error("extends = \"" + tmp.path().string() + "\"\n"), Catch::Contains("which is not a regular file"));
  CHECK_THAT(check_error("extends = \"/dev/zero\"\n"), Catch::Contains("/dev/zero, which is not a regular file"));
  // A name longer than the file system allows (weakly_canonical throws on it).
  CHECK_THAT(check_error("extends = \"" + std::string(5000, 'x') + ".toml\"\n"), Catch::Contains("cannot be read"));
  ocb::test::write_text(a, "extends = \"" + b.string() + "\"\n");
  ocb::test::write_text(b, "extends = \"" + a.string() + "\"\n");
  CHECK_THROWS_WITH(load_experiment(a), Catch::Contains("makes a cycle through " + a.string()));
}

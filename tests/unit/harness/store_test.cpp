// Records and score files: atomic writes, round trips, unreadable records,
// temporaries left by kills.
#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "harness/config/experiment.hpp"
#include "harness/run/store.hpp"
#include "tests/support.hpp"

using namespace ocb::harness;

TEST_CASE("records and scores round-trip and leave no temporary files", "[harness]") {
  ocb::test::TempDir tmp;
  const auto file = tmp / "exp.toml";
  ocb::test::write_text(file, "name = \"s\"\nseeds = [1]\n[datasets.mnist]\nclasses = [0]\n[methods.kde]\n");
  const auto exp = load_experiment(file);
  const auto cells = expand_cells(exp);
  RecordStore store(tmp / "results");
  Json failed{{"cell_id", cells[0].id}, {"status", "failed"}};
  Json ok{{"cell_id", cells[0].id}, {"status", "ok"}, {"metrics", {{"auc", 0.75}}}};
  store.write_record(cells[0], failed);
  CHECK(store.load_all().at(cells[0].id)["status"] == "failed");
  store.write_record(cells[0], ok);
  CHECK(store.load_all().at(cells[0].id)["status"] == "ok");
  ScoreFile s{{5, 9, 2}, {0, 1, 1}, {0.5f, -1.25f, 3.0f}};
  store.write_scores(cells[0], s);
  const auto back = RecordStore::read_scores(store.scores_path(cells[0]));
  CHECK(back.source_index == s.source_index);
  CHECK(back.anomaly == s.anomaly);
  CHECK(back.scores == s.scores);
  for (const auto& e : std::filesystem::recursive_directory_iterator(tmp / "results"))
    CHECK(e.path().string().find(".tmp.") == std::string::npos);
}

TEST_CASE("an unreadable record is reported, not fatal and not deleted", "[harness]") {
  ocb::test::TempDir tmp;
  ocb::test::write_text(tmp / "results/records/mnist/kde/class0-seed1-abc.json", "{ truncated");
  RecordStore store(tmp / "results");
  std::vector<std::string> problems;
  CHECK(store.load_all(&problems).empty());
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems[0], Catch::Contains("class0-seed1-abc.json") && Catch::Contains("rerun"));
  CHECK(std::filesystem::exists(tmp / "results/records/mnist/kde/class0-seed1-abc.json"));
}

TEST_CASE("temporaries of a killed writer are removed; live ones, records and scores are not", "[harness]") {
  ocb::test::TempDir tmp;
  const auto dir = tmp / "results/records/mnist/kde";
  // A pid that cannot run: above the kernel's pid_max (at most 2^22).
  const auto dead = dir / "class0-seed1-abc.json.tmp.99999999.0";
  const auto live = dir / fmt::format("class0-seed2-abc.json.tmp.{}.3", ::getpid());
  const auto record = dir / "class0-seed1-abc.json";
  const auto odd = dir / "notes.tmp.txt";
  for (const auto& p : {dead, live, record, odd}) ocb::test::write_text(p, "{}");
  RecordStore store(tmp / "results");
  CHECK(store.remove_orphaned_temporaries() == 0);  // too recent: a writer elsewhere may own it
  CHECK(store.remove_orphaned_temporaries(std::chrono::seconds(0)) == 1);
  CHECK_FALSE(std::filesystem::exists(dead));
  CHECK(std::filesystem::exists(live));
  CHECK(std::filesystem::exists(record));
  CHECK(std::filesystem::exists(odd));
}

// Records and score files: atomic writes, round trips, records that fail their
// schema, damaged score files, temporaries left by kills.
#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "harness/config/experiment.hpp"
#include "harness/core/atomic_file.hpp"
#include "harness/core/hash.hpp"
#include "harness/run/store.hpp"
#include "tests/support.hpp"

using namespace ocb::harness;

namespace {

struct Fixture {
  ocb::test::TempDir tmp;
  Experiment exp;
  std::vector<Cell> cells;
  Fixture() {
    ocb::test::write_text(tmp / "exp.toml", "name = \"s\"\nseeds = [1, 2]\n[datasets.mnist]\nclasses = [0]\n[methods.kde]\n");
    exp = load_experiment(tmp / "exp.toml");
    cells = expand_cells(exp);
  }
  CellRecord record(std::size_t i, bool ok) const {
    // Built from strings, not literals: GCC 12 at -O3 warns falsely (-Wrestrict) on short literal assignments here.
    const std::string ok_text = ok ? "ok" : "failed", exp_name = "s", kde = "kde", mnist = "mnist";
    CellRecord r;
    r.status = ok_text;
    r.cell_id = cells[i].id;
    r.experiment = exp_name;
    r.label = r.method = kde;
    r.dataset = mnist;
    r.seed = cells[i].seed;
    r.canonical = cells[i].canonical;
    r.metrics = {0.75, 0.9, -1.0, 2.0, {}, {}};
    r.data = {{"n_test", 3}};
    r.error_phase = "fitting";
    r.error_message = "boom";
    r.timing = {{"fit", 1.5}, {"total", 2.0}};
    r.numerics = {1, 1, "cpu", "blas=Haswell", "avx2"};
    return r;
  }
};

}  // namespace

TEST_CASE("records and scores round-trip and leave no temporary files", "[harness]") {
  Fixture f;
  RecordStore store(f.tmp / "results");
  store.write_record(f.cells[0], f.record(0, false));
  CHECK(store.load_all().find(f.cells[0].id)->status == "failed");
  store.write_record(f.cells[0], f.record(0, true));
  const auto set = store.load_all();
  REQUIRE(set.ok(f.cells[0].id));
  CHECK(set.ok(f.cells[0].id)->metrics.auc == 0.75);
  CHECK(set.ok(f.cells[0].id)->numerics.signature() == "v1 threads=1 cpu blas=Haswell");
  ScoreFile s{{5, 9, 2}, {0, 1, 1}, {0.5f, -1.25f, 3.0f}, {}};
  store.write_scores(f.cells[0], s);
  const auto back = RecordStore::read_scores(store.scores_path(f.cells[0]));
  CHECK(back.source_index == s.source_index);
  CHECK(back.anomaly == s.anomaly);
  CHECK(back.scores == s.scores);
  for (const auto& e : std::filesystem::recursive_directory_iterator(f.tmp / "results"))
    CHECK(e.path().string().find(".tmp.") == std::string::npos);
}

TEST_CASE("score files keep the training scores (v2), read v1 files as before, threshold decisions round-trip", "[harness]") {
  Fixture f;
  RecordStore store(f.tmp / "results");
  auto rec = f.record(0, true);
  rec.data["n_train"] = 2;
  rec.data["n_test"] = 3;
  const std::vector<double> train{0.1, 0.3}, test{0.2, 0.5, 0.05};
  const std::vector<std::uint8_t> y{0, 1, 1};
  rec.metrics.thresholds = ocb::core::threshold_policies(train, test, y);
  store.write_record(f.cells[0], rec);
  ScoreFile s{{5, 9, 2}, {0, 1, 1}, {0.2f, 0.5f, 0.05f}, {0.1f, 0.3f}};
  store.write_scores(f.cells[0], s);
  const auto back = RecordStore::read_scores(store.scores_path(f.cells[0]));
  CHECK(back.scores == s.scores);
  CHECK(back.train_scores == s.train_scores);
  const auto set = store.load_all();
  const CellRecord* r = set.ok(f.cells[0].id);
  REQUIRE(r);
  REQUIRE(r->metrics.thresholds.size() == 4);
  // p95 of {0.1, 0.3} is 0.29: only 0.5 is called anomalous.
  const auto* p95 = r->metrics.at("p95");
  REQUIRE(p95);
  CHECK(p95->threshold == Approx(0.29));
  CHECK(p95->tp == 1);
  CHECK(p95->fn == 1);
  CHECK(p95->fp == 0);
  CHECK(r->metrics.at("oracle_f1")->f1() == Approx(0.8));
  CHECK(r->metrics.at("nonsense") == nullptr);
  // The size check knows a v2 file's length from the record.
  CHECK(store.check_score_file(*r).kind == RecordStore::ScoreFileCheck::fine);
  // A v2 file cut inside its training scores is named as damaged.
  std::string raw = ocb::test::read_text(store.scores_path(f.cells[0]));
  CHECK_THROWS_WITH(decode_scores(raw.substr(0, raw.size() - 6), "cut.gz"), Catch::Contains("cut.gz"));
  // A negative count in a record's decisions is refused with its field.
  auto j = rec.to_json();
  j["metrics"]["thresholds"]["p99"]["fp"] = -1;
  CHECK_THROWS_WITH(CellRecord::from_json(j), Catch::Contains("metrics.thresholds.p99"));
}

TEST_CASE("representation samples round-trip, damaged ones are named", "[harness]") {
  Fixture f;
  RecordStore store(f.tmp / "results");
  RepresentationSample s{{4, 0, 7}, {1, 0, 1}, ocb::core::Samples(ocb::core::Shape{3, 2, 1, 1}, {1, 2, 3, 4, 5, 6})};
  store.write_representations(f.cells[0], s);
  const auto back = RecordStore::read_representations(store.representations_path(f.cells[0]));
  CHECK(back.positions == s.positions);
  CHECK(back.anomaly == s.anomaly);
  CHECK(back.rows.shape() == s.rows.shape());
  CHECK(std::vector<float>(back.rows.data(), back.rows.data() + 6) == std::vector<float>{1, 2, 3, 4, 5, 6});
  const std::string raw = ocb::test::read_text(store.representations_path(f.cells[0]));
  CHECK_THROWS_WITH(decode_representations(raw.substr(0, raw.size() / 2), "half.reps.gz"), Catch::Contains("half.reps.gz"));
  CHECK_THROWS_WITH(RecordStore::read_representations(f.tmp / "none.reps.gz"), Catch::Contains("none.reps.gz"));
}

TEST_CASE("a record that fails its schema is named with its path and field, left out, not deleted", "[harness]") {
  Fixture f;
  RecordStore store(f.tmp / "results");
  store.write_record(f.cells[0], f.record(0, true));
  store.write_record(f.cells[1], f.record(1, true));
  const auto path0 = store.record_path(f.cells[0]), path1 = store.record_path(f.cells[1]);
  auto j = Json::parse(ocb::test::read_text(path0));
  j["metrics"]["auc"] = "x";
  ocb::test::write_text(path0, j.dump());
  auto k = Json::parse(ocb::test::read_text(path1));
  k.erase("metrics");
  ocb::test::write_text(path1, k.dump());
  ocb::test::write_text(f.tmp / "results/records/mnist/kde/class0-seed9-0123456789abcdef.json", "{ truncated");
  const auto set = store.load_all();
  CHECK(set.by_id.empty());
  REQUIRE(set.problems.size() == 3);
  std::string all;
  for (const auto& p : set.problems) all += p.str() + "\n";
  CHECK_THAT(all, Catch::Contains(path0.string() + ": metrics.auc must be a number, got a string"));
  CHECK_THAT(all, Catch::Contains(path1.string() + ": metrics is missing"));
  CHECK_THAT(all, Catch::Contains("class0-seed9-0123456789abcdef.json: (record) is not valid JSON"));
  CHECK(std::filesystem::exists(path0));
}

TEST_CASE("a record filed under another cell's name is refused", "[harness]") {
  Fixture f;
  RecordStore store(f.tmp / "results");
  store.write_record(f.cells[0], f.record(0, true));
  std::filesystem::rename(store.record_path(f.cells[0]), store.record_path(f.cells[1]));
  const auto set = store.load_all();
  CHECK(set.by_id.empty());
  REQUIRE(set.problems.size() == 1);
  CHECK_THAT(set.problems[0].message, Catch::Contains("does not match the file name"));
}

TEST_CASE("schema 1 records are upgraded: curves and representation facts become typed, numerics unknown", "[harness]") {
  // A record as the first schema wrote them (the shape of the committed Table 1 records).
  const auto j = Json::parse(R"({"schema": 1, "status": "ok", "cell_id": "e35456a564a1b738", "experiment": "t",
    "label": "deep_svdd_soft", "method": "deep_svdd", "dataset": "mnist", "normal_class": 0, "seed": 1, "params": {},
    "canonical": "c", "metrics": {"auc": 0.97, "average_precision": 0.99, "score_min": -0.1, "score_max": 1.5},
    "method_report": {"pretraining": {"key": "k", "cached": true, "seconds": 147.7, "epoch_loss": [3.0, 2.0]},
      "train": {"epoch_loss": [1.0, 0.5], "seconds": 85.6}, "representation_spread": 0.036, "collapse_suspected": false},
    "timing": {"fit_s": 86.0, "total_s": 86.3}, "threads": 1, "device": "cpu", "provenance": {}})");
  const auto r = CellRecord::from_json(j);
  CHECK(r.curves.at("pretraining").epoch_loss == std::vector<double>{3.0, 2.0});
  CHECK(r.curves.at("train").seconds == 85.6);
  REQUIRE(r.representation);
  CHECK(r.representation->spread == 0.036);
  CHECK(r.numerics.signature() == "unknown");
  CHECK(r.total_seconds() == 86.3);
  // Written back, it is a schema 2 record that reads the same.
  const auto again = CellRecord::from_json(r.to_json());
  CHECK(again.schema == 2);
  CHECK(again.curves.at("pretraining").epoch_loss == r.curves.at("pretraining").epoch_loss);
  auto newer = j;
  newer["schema"] = 3;
  CHECK_THROWS_WITH(CellRecord::from_json(newer), Catch::Contains("made by a newer ocbench"));
}

TEST_CASE("a score file's SHA-256 (of its decompressed bytes) goes into the record and back", "[harness]") {
  Fixture f;
  RecordStore store(f.tmp / "results");
  const ScoreFile sf{{0, 1, 2}, {0, 1, 1}, {0.1f, 0.2f, 0.3f}, {0.5f}};
  const std::string sha = store.write_scores(f.cells[0], sf);
  // The bytes the file holds once inflated: magic, n, indices, labels, scores, m, training scores.
  std::string raw = "ocbench-scores-v2\n";
  auto put = [&](const void* p, std::size_t n) { raw.append(static_cast<const char*>(p), n); };
  const std::uint64_t n = 3, m = 1;
  put(&n, 8);
  for (std::int32_t i : {0, 1, 2}) put(&i, 4);
  raw += std::string("\0\1\1", 3);
  put(sf.scores.data(), 12);
  put(&m, 8);
  put(sf.train_scores.data(), 4);
  CHECK(sha == ocb::core::sha256_hex(raw));
  CHECK(RecordStore::read_scores(store.scores_path(f.cells[0])).scores == sf.scores);
  auto rec = f.record(0, true);
  rec.scores_sha256 = sha;
  auto j = rec.to_json();
  CHECK(CellRecord::from_json(j).scores_sha256 == sha);
  j["scores_sha256"] = "ABC";
  CHECK_THROWS_WITH(CellRecord::from_json(j), Catch::Contains("scores_sha256") && Catch::Contains("64 lowercase hex digits"));
  j.erase("scores_sha256");
  CHECK(CellRecord::from_json(j).scores_sha256.empty());  // records made before it
}

TEST_CASE("score files: a missing, truncated or damaged one is found, by trailer and in full", "[harness]") {
  Fixture f;
  RecordStore store(f.tmp / "results");
  auto rec = f.record(0, true);
  rec.scores_file = store.scores_relpath(f.cells[0]);
  CHECK(store.check_score_file(rec).kind == RecordStore::ScoreFileCheck::absent);
  CHECK_THAT(store.check_score_file(rec).message, Catch::Contains("score file missing"));
  store.write_scores(f.cells[0], ScoreFile{{0, 1, 2}, {0, 1, 1}, {0.1f, 0.2f, 0.3f}, {}});
  CHECK(store.check_score_file(rec).kind == RecordStore::ScoreFileCheck::fine);
  const auto path = store.scores_path(f.cells[0]);
  const std::string bytes = ocb::test::read_text(path);
  ocb::test::write_text(path, bytes.substr(0, bytes.size() - 7));
  CHECK(store.check_score_file(rec).kind == RecordStore::ScoreFileCheck::damaged);
  CHECK_THAT(store.check_score_file(rec).message, Catch::Contains("damaged or truncated"));
  CHECK_THROWS_WITH(RecordStore::read_scores(path), Catch::Contains(path.string()) && Catch::Contains("truncated"));
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x5a;
  ocb::test::write_text(path, flipped);
  CHECK_THROWS_AS(RecordStore::read_scores(path), ocb::core::DataError);
}

TEST_CASE("temporaries of a gone writer are removed, but live ones, other hosts' recent ones, records and scores are not", "[harness]") {
  ocb::test::TempDir tmp;
  const auto dir = tmp / "results/records/mnist/kde";
  const std::string host = ocb::core::host_name();
  // A pid that cannot run: above the kernel's pid_max (at most 2^22).
  const auto dead = dir / fmt::format("class0-seed1-abc.json.tmp.{}.99999999.0", host);
  const auto legacy = dir / "class0-seed3-abc.json.tmp.99999999.0";
  const auto live = dir / fmt::format("class0-seed2-abc.json.tmp.{}.{}.3", host, ::getpid());
  const auto foreign = dir / "class0-seed4-abc.json.tmp.node-17.cluster.99999999.0";
  const auto record = dir / "class0-seed1-abc.json";
  const auto odd = dir / "notes.tmp.txt";
  for (const auto& p : {dead, legacy, live, foreign, record, odd}) ocb::test::write_text(p, "{}");
  RecordStore store(tmp / "results");
  CHECK(store.remove_orphaned_temporaries() == 0);  // too recent: a writer elsewhere may own it
  CHECK(store.remove_orphaned_temporaries(std::chrono::seconds(0)) == 2);
  CHECK_FALSE(std::filesystem::exists(dead));
  CHECK_FALSE(std::filesystem::exists(legacy));
  CHECK(std::filesystem::exists(live));
  CHECK(std::filesystem::exists(foreign));  // another host's: only after a day
  CHECK(std::filesystem::exists(record));
  CHECK(std::filesystem::exists(odd));
  CHECK(ocb::core::remove_stale_temporaries(tmp / "results", std::chrono::seconds(0), std::chrono::seconds(0)) == 1);
  CHECK_FALSE(std::filesystem::exists(foreign));
  CHECK(std::filesystem::exists(live));
}

TEST_CASE("temporary names parse back to host and pid, hosts with dots included", "[harness]") {
  using ocb::core::parse_temp_name;
  auto t = parse_temp_name("a.json.tmp.node-1.example.org.4242.7");
  REQUIRE(t);
  CHECK(t->host == "node-1.example.org");
  CHECK(t->pid == 4242);
  CHECK(parse_temp_name("x.pt.tmp.99")->host.empty());
  CHECK_FALSE(parse_temp_name("notes.tmp.txt"));
  CHECK_FALSE(parse_temp_name("a.json"));
}

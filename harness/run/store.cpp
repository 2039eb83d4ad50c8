// Atomic record and score-file I/O (store.hpp).
#include "harness/run/store.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/core/error.hpp"

namespace ocb::harness {
namespace {

constexpr char kScoresMagic[] = "ocbench-scores-v1\n";

fs::path cell_stem(const Cell& c) {
  return fs::path(c.dataset->id) / c.method->label / fmt::format("class{}-seed{}-{}", c.normal_class, c.seed, c.id);
}

}  // namespace

fs::path RecordStore::record_path(const Cell& cell) const {
  return dir_ / "records" / (cell_stem(cell).string() + ".json");
}

std::string RecordStore::scores_relpath(const Cell& cell) const {
  return (fs::path("scores") / (cell_stem(cell).string() + ".scores.gz")).string();
}

fs::path RecordStore::scores_path(const Cell& cell) const { return dir_ / scores_relpath(cell); }

std::map<std::string, Json> RecordStore::load_all(std::vector<std::string>* problems) const {
  std::map<std::string, Json> out;
  const fs::path root = dir_ / "records";
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(root, ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    try {
      Json j = Json::parse(in);
      const std::string id = j.at("cell_id").get<std::string>();
      auto it = out.find(id);
      // Prefer a successful record over a failed one for the same cell.
      if (it == out.end() || (it->second.value("status", "") != "ok" && j.value("status", "") == "ok")) out[id] = std::move(j);
    } catch (const std::exception& e) {
      if (problems) problems->push_back(fmt::format("{}: unreadable record ({}); the cell will be rerun", entry.path().string(), e.what()));
    }
  }
  return out;
}

std::size_t RecordStore::remove_orphaned_temporaries(std::chrono::seconds min_age) const {
  return core::remove_stale_temporaries(dir_, min_age);
}

void RecordStore::write_record(const Cell& cell, const Json& record) const {
  core::write_file_atomic(record_path(cell), record.dump(1) + "\n");
}

void RecordStore::write_scores(const Cell& cell, const ScoreFile& s) const {
  std::string raw(kScoresMagic);
  const std::uint64_t n = s.scores.size();
  raw.append(reinterpret_cast<const char*>(&n), sizeof n);
  for (auto i : s.source_index) {
    const auto v = static_cast<std::int32_t>(i);
    raw.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  raw.append(reinterpret_cast<const char*>(s.anomaly.data()), s.anomaly.size());
  raw.append(reinterpret_cast<const char*>(s.scores.data()), s.scores.size() * sizeof(float));
  // gzip in memory (deflate with a gzip wrapper), then write atomically.
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string packed(deflateBound(&zs, raw.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(raw.data());
  zs.avail_in = static_cast<uInt>(raw.size());
  zs.next_out = reinterpret_cast<Bytef*>(packed.data());
  zs.avail_out = static_cast<uInt>(packed.size());
  deflate(&zs, Z_FINISH);
  packed.resize(zs.total_out);
  deflateEnd(&zs);
  core::write_file_atomic(scores_path(cell), packed);
}

ScoreFile RecordStore::read_scores(const fs::path& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw core::DataError(path.string(), "cannot open score file");
  std::string raw;
  char buf[1 << 16];
  int got;
  while ((got = gzread(f, buf, sizeof buf)) > 0) raw.append(buf, static_cast<std::size_t>(got));
  gzclose(f);
  const std::size_t head = std::strlen(kScoresMagic);
  if (raw.compare(0, head, kScoresMagic) != 0 || raw.size() < head + 8)
    throw core::DataError(path.string(), "not an ocbench score file");
  std::uint64_t n = 0;
  std::memcpy(&n, raw.data() + head, sizeof n);
  if (raw.size() != head + 8 + n * (4 + 1 + 4)) throw core::DataError(path.string(), "truncated score file");
  ScoreFile s;
  const char* p = raw.data() + head + 8;
  for (std::uint64_t i = 0; i < n; ++i, p += 4) {
    std::int32_t v;
    std::memcpy(&v, p, 4);
    s.source_index.push_back(v);
  }
  s.anomaly.assign(p, p + n);
  p += n;
  s.scores.resize(n);
  std::memcpy(s.scores.data(), p, n * sizeof(float));
  return s;
}

}  // namespace ocb::harness

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
#include <optional>
#include <sstream>
#include <thread>

#include "harness/core/error.hpp"
#include "harness/core/hash.hpp"

namespace ocb::harness {
namespace {

// v1: n, then n test-set indices, labels and scores. v2: the same, then m and
// m training scores.
constexpr char kScoresMagic[] = "ocbench-scores-v1\n";
constexpr char kScoresMagicV2[] = "ocbench-scores-v2\n";
static_assert(sizeof kScoresMagic == sizeof kScoresMagicV2);

fs::path cell_stem(const Cell& c) {
  return fs::path(c.dataset->kind) / c.method->label / fmt::format("class{}-seed{}-{}", c.normal_class, c.seed, c.id);
}

// gzip in memory (deflate with a gzip wrapper).
std::string gzip_bytes(const std::string& raw, const fs::path& for_file) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string packed(deflateBound(&zs, raw.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  zs.avail_in = static_cast<uInt>(raw.size());
  zs.next_out = reinterpret_cast<Bytef*>(packed.data());
  zs.avail_out = static_cast<uInt>(packed.size());
  const int rc = deflate(&zs, Z_FINISH);
  packed.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw core::Error(fmt::format("{}: cannot compress (zlib {})", for_file.string(), rc));
  return packed;
}

constexpr char kRepsMagic[] = "ocbench-reps-v1\n";

}  // namespace

fs::path RecordStore::record_path(const Cell& cell) const {
  return dir_ / "records" / (cell_stem(cell).string() + ".json");
}

std::string RecordStore::scores_relpath(const Cell& cell) const {
  return (fs::path("scores") / (cell_stem(cell).string() + ".scores.gz")).string();
}

fs::path RecordStore::scores_path(const Cell& cell) const { return dir_ / scores_relpath(cell); }

std::string RecordStore::representations_relpath(const Cell& cell) const {
  return (fs::path("representations") / (cell_stem(cell).string() + ".reps.gz")).string();
}

fs::path RecordStore::representations_path(const Cell& cell) const { return dir_ / representations_relpath(cell); }

namespace {

void write_sample_file(const fs::path& path, const RepresentationSample& s) {
  std::string raw(kRepsMagic);
  const std::uint64_t n = s.positions.size(), d = static_cast<std::uint64_t>(s.rows.features());
  raw.append(reinterpret_cast<const char*>(&n), sizeof n);
  raw.append(reinterpret_cast<const char*>(&d), sizeof d);
  raw.append(reinterpret_cast<const char*>(s.positions.data()), n * sizeof(std::int32_t));
  raw.append(reinterpret_cast<const char*>(s.anomaly.data()), n);
  raw.append(reinterpret_cast<const char*>(s.rows.data()), n * d * sizeof(float));
  core::write_file_atomic(path, gzip_bytes(raw, path));
}

}  // namespace

void RecordStore::write_representations(const Cell& cell, const RepresentationSample& s) const {
  write_sample_file(representations_path(cell), s);
}

fs::path RecordStore::explanations_path(const Cell& cell) const {
  return dir_ / "explanations" / (cell_stem(cell).string() + ".cam.gz");
}

void RecordStore::write_explanations(const Cell& cell, const RepresentationSample& maps) const {
  write_sample_file(explanations_path(cell), maps);
}

RepresentationSample RecordStore::read_representations(const fs::path& path) {
  std::string bytes;
  try {
    bytes = core::read_file(path);
  } catch (const core::IoError& e) {
    throw core::DataError(path.string(), std::strerror(e.err()));
  }
  return decode_representations(bytes, path.string());
}

const CellRecord* RecordSet::find(const std::string& id) const {
  auto it = by_id.find(id);
  return it == by_id.end() ? nullptr : &it->second;
}

const CellRecord* RecordSet::ok(const std::string& id) const {
  const CellRecord* r = find(id);
  return r && r->ok() ? r : nullptr;
}

RecordSet RecordStore::load_all() const {
  RecordSet set;
  const fs::path root = dir_ / "records";
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return set;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path& path = it->path();
    if (!it->is_regular_file(ec) || path.extension() != ".json") continue;
    try {
      const std::string text = core::read_file(path);
      Json j;
      try {
        j = Json::parse(text);
      } catch (const Json::exception& e) {
        throw RecordError("(record)", text.empty() ? "is empty" : fmt::format("is not valid JSON ({})", e.what()));
      }
      CellRecord r = CellRecord::from_json(j);
      // The file name ends in the cell id: a record copied or renamed by hand would be misfiled.
      const std::string stem = path.stem().string();
      if (stem.size() < r.cell_id.size() || stem.compare(stem.size() - r.cell_id.size(), r.cell_id.size(), r.cell_id) != 0)
        throw RecordError("cell_id", "\"" + r.cell_id + "\" does not match the file name");
      auto found = set.by_id.find(r.cell_id);
      if (found == set.by_id.end() || (!found->second.ok() && r.ok())) {
        set.paths[r.cell_id] = path;
        set.by_id[r.cell_id] = std::move(r);
      }
    } catch (const std::exception& e) {
      set.problems.push_back({path, e.what()});
    }
  }
  return set;
}

RecordStore::ScoreFileCheck RecordStore::check_score_file(const CellRecord& r) const {
  if (r.scores_file.empty()) return {};
  const fs::path p = dir_ / r.scores_file;
  std::error_code ec;
  const auto size = fs::file_size(p, ec);
  if (ec) return {ScoreFileCheck::absent, fmt::format("{}: score file missing", p.string())};
  if (size < 18) return {ScoreFileCheck::damaged, fmt::format("{}: score file truncated ({} bytes)", p.string(), size)};
  // Without sizes to check against (a record of an older shape), the trailer
  // check is skipped; the full check decodes the file instead.
  const bool with_train = !r.metrics.thresholds.empty();  // written with training scores too
  const auto count = [&](const char* key) -> std::optional<std::uint64_t> {
    if (!r.data.contains(key) || !r.data[key].is_number_integer() || r.data[key].get<std::int64_t>() < 0) return std::nullopt;
    return r.data[key].get<std::uint64_t>();
  };
  const auto n = count("n_test"), n_train = with_train ? count("n_train") : std::optional<std::uint64_t>(0);
  if (!n || !n_train) return {};
  // gzip's last four bytes: the uncompressed size mod 2^32.
  std::uint64_t expected = std::strlen(kScoresMagic) + 8 + *n * (4 + 1 + 4);
  if (with_train) expected += 8 + *n_train * 4;
  std::ifstream in(p, std::ios::binary);
  in.seekg(-4, std::ios::end);
  unsigned char tail[4] = {};
  in.read(reinterpret_cast<char*>(tail), 4);
  if (!in) return {ScoreFileCheck::damaged, fmt::format("{}: score file unreadable", p.string())};
  const std::uint32_t isize = tail[0] | (tail[1] << 8) | (tail[2] << 16) | (static_cast<std::uint32_t>(tail[3]) << 24);
  if (isize != static_cast<std::uint32_t>(expected))
    return {ScoreFileCheck::damaged, fmt::format("{}: score file damaged or truncated (holds {} bytes of scores, {} samples need {})",
                                                 p.string(), isize, *n, expected)};
  return {};
}

std::size_t RecordStore::remove_orphaned_temporaries(std::chrono::seconds min_age) const {
  return core::remove_stale_temporaries(dir_, min_age);
}

void RecordStore::write_record(const Cell& cell, const CellRecord& record) const {
  core::write_file_atomic(record_path(cell), record.to_json().dump(1) + "\n");
}

std::string RecordStore::write_scores(const Cell& cell, const ScoreFile& s) const {
  std::string raw(s.train_scores.empty() ? kScoresMagic : kScoresMagicV2);
  const std::uint64_t n = s.scores.size();
  raw.append(reinterpret_cast<const char*>(&n), sizeof n);
  for (auto i : s.source_index) {
    const auto v = static_cast<std::int32_t>(i);
    raw.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  raw.append(reinterpret_cast<const char*>(s.anomaly.data()), s.anomaly.size());
  raw.append(reinterpret_cast<const char*>(s.scores.data()), s.scores.size() * sizeof(float));
  if (!s.train_scores.empty()) {
    const std::uint64_t m = s.train_scores.size();
    raw.append(reinterpret_cast<const char*>(&m), sizeof m);
    raw.append(reinterpret_cast<const char*>(s.train_scores.data()), m * sizeof(float));
  }
  core::write_file_atomic(scores_path(cell), gzip_bytes(raw, scores_path(cell)));
  return core::sha256_hex(raw);
}

ScoreFile RecordStore::read_scores(const fs::path& path) {
  std::string bytes;
  try {
    bytes = core::read_file(path);
  } catch (const core::IoError& e) {
    throw core::DataError(path.string(), std::strerror(e.err()));
  }
  return decode_scores(bytes, path.string());
}

namespace {

// Inflates a whole gzip stream in memory, refusing more than 4 GiB.
std::string gunzip_bytes(std::string_view gz, const std::string& name) {
  // Inflate (gzip wrapper) in memory.
  constexpr std::size_t kMaxRaw = std::size_t{1} << 32;
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) throw core::DataError(name, "cannot start zlib");
  std::string raw;
  char buf[1 << 16];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    raw.append(buf, sizeof buf - zs.avail_out);
    if (raw.size() > kMaxRaw) rc = Z_MEM_ERROR;
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) throw core::DataError(name, "damaged or truncated (not a whole gzip stream)");
  return raw;
}

}  // namespace

ScoreFile decode_scores(std::string_view gz, const std::string& name) {
  const std::string raw = gunzip_bytes(gz, name);
  const std::size_t head = std::strlen(kScoresMagic);
  const bool v2 = raw.size() >= head && raw.compare(0, head, kScoresMagicV2) == 0;
  if (raw.size() < head + 8 || (!v2 && raw.compare(0, head, kScoresMagic) != 0)) throw core::DataError(name, "not an ocbench score file");
  std::uint64_t n = 0, m = 0;
  std::memcpy(&n, raw.data() + head, sizeof n);
  if (n > (raw.size() - head - 8) / 9)
    throw core::DataError(name, fmt::format("score file holds {} bytes, not the {} samples its header says", raw.size(), n));
  const std::size_t test_end = head + 8 + n * 9;
  if (v2) {
    if (raw.size() < test_end + 8) throw core::DataError(name, "score file (v2) ends before its training scores");
    std::memcpy(&m, raw.data() + test_end, sizeof m);
    if (m > (raw.size() - test_end - 8) / 4 || raw.size() != test_end + 8 + m * 4)
      throw core::DataError(name, fmt::format("score file holds {} bytes, not the {} test and {} training samples its header says", raw.size(), n, m));
  } else if (raw.size() != test_end) {
    throw core::DataError(name, fmt::format("score file holds {} bytes, not the {} samples its header says", raw.size(), n));
  }
  ScoreFile s;
  const char* p = raw.data() + head + 8;
  s.source_index.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i, p += 4) {
    std::int32_t v;
    std::memcpy(&v, p, 4);
    if (v < 0) throw core::DataError(name, fmt::format("sample {} has a negative test-set index ({})", i, v));
    s.source_index.push_back(v);
  }
  s.anomaly.assign(p, p + n);
  for (std::uint64_t i = 0; i < n; ++i)
    if (s.anomaly[i] > 1) throw core::DataError(name, fmt::format("sample {} has label {}, expected 0 or 1", i, s.anomaly[i]));
  p += n;
  s.scores.resize(n);
  std::memcpy(s.scores.data(), p, n * sizeof(float));
  if (v2) {
    s.train_scores.resize(m);
    std::memcpy(s.train_scores.data(), p + n * sizeof(float) + 8, m * sizeof(float));
  }
  return s;
}

RepresentationSample decode_representations(std::string_view gz, const std::string& name) {
  const std::string raw = gunzip_bytes(gz, name);
  const std::size_t head = std::strlen(kRepsMagic);
  if (raw.size() < head + 16 || raw.compare(0, head, kRepsMagic) != 0) throw core::DataError(name, "not an ocbench representation file");
  std::uint64_t n = 0, d = 0;
  std::memcpy(&n, raw.data() + head, 8);
  std::memcpy(&d, raw.data() + head + 8, 8);
  const std::size_t body = raw.size() - head - 16;
  if (d == 0 || d > (1u << 16) || n > body / (5 + 4 * d) || body != n * (5 + 4 * d))
    throw core::DataError(name, fmt::format("representation file holds {} bytes, not the {} x {} its header says", raw.size(), n, d));
  RepresentationSample s;
  const char* p = raw.data() + head + 16;
  s.positions.resize(n);
  std::memcpy(s.positions.data(), p, n * 4);
  for (auto v : s.positions)
    if (v < 0) throw core::DataError(name, fmt::format("negative position {}", v));
  p += n * 4;
  s.anomaly.assign(p, p + n);
  for (auto a : s.anomaly)
    if (a > 1) throw core::DataError(name, fmt::format("label {}, expected 0 or 1", a));
  p += n;
  std::vector<float> rows(n * d);
  std::memcpy(rows.data(), p, n * d * sizeof(float));
  s.rows = core::Samples(core::Shape{static_cast<std::int64_t>(n), static_cast<std::int64_t>(d), 1, 1}, std::move(rows));
  return s;
}

}  // namespace ocb::harness

// The results directory of an experiment: one JSON record per finished cell
// (records/<dataset>/<label>/class<k>-seed<s>-<id>.json) and its per-sample
// scores (scores/..., float32, gzip). Every file is written to a temporary
// name, flushed and renamed, so a kill leaves either the old state or the new
// file, never half a record.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/core/atomic_file.hpp"
#include "harness/run/cells.hpp"

namespace ocb::harness {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

struct ScoreFile {
  std::vector<std::int64_t> source_index;  // position in the dataset's test split
  std::vector<std::uint8_t> anomaly;
  std::vector<float> scores;
};

class RecordStore {
 public:
  explicit RecordStore(fs::path dir) : dir_(std::move(dir)) {}
  const fs::path& dir() const { return dir_; }

  fs::path record_path(const Cell& cell) const;
  fs::path scores_path(const Cell& cell) const;  // absolute or relative as dir()
  std::string scores_relpath(const Cell& cell) const;  // relative to dir()

  // Every readable record, by cell id. A record that cannot be parsed is
  // skipped with a warning in `problems` (it will be rerun), never deleted.
  std::map<std::string, Json> load_all(std::vector<std::string>* problems = nullptr) const;

  // Removes the temporary files that writes cut off by a kill left behind
  // (core::remove_stale_temporaries); returns how many. Never touches a
  // record or score file.
  std::size_t remove_orphaned_temporaries(std::chrono::seconds min_age = std::chrono::minutes(10)) const;

  void write_record(const Cell& cell, const Json& record) const;
  void write_scores(const Cell& cell, const ScoreFile& scores) const;
  static ScoreFile read_scores(const fs::path& path);

 private:
  fs::path dir_;
};

}  // namespace ocb::harness

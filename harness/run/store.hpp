// The results directory of an experiment: one JSON record per finished cell
// (records/<dataset>/<label>/class<k>-seed<s>-<id>.json) and its per-sample
// scores (scores/..., float32, gzip). Every file goes through the one atomic
// write path (core/atomic_file.hpp), so a kill leaves either the old state or
// the new file, never half a record. Every record read is checked against
// its schema; one that fails is reported with its path and treated as missing.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/atomic_file.hpp"
#include "harness/run/cells.hpp"
#include "harness/run/record.hpp"

namespace ocb::harness {

namespace fs = std::filesystem;

struct ScoreFile {
  std::vector<std::int64_t> source_index;  // position in the dataset's test split
  std::vector<std::uint8_t> anomaly;
  std::vector<float> scores;
  // The training set's scores (normal samples), for the threshold policies;
  // empty in files written before they were kept (format v1).
  std::vector<float> train_scores;
};

// A sample of a cell's test representations, for t-SNE figures: rows of
// `rows` are the representations of the test samples at `positions` (into the
// score file's arrays), `anomaly` their labels.
struct RepresentationSample {
  std::vector<std::int32_t> positions;
  std::vector<std::uint8_t> anomaly;
  core::Samples rows;  // [n, d]
};
RepresentationSample decode_representations(std::string_view gz, const std::string& name);

// A file under records/ that is not a valid record, and why.
struct RecordProblem {
  fs::path path;
  std::string message;
  std::string str() const { return path.string() + ": " + message; }
};

struct RecordSet {
  std::map<std::string, CellRecord> by_id;  // a valid record per cell id ("ok" preferred over "failed")
  std::map<std::string, fs::path> paths;    // the file each came from
  std::vector<RecordProblem> problems;      // files left out
  const CellRecord* find(const std::string& id) const;
  const CellRecord* ok(const std::string& id) const;  // null unless its status is ok
};

class RecordStore {
 public:
  explicit RecordStore(fs::path dir) : dir_(std::move(dir)) {}
  const fs::path& dir() const { return dir_; }

  fs::path record_path(const Cell& cell) const;
  fs::path scores_path(const Cell& cell) const;  // absolute or relative as dir()
  std::string scores_relpath(const Cell& cell) const;  // relative to dir()

  // Every valid record under records/. Invalid ones are listed in `problems`
  // (never deleted): a reader treats their cells as missing.
  RecordSet load_all() const;

  // Whether the record's score file is there and whole (its gzip trailer
  // gives the size n_test samples need). Cheap: it reads only the file's last
  // bytes. A record that names no score file passes. An absent file is told
  // apart from a damaged one: a checkout holds only some seeds' score files
  // (.gitignore keeps the first seed's), so absence alone is no damage.
  struct ScoreFileCheck {
    enum Kind { fine, absent, damaged } kind = fine;
    std::string message;
  };
  ScoreFileCheck check_score_file(const CellRecord& record) const;

  // Removes the temporary files that writes cut off by a kill left behind
  // (core::remove_stale_temporaries); returns how many. Never touches a
  // record or score file.
  std::size_t remove_orphaned_temporaries(std::chrono::seconds min_age = std::chrono::minutes(10)) const;

  void write_record(const Cell& cell, const CellRecord& record) const;
  // Returns the SHA-256 of the file's decompressed bytes (CellRecord::scores_sha256).
  std::string write_scores(const Cell& cell, const ScoreFile& scores) const;
  fs::path representations_path(const Cell& cell) const;
  std::string representations_relpath(const Cell& cell) const;  // relative to dir()
  void write_representations(const Cell& cell, const RepresentationSample& sample) const;
  // Grad-CAM heatmaps of the most anomalous test samples, in the same format
  // (rows: one flattened [H, W] map each).
  fs::path explanations_path(const Cell& cell) const;
  void write_explanations(const Cell& cell, const RepresentationSample& maps) const;
  static RepresentationSample read_representations(const fs::path& path);
  // Reads and checks a whole score file; throws DataError naming it.
  static ScoreFile read_scores(const fs::path& path);

 private:
  fs::path dir_;
};

// The bytes of a score file (gzip) as samples; throws DataError naming `name`.
ScoreFile decode_scores(std::string_view gz, const std::string& name);

}  // namespace ocb::harness

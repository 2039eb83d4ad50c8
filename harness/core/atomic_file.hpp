// The one write path for everything ocbench keeps on disk (records, score
// files, cache entries, claims, tables): a temporary file in the same folder,
// fsync, rename over the target, fsync of the folder. A kill or a full disk
// leaves either the old file or the new one, never half of one. Temporaries
// are named <target>.tmp.<host>.<pid>.<n>, so that a folder shared by many
// hosts (a cluster's file system) can tell whose leftovers it holds.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "harness/core/error.hpp"

namespace ocb::core {

namespace fs = std::filesystem;

// A failed file-system call, with its errno, so that callers can tell a full
// or read-only disk (stop taking work) from a one-off failure.
class IoError : public Error {
 public:
  IoError(const fs::path& path, std::string_view what, int err);
  const fs::path& path() const { return path_; }
  int err() const { return err_; }
  // ENOSPC, EDQUOT, EROFS: every further write to this disk will fail too.
  bool disk_unusable() const;

 private:
  fs::path path_;
  int err_;
};

// This host's name as temporaries and claims carry it ("unknown" if unset).
const std::string& host_name();

// Writes `bytes` to `path` through the atomic path above; creates missing
// folders. Throws IoError naming the file on any failed call.
void write_file_atomic(const fs::path& path, std::string_view bytes);

// Flushes a folder's entries (after a rename or unlink in it).
void fsync_directory(const fs::path& dir);

// Reads a whole file; throws IoError when it cannot.
std::string read_file(const fs::path& path);

// The parts of a temporary's name, or nothing if `name` is not one.
// Names written before hosts were added (".tmp.<pid>.<n>", ".tmp.<pid>")
// parse with an empty host.
struct TempName {
  std::string host;
  long pid = 0;
};
std::optional<TempName> parse_temp_name(const std::string& name);

// Whether process `pid` runs on this host (a pid we may not signal counts as running).
bool process_alive(long pid);

// Removes the temporaries under `dir` (recursively) whose writer is gone: this
// host's whose process no longer runs (and untouched for `min_age`), and other
// hosts' untouched for `foreign_age`. Returns how many it removed.
std::size_t remove_stale_temporaries(const fs::path& dir, std::chrono::seconds min_age = std::chrono::minutes(10),
                                     std::chrono::seconds foreign_age = std::chrono::hours(24));

// Fails with IoError naming `dir` unless a file can be created in it (the
// folder is created first). Run before any work whose result goes there.
void check_writable(const fs::path& dir);

}  // namespace ocb::core

// Finding, reading and verifying dataset files. A file is named by its
// uncompressed name and accepted on disk as it is, gzip'ed (.gz) or xz'ed
// (.xz); the SHA-256 is checked on the uncompressed bytes actually parsed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ocb::datasets {

namespace fs = std::filesystem;

// Where a file can be downloaded from: a URL, and the member to take when the
// URL is a .tar.gz archive (empty otherwise).
struct Source {
  std::string url;
  std::string member;
};

struct FileSpec {
  std::string name;            // uncompressed file name, e.g. "train-images-idx3-ubyte"
  std::string sha256;          // of the uncompressed content
  std::int64_t size = 0;       // uncompressed bytes
  std::vector<Source> sources; // mirrors, tried in order
};

// The data roots, searched in order: --data-dir, $OCBENCH_DATA, ./data, /usr/share/datasets.
class DataLocator {
 public:
  explicit DataLocator(std::vector<fs::path> roots) : roots_(std::move(roots)) {}
  static DataLocator from_environment(const std::optional<fs::path>& explicit_dir);

  const std::vector<fs::path>& roots() const { return roots_; }
  // First existing root/dir/{name, name.gz, name.xz} over roots x dir_names.
  std::optional<fs::path> find(std::span<const std::string> dir_names, const std::string& name) const;
  // Where downloads go: the first root that is not a system directory.
  fs::path download_root() const;

 private:
  std::vector<fs::path> roots_;
};


// The whole file, decompressed by extension (.gz, .xz); DataError on a corrupt
// or truncated stream.
std::vector<std::uint8_t> read_decompressed(const fs::path& path);
// read_decompressed plus size and SHA-256 checks against spec (DataError naming
// the file, expected and got).
std::vector<std::uint8_t> read_verified(const fs::path& path, const FileSpec& spec);

}  // namespace ocb::datasets

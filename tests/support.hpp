// Helpers shared by the tests: temporary folders, the data root, small
// synthetic samples, and running the ocbench binary.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/core/samples.hpp"

namespace ocb::test {

namespace fs = std::filesystem;

// A fresh folder under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

void write_text(const fs::path& path, const std::string& text);
std::string read_text(const fs::path& path);

// $OCBENCH_DATA, required by the tests that read the real datasets (fails the
// test with a clear message when unset).
fs::path data_root();

// n samples of dimension d around the origin (normal) and, if `outliers` > 0,
// that many far away, labelled 1, appended.
core::LabeledSamples blobs(std::int64_t n, std::int64_t d, std::int64_t outliers, std::uint64_t seed);

// Runs build/ocbench with args (cwd = `cwd`), capturing stdout+stderr.
struct CliResult {
  int exit_code = -1;
  std::string output;
};
CliResult run_ocbench(const std::string& args, const fs::path& cwd = fs::current_path());

}  // namespace ocb::test

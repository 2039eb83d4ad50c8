// Test helpers (support.hpp).
#include "tests/support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "harness/core/rng.hpp"

namespace ocb::test {

TempDir::TempDir() {
  static int counter = 0;
  path_ = fs::temp_directory_path() / ("ocb-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  if (std::getenv("OCB_KEEP_TEST_DIRS")) return;  // for debugging a failing test
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path data_root() {
  const char* env = std::getenv("OCBENCH_DATA");
  if (!env || !*env) FAIL("this test reads the real datasets: set OCBENCH_DATA (scripts/test.sh does)");
  return env;
}

core::LabeledSamples blobs(std::int64_t n, std::int64_t d, std::int64_t outliers, std::uint64_t seed) {
  core::Rng rng(seed);
  const std::int64_t total = n + outliers;
  std::vector<float> values(static_cast<std::size_t>(total * d));
  core::LabeledSamples out;
  for (std::int64_t i = 0; i < total; ++i) {
    const bool far = i >= n;
    for (std::int64_t j = 0; j < d; ++j)
      values[i * d + j] = static_cast<float>(0.1 * rng.normal() + (far ? (j % 2 ? 2.0 : -2.0) : 0.0));
    out.anomaly.push_back(far ? 1 : 0);
    out.original_class.push_back(far ? 1 : 0);
    out.source_index.push_back(i);
  }
  out.x = core::Samples({total, 1, 1, d}, std::move(values));
  return out;
}

CliResult run_ocbench(const std::string& args, const fs::path& cwd) {
  const std::string cmd = "cd '" + cwd.string() + "' && '" + std::string(OCB_BINARY) + "' " + args + " 2>&1";
  CliResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::array<char, 4096> buf{};
  std::size_t got;
  while ((got = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), got);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace ocb::test

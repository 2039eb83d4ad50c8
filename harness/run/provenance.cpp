// Provenance facts (provenance.hpp).
#include "harness/run/provenance.hpp"

#include <Eigen/Core>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string_view>
#include <thread>

#include "harness/config/experiment.hpp"
#include "harness/core/build_info.hpp"
#include "harness/core/runtime.hpp"
#include "harness/core/versions.hpp"

namespace ocb::harness {
namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  return describe_cpu(in);
}

std::string hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

}  // namespace

std::string describe_cpu(std::istream& cpuinfo) {
  std::string line, name, family, model;
  // "key<tabs>: value" lines, one block per logical CPU; the first block is enough.
  auto value = [&line] {
    const auto colon = line.find(':');
    const auto start = colon == std::string::npos ? std::string::npos : line.find_first_not_of(' ', colon + 1);
    return start == std::string::npos ? std::string() : line.substr(start);
  };
  auto key_is = [&line](std::string_view key) {
    if (line.rfind(key, 0) != 0) return false;
    const auto rest = line.find_first_not_of(" \t", key.size());
    return rest != std::string::npos && line[rest] == ':';
  };
  while (std::getline(cpuinfo, line)) {
    if (line.empty() && !name.empty()) break;
    if (name.empty() && key_is("model name")) name = value();
    else if (family.empty() && key_is("cpu family")) family = value();
    else if (model.empty() && key_is("model")) model = value();
  }
  if (name.empty()) return "unknown";
  if (family.empty() || model.empty()) return name;
  return name + " (family " + family + ", model " + model + ")";
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

const nlohmann::ordered_json& provenance() {
  static const nlohmann::ordered_json facts = [] {
    const auto& b = core::build_info();
    nlohmann::ordered_json j;
    j["ocbench_version"] = b.version;
    j["git_commit"] = b.git_commit;
    j["git_dirty"] = b.git_dirty;
    if (b.git_dirty) j["source_diff_sha256"] = b.source_diff_sha256;
    j["compiler"] = b.compiler;
    j["build_type"] = b.build_type;
    auto libs = nlohmann::ordered_json::object();
    for (const auto& [name, version] : core::library_versions()) libs[name] = version;
    libs["eigen"] = fmt::format("{}.{}.{}", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION);
    libs["tomlplusplus"] = tomlplusplus_version();
    libs["blas"] = core::blas_config();
    j["libraries"] = libs;
    j["host"] = hostname();
    j["cpu"] = cpu_model();
    j["hardware_threads"] = std::thread::hardware_concurrency();
    return j;
  }();
  return facts;
}

}  // namespace ocb::harness

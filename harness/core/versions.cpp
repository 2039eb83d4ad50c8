// The library-version table (versions.hpp), created on first use.
#include "harness/core/versions.hpp"

#include <mutex>

namespace ocb::core {
namespace {

std::map<std::string, std::string>& table() {
  static std::map<std::string, std::string> versions;
  return versions;
}

std::mutex& table_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

bool add_library_version(const std::string& library, const std::string& version) noexcept {
  try {
    std::lock_guard lock(table_mutex());
    table()[library] = version;
    return true;
  } catch (...) {
    return false;
  }
}

std::map<std::string, std::string> library_versions() {
  std::lock_guard lock(table_mutex());
  return table();
}

}  // namespace ocb::core

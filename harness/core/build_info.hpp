// What binary produced a record: version, git commit and compiler, filled in at
// build time by cmake/write_build_info.cmake.
#pragma once

#include <string>

namespace ocb::core {

struct BuildInfo {
  std::string version;
  std::string git_commit;
  bool git_dirty = false;         // source code (not results or documents) differed from the commit
  std::string source_diff_sha256; // of that difference, when dirty
  std::string compiler;
  std::string build_type;
};

const BuildInfo& build_info();

}  // namespace ocb::core

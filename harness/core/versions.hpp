// Library versions for run records. Each component that links a third-party
// library adds its version at static initialisation (methods/ocsvm adds
// LIBSVM's, methods/common adds LibTorch's), so the harness reports what was
// really linked without including those libraries itself.
#pragma once

#include <map>
#include <string>

namespace ocb::core {

bool add_library_version(const std::string& library, const std::string& version) noexcept;
std::map<std::string, std::string> library_versions();

}  // namespace ocb::core

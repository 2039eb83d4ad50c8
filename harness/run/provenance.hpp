// What every record says about where it was produced: ocbench version and git
// commit, library versions, host, CPU and threads.
#pragma once

#include <nlohmann/json.hpp>

namespace ocb::harness {

// Computed once per process.
const nlohmann::ordered_json& provenance();
// UTC time as ISO 8601.
std::string utc_now();

}  // namespace ocb::harness

// What every record says about where it was produced: ocbench version and git
// commit, library versions, host, CPU and threads.
#pragma once

#include <nlohmann/json.hpp>

#include <istream>
#include <string>

namespace ocb::harness {

// The CPU as a record names it, from /proc/cpuinfo's text: the first "model
// name", followed on x86 by "(family F, model M)". A virtual machine may show
// only "AMD EPYC" for CPUs of different generations (Zen 4 is family 25, Zen 5
// family 26), whose timings must not be mixed up. "unknown" when there is none.
std::string describe_cpu(std::istream& cpuinfo);

// Computed once per process.
const nlohmann::ordered_json& provenance();
// UTC time as ISO 8601.
std::string utc_now();

}  // namespace ocb::harness

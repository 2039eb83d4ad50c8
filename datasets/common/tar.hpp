// Reading the members of a POSIX (ustar) tar archive held in memory, so
// archived datasets (GTSRB) are read without unpacking them to disk.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>

namespace ocb::datasets {

// Regular files by path; the spans point into `archive`. DataError (naming
// `name`) on a malformed header.
std::map<std::string, std::span<const std::uint8_t>> tar_members(std::span<const std::uint8_t> archive, const std::string& name);

}  // namespace ocb::datasets

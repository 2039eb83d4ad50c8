// SHA-256 in hex: dataset checksums, cell ids, cache keys.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ocb::core {

std::string sha256_hex(std::span<const std::uint8_t> bytes);
std::string sha256_hex(std::string_view text);

}  // namespace ocb::core

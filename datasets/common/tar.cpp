// ustar parsing (tar.hpp): 512-byte headers, octal sizes, name + prefix fields.
#include "datasets/common/tar.hpp"

#include <algorithm>
#include <cstring>

#include "harness/core/error.hpp"

namespace ocb::datasets {
namespace {

std::string field(const std::uint8_t* h, std::size_t off, std::size_t len) {
  const char* p = reinterpret_cast<const char*>(h + off);
  return std::string(p, strnlen(p, len));
}

}  // namespace

std::map<std::string, std::span<const std::uint8_t>> tar_members(std::span<const std::uint8_t> archive, const std::string& name) {
  std::map<std::string, std::span<const std::uint8_t>> out;
  std::size_t at = 0;
  while (at + 512 <= archive.size()) {
    const std::uint8_t* h = archive.data() + at;
    if (std::all_of(h, h + 512, [](std::uint8_t b) { return b == 0; })) break;  // end of archive
    unsigned sum = 0;
    for (int i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : h[i];
    if (std::strtoul(field(h, 148, 8).c_str(), nullptr, 8) != sum)
      throw core::DataError(name, fmt::format("corrupt tar header at byte {}", at));
    const std::size_t size = std::strtoull(field(h, 124, 12).c_str(), nullptr, 8);
    std::string path = field(h, 0, 100);
    if (field(h, 257, 6).rfind("ustar", 0) == 0) {
      const std::string prefix = field(h, 345, 155);
      if (!prefix.empty()) path = prefix + "/" + path;
    }
    const char type = static_cast<char>(h[156]);
    if (size > archive.size() - at - 512) throw core::DataError(name, fmt::format("truncated tar member {}", path));
    if (type == '0' || type == '\0') out[path] = archive.subspan(at + 512, size);
    at += 512 + (size + 511) / 512 * 512;
  }
  return out;
}

}  // namespace ocb::datasets

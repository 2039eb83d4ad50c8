// Adversarial artefact I/O (adversarial_file.hpp). Format: "ocbench-adversarial-v1\n",
// a little-endian uint32 count, then per image a 32-byte source file name
// (NUL-padded) and 3072 pixel bytes (channel-first).
#include "datasets/gtsrb/adversarial_file.hpp"

#include <unistd.h>

#include <cstring>
#include <fstream>

#include "harness/core/atomic_file.hpp"
#include "harness/core/error.hpp"
#include "harness/core/hash.hpp"

namespace ocb::datasets::gtsrb {
namespace {
constexpr char kMagic[] = "ocbench-adversarial-v1\n";
constexpr std::size_t kName = 32, kImage = 3 * 32 * 32;
}  // namespace

AdversarialSet read_adversarial_set(const DataLocator& locator, const std::string& name, const std::string& expected) {
  const std::vector<std::string> dirs{"gtsrb_adversarial"};
  const auto path = locator.find(dirs, name + ".adv");
  if (!path)
    throw core::DataError(name + ".adv", "adversarial set not found in <data root>/gtsrb_adversarial/; make it with "
                                         "`ocbench data make-adversarial` (the experiment's name and seed give the same bytes)");
  const auto bytes = read_decompressed(*path);
  const std::string sha = core::sha256_hex(bytes);
  if (!expected.empty() && sha != expected)
    throw core::DataError(path->string(), fmt::format("sha256 is {}, the experiment expects {} (remade with other "
                                                      "settings or on another machine?)", sha, expected));
  AdversarialSet s = parse_adversarial_set(bytes, path->string());
  s.file_name = name + ".adv";
  s.sha256 = sha;
  return s;
}

AdversarialSet parse_adversarial_set(std::span<const std::uint8_t> bytes, const std::string& name) {
  const std::size_t head = std::strlen(kMagic);
  if (bytes.size() < head + 4 || std::memcmp(bytes.data(), kMagic, head) != 0)
    throw core::DataError(name, "not an ocbench adversarial set");
  std::uint32_t n = 0;
  std::memcpy(&n, bytes.data() + head, 4);
  if (bytes.size() != head + 4 + std::size_t{n} * (kName + kImage))
    throw core::DataError(name, fmt::format("{} bytes, {} images need {}", bytes.size(), n, head + 4 + std::size_t{n} * (kName + kImage)));
  AdversarialSet s;
  const std::uint8_t* p = bytes.data() + head + 4;
  for (std::uint32_t i = 0; i < n; ++i, p += kName + kImage) {
    s.source_files.emplace_back(reinterpret_cast<const char*>(p), strnlen(reinterpret_cast<const char*>(p), kName));
    s.images.pixels.insert(s.images.pixels.end(), p + kName, p + kName + kImage);
    s.images.labels.push_back(43);
  }
  s.images.shape = {static_cast<std::int64_t>(n), 3, 32, 32};
  return s;
}

std::string write_adversarial_set(const std::filesystem::path& dir, const std::string& name, const ImageSet& images,
                                  const std::vector<std::string>& source_files) {
  OCB_CHECK(static_cast<std::int64_t>(source_files.size()) == images.shape.n, "one source file per image");
  std::string bytes(kMagic);
  const auto n = static_cast<std::uint32_t>(images.shape.n);
  bytes.append(reinterpret_cast<const char*>(&n), 4);
  for (std::uint32_t i = 0; i < n; ++i) {
    std::string fname = source_files[i].substr(0, kName);
    fname.resize(kName, '\0');
    bytes += fname;
    bytes.append(reinterpret_cast<const char*>(images.pixels.data() + i * kImage), kImage);
  }
  core::write_file_atomic(dir / (name + ".adv"), bytes);
  return core::sha256_hex(bytes);
}

}  // namespace ocb::datasets::gtsrb

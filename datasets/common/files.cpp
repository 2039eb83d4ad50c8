// Data roots, decompression (zlib, liblzma) and SHA-256 checks (OpenSSL).
#include "datasets/common/files.hpp"

#include <lzma.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <fstream>

#include "harness/core/error.hpp"
#include "harness/core/hash.hpp"

namespace ocb::datasets {

using core::DataError;

DataLocator DataLocator::from_environment(const std::optional<fs::path>& explicit_dir) {
  std::vector<fs::path> roots;
  if (explicit_dir) roots.push_back(*explicit_dir);
  if (const char* env = std::getenv("OCBENCH_DATA"); env && *env) roots.emplace_back(env);
  roots.emplace_back("data");
  roots.emplace_back("/usr/share/datasets");
  return DataLocator(std::move(roots));
}

std::optional<fs::path> DataLocator::find(std::span<const std::string> dir_names, const std::string& name) const {
  for (const auto& root : roots_)
    for (const auto& dir : dir_names)
      for (const char* ext : {"", ".gz", ".xz"}) {
        fs::path p = root / dir / (name + ext);
        std::error_code ec;
        if (fs::is_regular_file(p, ec)) return p;
      }
  return std::nullopt;
}

fs::path DataLocator::download_root() const {
  for (const auto& root : roots_)
    if (root != "/usr/share/datasets") return root;
  return "data";
}

namespace {

std::vector<std::uint8_t> read_raw(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path.string(), "cannot open file");
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw DataError(path.string(), "read error");
  return bytes;
}

std::vector<std::uint8_t> gunzip(const fs::path& path, std::span<const std::uint8_t> in) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) throw DataError(path.string(), "zlib initialisation failed");
  std::vector<std::uint8_t> out;
  std::vector<std::uint8_t> chunk(1 << 20);
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = chunk.data();
    zs.avail_out = static_cast<uInt>(chunk.size());
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      throw DataError(path.string(), rc == Z_BUF_ERROR ? "truncated gzip stream (the file is incomplete)"
                                                       : fmt::format("corrupt gzip stream (zlib error {})", rc));
    }
    out.insert(out.end(), chunk.data(), chunk.data() + (chunk.size() - zs.avail_out));
  }
  inflateEnd(&zs);
  return out;
}

std::vector<std::uint8_t> unxz(const fs::path& path, std::span<const std::uint8_t> in) {
  lzma_stream zs = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&zs, UINT64_MAX, 0) != LZMA_OK) throw DataError(path.string(), "liblzma initialisation failed");
  std::vector<std::uint8_t> out;
  std::vector<std::uint8_t> chunk(1 << 20);
  zs.next_in = in.data();
  zs.avail_in = in.size();
  lzma_ret rc = LZMA_OK;
  while (rc != LZMA_STREAM_END) {
    zs.next_out = chunk.data();
    zs.avail_out = chunk.size();
    rc = lzma_code(&zs, zs.avail_in == 0 ? LZMA_FINISH : LZMA_RUN);
    if (rc != LZMA_OK && rc != LZMA_STREAM_END) {
      lzma_end(&zs);
      throw DataError(path.string(), rc == LZMA_BUF_ERROR ? "truncated xz stream (the file is incomplete)"
                                                          : fmt::format("corrupt xz stream (liblzma error {})",
                                                                        static_cast<int>(rc)));
    }
    out.insert(out.end(), chunk.data(), chunk.data() + (chunk.size() - zs.avail_out));
  }
  lzma_end(&zs);
  return out;
}

}  // namespace

std::vector<std::uint8_t> read_decompressed(const fs::path& path) {
  auto raw = read_raw(path);
  const auto ext = path.extension();
  if (ext == ".gz") return gunzip(path, raw);
  if (ext == ".xz") return unxz(path, raw);
  return raw;
}

std::vector<std::uint8_t> read_verified(const fs::path& path, const FileSpec& spec) {
  auto bytes = read_decompressed(path);
  if (static_cast<std::int64_t>(bytes.size()) != spec.size)
    throw DataError(path.string(), fmt::format("expected {} bytes of {} content, got {} (truncated or not the "
                                               "canonical file; delete it and run `ocbench data fetch`)",
                                               spec.size, spec.name, bytes.size()));
  const std::string got = core::sha256_hex(bytes);
  if (got != spec.sha256)
    throw DataError(path.string(), fmt::format("sha256 of the content is {}, expected {} (corrupt or not the "
                                               "canonical file; delete it and run `ocbench data fetch`)",
                                               got, spec.sha256));
  return bytes;
}

}  // namespace ocb::datasets

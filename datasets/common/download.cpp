// Downloads with the curl command-line tool (present on Debian, no extra
// library); archives are unpacked with tar. Nothing unverified reaches the
// data root: files are checked in a temporary folder and renamed into place.
#include "datasets/common/download.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "harness/core/error.hpp"

namespace ocb::datasets {
namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool run(const std::string& command) {
  const int rc = std::system(command.c_str());
  return rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0;
}

bool fetch_url(const std::string& url, const fs::path& out) {
  return run(fmt::format("curl -fsSL --retry 2 --connect-timeout 20 -o {} {} 2>/dev/null", shell_quote(out.string()),
                         shell_quote(url)));
}

}  // namespace

std::optional<fs::path> download_file(const DatasetInfo& info, const FileSpec& spec, const fs::path& root,
                                      std::vector<std::string>& errors) {
  std::vector<Source> sources;
  if (const char* mirror = std::getenv("OCBENCH_DATA_MIRROR"); mirror && *mirror)
    for (const char* ext : {".gz", ".xz", ""})
      sources.push_back({fmt::format("{}/{}/{}{}", mirror, info.dir_names.front(), spec.name, ext), ""});
  sources.insert(sources.end(), spec.sources.begin(), spec.sources.end());

  const fs::path dir = root / info.dir_names.front();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    errors.push_back(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
    return std::nullopt;
  }
  const fs::path tmp = dir / fmt::format(".download-{}", ::getpid());
  fs::create_directories(tmp, ec);
  for (const auto& source : sources) {
    fs::remove_all(tmp, ec);
    fs::create_directories(tmp, ec);
    const bool archive = !source.member.empty();
    std::string ext = archive ? "" : fs::path(source.url).extension().string();
    if (ext != ".gz" && ext != ".xz") ext.clear();
    // Archives hold several files of a dataset: keep one copy for the whole
    // load (load_dataset removes the folder when it is done).
    const fs::path fetched = archive ? dir / ".downloads" / fs::path(source.url).filename() : tmp / (spec.name + ext);
    if (archive) fs::create_directories(fetched.parent_path(), ec);
    if (!(archive && fs::exists(fetched)) && !fetch_url(source.url, fetched)) {
      fs::remove(fetched, ec);
      errors.push_back(fmt::format("{}: download failed", source.url));
      continue;
    }
    fs::path candidate = fetched;
    if (archive) {
      if (!run(fmt::format("tar -xzf {} -C {} {} 2>/dev/null", shell_quote(fetched.string()), shell_quote(tmp.string()),
                           shell_quote(source.member)))) {
        errors.push_back(fmt::format("{}: archive has no member {}", source.url, source.member));
        continue;
      }
      candidate = tmp / source.member;
    }
    try {
      read_verified(candidate, spec);
    } catch (const core::DataError& e) {
      errors.push_back(fmt::format("{}: {}", source.url, e.what()));
      continue;
    }
    const fs::path final_path = dir / (spec.name + (archive ? "" : ext));
    fs::rename(candidate, final_path, ec);
    fs::remove_all(tmp, ec);
    if (!ec) return final_path;
  }
  fs::remove_all(tmp, ec);
  return std::nullopt;
}

}  // namespace ocb::datasets

// The atomic write path and the clean-up of temporaries (atomic_file.hpp).
#include "harness/core/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

namespace ocb::core {
namespace {

std::string temp_path(const fs::path& path) {
  static std::atomic<std::uint64_t> counter{0};
  return fmt::format("{}.tmp.{}.{}.{}", path.string(), host_name(), ::getpid(), counter++);
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// Closes a descriptor on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

IoError::IoError(const fs::path& path, std::string_view what, int err)
    : Error(fmt::format("{}: {}: {}", path.string(), what, std::strerror(err))), path_(path), err_(err) {}

bool IoError::disk_unusable() const { return err_ == ENOSPC || err_ == EDQUOT || err_ == EROFS; }

const std::string& host_name() {
  static const std::string name = [] {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return std::string("unknown");
    std::string h(buf);
    // Only characters that are safe in a file name and parse back unambiguously.
    for (char& c : h)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') c = '-';
    return h;
  }();
  return name;
}

void fsync_directory(const fs::path& dir) {
  Fd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) throw IoError(dir, "cannot open the folder to flush it", errno);
  if (::fsync(fd.get()) != 0 && errno != EINVAL) throw IoError(dir, "cannot flush the folder", errno);
}

void write_file_atomic(const fs::path& path, std::string_view bytes) {
  const fs::path dir = path.parent_path();
  if (!dir.empty()) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw IoError(dir, "cannot create the folder", ec.value());
  }
  const std::string tmp = temp_path(path);
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (fd.get() < 0) throw IoError(path, "cannot create a temporary file beside it", errno);
  auto fail = [&](std::string_view what, int err) {
    ::close(fd.release());
    ::unlink(tmp.c_str());
    throw IoError(path, what, err);
  };
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t w = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      fail("write failed", errno);
    }
    done += static_cast<std::size_t>(w);
  }
  if (::fsync(fd.get()) != 0) fail("fsync failed", errno);
  if (::close(fd.release()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw IoError(path, "close failed", err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw IoError(path, "cannot rename the temporary file into place", err);
  }
  fsync_directory(dir);
}

std::string read_file(const fs::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw IoError(path, "cannot open", errno);
  std::string out;
  char buf[1 << 16];
  for (;;) {
    const ssize_t r = ::read(fd.get(), buf, sizeof buf);
    if (r < 0) {
      if (errno == EINTR) continue;
      throw IoError(path, "read failed", errno);
    }
    if (r == 0) break;
    out.append(buf, static_cast<std::size_t>(r));
  }
  return out;
}

std::optional<TempName> parse_temp_name(const std::string& name) {
  const auto at = name.rfind(".tmp.");
  if (at == std::string::npos) return std::nullopt;
  // What follows ".tmp.": "<host>.<pid>.<n>", or the older "<pid>.<n>" and "<pid>".
  std::vector<std::string> parts;
  const std::string tail = name.substr(at + 5);
  std::size_t start = 0;
  for (std::size_t dot; (dot = tail.find('.', start)) != std::string::npos; start = dot + 1)
    parts.push_back(tail.substr(start, dot - start));
  parts.push_back(tail.substr(start));
  TempName t;
  const auto n = parts.size();
  if (n == 1 && all_digits(parts[0])) {
    t.pid = std::stol(parts[0]);
    return t;
  }
  if (n == 2 && all_digits(parts[0]) && all_digits(parts[1])) {
    t.pid = std::stol(parts[0]);
    return t;
  }
  if (n >= 3 && all_digits(parts[n - 1]) && all_digits(parts[n - 2])) {
    for (std::size_t i = 0; i + 2 < n; ++i) t.host += (i ? "." : "") + parts[i];
    if (t.host.empty()) return std::nullopt;
    t.pid = std::stol(parts[n - 2]);
    return t;
  }
  return std::nullopt;
}

bool process_alive(long pid) {
  if (pid <= 0 || pid > 0x7fffffffL) return false;
  if (pid == ::getpid()) return true;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

std::size_t remove_stale_temporaries(const fs::path& dir, std::chrono::seconds min_age, std::chrono::seconds foreign_age) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return 0;
  const auto now = fs::file_time_type::clock::now();
  std::vector<fs::path> stale;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const auto t = parse_temp_name(it->path().filename().string());
    if (!t) continue;
    const auto age = now - it->last_write_time(ec);
    if (ec) continue;
    // A host-less name comes from a version of ocbench that ran on one host only.
    const bool mine = t->host.empty() || t->host == host_name();
    if (mine ? !process_alive(t->pid) && age >= min_age : age >= foreign_age) stale.push_back(it->path());
  }
  std::size_t removed = 0;
  for (const auto& p : stale) removed += fs::remove(p, ec) ? 1 : 0;
  return removed;
}

void check_writable(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IoError(dir, "cannot create the folder", ec.value());
  // One name per process: several runs may check one shared folder at once.
  const fs::path probe = dir / fmt::format(".ocbench-write-test.{}.{}", host_name(), ::getpid());
  write_file_atomic(probe, "ocbench checks that this folder is writable\n");
  if (::unlink(probe.c_str()) != 0) throw IoError(dir, "cannot remove a file", errno);
}

}  // namespace ocb::core

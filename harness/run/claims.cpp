// Cell claims in a shared results folder (claims.hpp).
#include "harness/run/claims.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>

#include "harness/core/atomic_file.hpp"
#include "harness/core/json_integer.hpp"
#include "harness/run/provenance.hpp"

namespace ocb::harness {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string slurm_job_of_this_process() {
  const std::string array = env("SLURM_ARRAY_JOB_ID"), task = env("SLURM_ARRAY_TASK_ID");
  if (!array.empty() && !task.empty()) return array + "_" + task;
  return env("SLURM_JOB_ID");
}

// A token that tells this process's claims from those of an earlier process
// that had the same pid.
const std::string& process_token() {
  static const std::string token = [] {
    std::random_device rd;
    return fmt::format("{:016x}", (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^ static_cast<std::uint64_t>(::getpid()));
  }();
  return token;
}

std::string temp_beside(const fs::path& p) {
  static std::atomic<std::uint64_t> n{0};
  return fmt::format("{}.tmp.{}.{}.{}", p.string(), core::host_name(), ::getpid(), n++);
}

struct Parsed {
  ClaimOwner owner;
  std::string token;
};

std::optional<Parsed> read_claim(const fs::path& p) {
  std::error_code ec;
  const auto mtime = fs::last_write_time(p, ec);
  if (ec) return std::nullopt;  // gone
  Parsed out;
  out.owner.renewed = mtime;
  try {
    const auto j = nlohmann::json::parse(core::read_file(p));
    out.owner.host = j.at("host").get<std::string>();
    out.owner.pid = core::json_integer<long>(j.at("pid"), "pid");
    out.owner.slurm_job = j.value("slurm_job", "");
    out.owner.started_at = j.value("started_at", "");
    out.token = j.value("token", "");
  } catch (const std::exception&) {
    // Unreadable: it has no owner that could renew it; it expires with its lease.
  }
  return out;
}

}  // namespace

std::string ClaimOwner::describe() const {
  std::string s = fmt::format("{}:{}", host.empty() ? "?" : host, pid);
  if (!slurm_job.empty()) s += " (Slurm job " + slurm_job + ")";
  return s;
}

ClaimOwner ClaimBoard::self() {
  ClaimOwner o;
  o.host = core::host_name();
  o.pid = ::getpid();
  o.slurm_job = slurm_job_of_this_process();
  o.started_at = utc_now();
  return o;
}

ClaimBoard::ClaimBoard(fs::path results_dir, std::chrono::seconds lease) : dir_(results_dir / "claims"), lease_(lease) {
  const ClaimOwner me = self();
  self_json_ = nlohmann::json{{"host", me.host}, {"pid", me.pid}, {"slurm_job", me.slurm_job}, {"started_at", me.started_at},
                              {"token", process_token()}}
                   .dump() +
               "\n";
}

ClaimBoard::~ClaimBoard() {
  try {
    release_all();
  } catch (...) {
  }
}

fs::path ClaimBoard::path_of(const std::string& cell_id) const { return dir_ / (cell_id + ".claim"); }

bool ClaimBoard::claim(const std::string& cell_id) {
  std::lock_guard lock(m_);
  const fs::path path = path_of(cell_id);
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw core::IoError(dir_, "cannot create the claims folder", ec.value());
  for (int attempt = 0; attempt < 4; ++attempt) {
    const std::string tmp = temp_beside(path);
    core::write_file_atomic(tmp, self_json_);
    const int rc = ::link(tmp.c_str(), path.c_str());
    const int err = errno;
    ::unlink(tmp.c_str());
    if (rc == 0) {
      core::fsync_directory(dir_);
      held_.insert(cell_id);
      return true;
    }
    if (err != EEXIST) throw core::IoError(path, "cannot create the claim", err);
    const auto existing = read_claim(path);
    if (!existing) continue;  // released in between: try again
    if (existing->token == process_token()) {
      held_.insert(cell_id);
      return true;
    }
    if (live(existing->owner)) return false;
    if (!take_over(cell_id, existing->owner)) return false;
  }
  return false;
}

bool ClaimBoard::take_over(const std::string& cell_id, const ClaimOwner& stale) {
  const fs::path path = path_of(cell_id);
  const fs::path aside = fs::path(temp_beside(path)).replace_extension(".stale");
  if (::rename(path.c_str(), aside.c_str()) != 0) return errno == ENOENT;  // someone else moved it: look again
  // Make sure what was moved is the stale claim, not one made in between.
  const auto moved = read_claim(aside);
  const bool same = moved && moved->owner.host == stale.host && moved->owner.pid == stale.pid &&
                    moved->owner.started_at == stale.started_at;
  if (!same) {
    // Put the fresh claim back (unless yet another claim appeared: then it is theirs).
    if (::link(aside.c_str(), path.c_str()) != 0 && errno != EEXIST) throw core::IoError(path, "cannot restore a claim", errno);
    ::unlink(aside.c_str());
    return false;
  }
  ::unlink(aside.c_str());
  return true;
}

void ClaimBoard::release(const std::string& cell_id) {
  std::lock_guard lock(m_);
  if (!held_.erase(cell_id)) return;
  const fs::path path = path_of(cell_id);
  const auto c = read_claim(path);
  if (c && c->token == process_token()) {
    ::unlink(path.c_str());
    core::fsync_directory(dir_);
  }
}

void ClaimBoard::release_all() {
  std::set<std::string> held;
  {
    std::lock_guard lock(m_);
    held = held_;
  }
  for (const auto& id : held) release(id);
}

void ClaimBoard::renew() {
  std::lock_guard lock(m_);
  for (auto it = held_.begin(); it != held_.end();) {
    const fs::path path = path_of(*it);
    const auto c = read_claim(path);
    if (!c || c->token != process_token()) {
      // Taken over (this process stalled past its lease): no longer ours.
      it = held_.erase(it);
      continue;
    }
    ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);
    ++it;
  }
}

std::optional<ClaimOwner> ClaimBoard::owner(const std::string& cell_id) const {
  const auto c = read_claim(path_of(cell_id));
  if (!c) return std::nullopt;
  return c->owner;
}

std::map<std::string, ClaimOwner> ClaimBoard::all() const {
  std::map<std::string, ClaimOwner> out;
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir_, ec)) {
    if (e.path().extension() != ".claim") continue;
    if (auto c = read_claim(e.path())) out[e.path().stem().string()] = c->owner;
  }
  return out;
}

bool ClaimBoard::live(const ClaimOwner& o) const {
  if (o.host.empty()) return fs::file_time_type::clock::now() - o.renewed < std::chrono::minutes(1);
  if (o.host == core::host_name()) return core::process_alive(o.pid);
  if (!o.slurm_job.empty())
    if (auto alive = slurm_job_alive(o.slurm_job); alive && !*alive) return false;
  return fs::file_time_type::clock::now() - o.renewed < lease_;
}

std::optional<bool> slurm_job_alive(const std::string& id) {
  if (id.empty() || id.find_first_not_of("0123456789_") != std::string::npos) return std::nullopt;
  static std::mutex m;
  static std::map<std::string, std::pair<std::chrono::steady_clock::time_point, bool>> cache;
  std::lock_guard lock(m);
  const auto now = std::chrono::steady_clock::now();
  if (auto it = cache.find(id); it != cache.end() && now - it->second.first < std::chrono::seconds(30)) return it->second.second;
  FILE* p = ::popen(("squeue -h -o %T -j " + id + " 2>/dev/null").c_str(), "r");
  if (!p) return std::nullopt;
  std::string out;
  char buf[256];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  const int rc = ::pclose(p);
  if (rc != 0) {
    // squeue exits non-zero for a job it no longer knows ("Invalid job id"), and also when it
    // cannot reach the controller; only the first means gone, and the lease covers the second.
    return std::nullopt;
  }
  const bool alive = out.find_first_not_of(" \n") != std::string::npos;
  cache[id] = {now, alive};
  return alive;
}

}  // namespace ocb::harness

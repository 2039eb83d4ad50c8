// Claims on cells in a shared results folder, so that any number of `ocbench
// run` processes (sharded or not, on one host or many hosts sharing a file
// system, inside Slurm jobs or not) never run the same cell twice. Before a
// worker runs a cell it claims it: claims/<cell id>.claim, created by link(),
// which is atomic on local and network file systems alike, holding who owns
// it. The owner keeps a lease by touching its claims; a claim whose owner is
// gone is taken over (same host: its process has ended; any host: its Slurm
// job no longer runs, or the lease has not been renewed in time).
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ocb::harness {

namespace fs = std::filesystem;

struct ClaimOwner {
  std::string host;
  long pid = 0;
  std::string slurm_job;       // "<array job>_<task>" or "<job>", "" outside Slurm
  std::string started_at;      // UTC
  fs::file_time_type renewed;  // the claim file's modification time
  std::string describe() const;  // "host:pid" or "host:pid (Slurm job 12_3)"
};

class ClaimBoard {
 public:
  // `lease`: how long a claim of another host stays valid without renewal.
  explicit ClaimBoard(fs::path results_dir, std::chrono::seconds lease = std::chrono::minutes(10));
  ~ClaimBoard();
  ClaimBoard(const ClaimBoard&) = delete;
  ClaimBoard& operator=(const ClaimBoard&) = delete;

  // True if this process now holds the claim (fresh, or taken over from a
  // gone owner); false if a live owner holds it. Throws core::IoError when
  // the folder cannot be written.
  bool claim(const std::string& cell_id);
  void release(const std::string& cell_id);
  // Releases every claim this process holds (on SIGTERM); safe to call from
  // any thread, once the workers take no new cells.
  void release_all();
  // Touches this process's claims (the lease). Called periodically.
  void renew();

  // The current owner of a cell's claim, if any (whether live or not).
  std::optional<ClaimOwner> owner(const std::string& cell_id) const;
  // Every claim in the folder, by cell id.
  std::map<std::string, ClaimOwner> all() const;
  // Whether an owner still counts (its process or job runs, its lease holds).
  bool live(const ClaimOwner& o) const;

  const fs::path& dir() const { return dir_; }
  std::chrono::seconds lease() const { return lease_; }

  // This process as a claim owner.
  static ClaimOwner self();

 private:
  fs::path path_of(const std::string& cell_id) const;
  bool take_over(const std::string& cell_id, const ClaimOwner& stale);
  fs::path dir_;
  std::chrono::seconds lease_;
  mutable std::mutex m_;
  std::set<std::string> held_;
  std::string self_json_;
};

// Whether Slurm says job `id` ("123" or "123_4") is still pending or running;
// nothing if Slurm cannot be asked (no squeue on PATH, or it failed).
std::optional<bool> slurm_job_alive(const std::string& id);

}  // namespace ocb::harness

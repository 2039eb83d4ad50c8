// What a method gets to know about the cell it runs in: seeds (one stream per
// purpose), thread budget, device, a cache directory for shared stages, a log,
// phase timers, and a Report where it leaves facts for the run record.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace ocb::core {

class Rendezvous;
class SharedResults;

// The devices a cell runs on: the CPU; CUDA with LibTorch's defaults (cuDNN
// may run float32 convolutions in TF32); CUDA in float32 throughout. The
// name is part of every record's numerics signature.
inline const std::vector<std::string>& known_devices() {
  static const std::vector<std::string> names{"cpu", "cuda", "cuda-fp32"};
  return names;
}
inline bool is_cuda_device(std::string_view device) { return device == "cuda" || device == "cuda-fp32"; }

struct CellInfo {
  std::string label;    // the experiment's name for the method column
  std::string method;   // plugin id
  std::string dataset;  // dataset id
  int normal_class = 0;
  std::uint64_t seed = 0;
  // Identifies the data (files, options, preprocessing, subsampling): part
  // of the cell's identity.
  std::string data_key;
  // Identifies the training inputs alone: data_key without the options that
  // change only the test set (e.g. which adversarial set), so stages that see
  // only training data (pretraining) are shared by cells that differ in the
  // test set. Two cells with equal train_key and seed train on identical inputs.
  std::string train_key;
  std::string describe() const;  // "'ocsvm' on mnist class 3 seed 7"
};

// A training phase's loss and time per epoch.
struct TrainingCurve {
  std::vector<double> epoch_loss;
  std::vector<double> epoch_seconds;  // empty in records made before they were kept
  double seconds = 0.0;
};

// How spread out a learned representation is: the spread of the training
// samples' distances to the centre, relative to the centre's scale; a
// collapse (every sample mapped to one point) is flagged.
struct RepresentationFacts {
  double spread = 0.0;
  bool collapse_suspected = false;
};

// The facts the harness itself reads (the gate, the plots): typed.
class Facts {
 public:
  void curve(const std::string& phase, TrainingCurve c);
  void representation(RepresentationFacts r) { representation_ = r; }
  const std::vector<std::pair<std::string, TrainingCurve>>& curves() const { return curves_; }
  const std::optional<RepresentationFacts>& representation() const { return representation_; }

 private:
  std::vector<std::pair<std::string, TrainingCurve>> curves_;
  std::optional<RepresentationFacts> representation_;
};

// Other facts a method reports about its run, free form (they go into the
// record for people to read). Dotted keys nest in the record's JSON.
class Report {
 public:
  using Value = std::variant<bool, std::int64_t, double, std::string, std::vector<double>, std::vector<std::string>>;
  void set(std::string key, Value value);
  const std::vector<std::pair<std::string, Value>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, Value>> entries_;
};

class RunContext {
 public:
  using LogSink = std::function<void(std::string_view)>;
  // `sink` gets the progress log (shown with --verbose), `warn_sink` the warnings.
  RunContext(CellInfo cell, int threads, std::string device, std::filesystem::path cache_dir, LogSink sink,
             LogSink warn_sink = {});

  const CellInfo& cell() const { return cell_; }
  std::uint64_t seed() const { return cell_.seed; }
  std::uint64_t seed_for(std::string_view stream) const;
  int threads() const { return threads_; }
  const std::string& device() const { return device_; }
  const std::filesystem::path& cache_dir() const { return cache_dir_; }
  Report& report() { return report_; }
  // What besides the parameters and seed decides a result in this process
  // (threads, device, the pinned kernel families): cached stages key on it.
  const std::string& numerics_key() const { return numerics_key_; }
  void set_numerics_key(std::string key) { numerics_key_ = std::move(key); }
  Facts& facts() { return facts_; }
  // Where this cell's trainings may meet other cells' to run as one batched
  // network (`run --batch`); null when they train alone.
  Rendezvous* rendezvous() const { return rendezvous_; }
  void set_rendezvous(Rendezvous* r) { rendezvous_ = r; }
  // Results shared with the other cells of this run (shared_results.hpp);
  // null when a cell computes everything itself.
  SharedResults* shared() const { return shared_; }
  void set_shared(SharedResults* s) { shared_ = s; }
  void log(std::string_view message) const;
  // A problem the cell worked around (a damaged cache entry, say): always
  // printed, and kept in the record's method_report under "warnings".
  void warn(const std::string& message);

  // Times a named phase from construction to destruction; repeated phases add up.
  class Phase {
   public:
    Phase(RunContext& ctx, std::string name);
    Phase(const Phase&) = delete;
    Phase& operator=(const Phase&) = delete;
    ~Phase();

   private:
    RunContext& ctx_;
    std::string name_;
    std::chrono::steady_clock::time_point start_;
  };
  Phase phase(std::string name) { return Phase(*this, std::move(name)); }
  void add_time(const std::string& phase, double seconds);
  const std::vector<std::pair<std::string, double>>& timings() const { return timings_; }

 private:
  CellInfo cell_;
  int threads_;
  std::string device_;
  std::filesystem::path cache_dir_;
  LogSink sink_;
  Report report_;
  Facts facts_;
  std::string numerics_key_;
  Rendezvous* rendezvous_ = nullptr;
  SharedResults* shared_ = nullptr;
  std::vector<std::string> warnings_;
  LogSink warn_sink_;
  std::vector<std::pair<std::string, double>> timings_;
};

}  // namespace ocb::core

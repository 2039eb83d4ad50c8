// Results that the cells of one run share: what a method computes from its
// inputs alone (no seed, no random draw) is computed once per process and
// handed to every later cell with the same inputs, bit for bit what that cell
// would have computed itself. Squared-distance matrices of a class's training
// set (OC-SVM and KDE, every seed), KDE's bandwidth search and scores (KDE
// draws no random numbers) and OC-SVM's grid of models (only the holdout that
// picks one depends on the seed) are the cases today.
//
// Entries are keyed by a string the caller makes from the computation's name,
// its parameters, its inputs' fingerprints (sha256 of the bytes,
// fingerprint()) and the process's numerics key (RunContext::numerics_key). Nothing is ever evicted: an entry that does not fit in the
// budget left is computed and handed out, but not kept. A second thread that
// asks for a key being computed waits for it instead of computing it again.
// A failed computation is not kept; its error goes to every thread waiting.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "harness/core/samples.hpp"

namespace ocb::core {

class SharedResults {
 public:
  explicit SharedResults(std::size_t budget_bytes) : budget_(budget_bytes) {}
  SharedResults(const SharedResults&) = delete;
  SharedResults& operator=(const SharedResults&) = delete;

  // The default budget: a quarter of the machine's physical memory.
  static std::size_t default_budget();

  // The value of `key`: kept from an earlier call, or compute()'s (kept when
  // bytes(value) fits in what is left of the budget). `reused` says which.
  template <class T>
  std::shared_ptr<const T> get(const std::string& key, const std::function<T()>& compute,
                               const std::function<std::size_t(const T&)>& bytes, bool* reused = nullptr) {
    auto value = get_erased(
        key, [&] { return std::shared_ptr<const void>(std::make_shared<const T>(compute())); },
        [&](const void* v) { return bytes(*static_cast<const T*>(v)); }, reused);
    return std::static_pointer_cast<const T>(value);
  }

  std::size_t budget() const { return budget_; }
  std::size_t bytes_kept() const;
  std::size_t entries() const;
  std::size_t computed() const;  // computations run, kept or not
  std::size_t reused() const;    // requests served from a kept or in-flight entry

 private:
  struct Entry {
    bool ready = false;
    std::shared_ptr<const void> value;
    std::exception_ptr error;
  };
  std::shared_ptr<const void> get_erased(const std::string& key, const std::function<std::shared_ptr<const void>()>& compute,
                                         const std::function<std::size_t(const void*)>& bytes, bool* reused);

  const std::size_t budget_;
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::map<std::string, std::shared_ptr<Entry>> entries_;
  std::size_t kept_ = 0, computed_ = 0, reused_ = 0;
};

// store->get(key(), ...) when there is a store, else compute() here (and
// *reused = false): callers need not branch on whether results are shared.
// The key is made only with a store (fingerprints cost a pass over the data).
template <class T>
std::shared_ptr<const T> shared_or_computed(SharedResults* store, const std::function<std::string()>& key,
                                            const std::function<T()>& compute,
                                            const std::function<std::size_t(const T&)>& bytes, bool* reused = nullptr) {
  if (store) return store->get<T>(key(), compute, bytes, reused);
  if (reused) *reused = false;
  return std::make_shared<const T>(compute());
}

// "n x c x h x w:" + sha256 of the float bytes: names a batch by its content.
std::string fingerprint(const Samples& x);

}  // namespace ocb::core

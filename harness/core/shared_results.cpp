// The store of results shared by the cells of one run (shared_results.hpp).
#include "harness/core/shared_results.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include "harness/core/hash.hpp"

namespace ocb::core {

std::size_t SharedResults::default_budget() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return std::size_t{1} << 30;
  return static_cast<std::size_t>(pages) * static_cast<std::size_t>(page) / 4;
}

std::shared_ptr<const void> SharedResults::get_erased(const std::string& key,
                                                      const std::function<std::shared_ptr<const void>()>& compute,
                                                      const std::function<std::size_t(const void*)>& bytes, bool* reused) {
  std::shared_ptr<Entry> entry;
  {
    std::unique_lock lock(m_);
    if (auto it = entries_.find(key); it != entries_.end()) {
      entry = it->second;
      ++reused_;
      cv_.wait(lock, [&] { return entry->ready; });
      if (entry->error) std::rethrow_exception(entry->error);
      if (reused) *reused = true;
      return entry->value;
    }
    entry = std::make_shared<Entry>();
    entries_.emplace(key, entry);
    ++computed_;
  }
  if (reused) *reused = false;
  std::shared_ptr<const void> value;
  try {
    value = compute();
  } catch (...) {
    std::lock_guard lock(m_);
    entry->error = std::current_exception();
    entry->ready = true;
    entries_.erase(key);
    cv_.notify_all();
    throw;
  }
  const std::size_t size = bytes(value.get());
  std::lock_guard lock(m_);
  entry->value = value;
  entry->ready = true;
  if (size <= budget_ - kept_)  // kept_ never exceeds budget_
    kept_ += size;
  else
    entries_.erase(key);  // handed to this call and the ones waiting, not kept
  cv_.notify_all();
  return value;
}

std::size_t SharedResults::bytes_kept() const {
  std::lock_guard lock(m_);
  return kept_;
}
std::size_t SharedResults::entries() const {
  std::lock_guard lock(m_);
  return entries_.size();
}
std::size_t SharedResults::computed() const {
  std::lock_guard lock(m_);
  return computed_;
}
std::size_t SharedResults::reused() const {
  std::lock_guard lock(m_);
  return reused_;
}

std::string fingerprint(const Samples& x) {
  const auto& s = x.shape();
  const auto* p = reinterpret_cast<const std::uint8_t*>(x.data());
  return fmt::format("{}x{}x{}x{}:{}", s.n, s.c, s.h, s.w,
                     sha256_hex(std::span<const std::uint8_t>(p, static_cast<std::size_t>(s.n * s.features()) * sizeof(float))));
}

}  // namespace ocb::core

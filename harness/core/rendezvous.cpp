// Groups of cells that train together (rendezvous.hpp).
#include "harness/core/rendezvous.hpp"

#include <algorithm>

namespace ocb::core {

Rendezvous::Rendezvous(std::size_t capacity, std::chrono::milliseconds patience, int workers)
    : capacity_(std::max<std::size_t>(1, capacity)), patience_(patience), workers_(workers) {}

void Rendezvous::leave() {
  {
    std::lock_guard lock(m_);
    --workers_;
  }
  cv_.notify_all();  // the groups waiting for this thread wait no longer
}

void Rendezvous::join(const std::string& key, void* member, const Run& run) {
  std::unique_lock lock(m_);
  const auto it = std::find_if(open_.begin(), open_.end(), [&](const auto& g) { return g->key == key; });
  if (it != open_.end()) {
    // A follower: wait for the leader to run the group.
    const std::shared_ptr<Group> g = *it;
    g->members.push_back(member);
    if (g->members.size() >= capacity_) open_.erase(it);  // full: nobody else joins
    ++waiting_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return g->finished; });
    --waiting_;
    if (g->error) std::rethrow_exception(g->error);
    return;
  }
  auto g = std::make_shared<Group>();
  g->key = key;
  g->members.push_back(member);
  g->deadline = std::chrono::steady_clock::now() + patience_;
  if (capacity_ > 1) open_.push_back(g);
  ++waiting_;
  cv_.notify_all();  // one more thread waiting may release other groups
  cv_.wait_until(lock, g->deadline, [&] { return g->members.size() >= capacity_ || waiting_ >= workers_; });
  open_.remove(g);
  --waiting_;
  const std::vector<void*> members = g->members;
  lock.unlock();
  try {
    run(members);
  } catch (...) {
    g->error = std::current_exception();
  }
  lock.lock();
  g->finished = true;
  lock.unlock();
  cv_.notify_all();
  if (g->error) std::rethrow_exception(g->error);
}

}  // namespace ocb::core

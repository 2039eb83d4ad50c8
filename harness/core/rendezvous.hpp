// Where concurrent cells meet to train as one batched network (`ocbench run
// --batch K`, methods/common/trainer.hpp). Torch-free: members are opaque
// pointers, and what a group does is the leader's function.
//
// A group of one key opens with its first member (its leader) and takes up
// to `capacity` members. It starts when it is full, when every counted
// worker thread is waiting here (nobody else could join), or after
// `patience` (a worker blocked elsewhere, say on a cache lock). The leader
// runs the whole group on its thread; the others wait until it has finished.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ocb::core {

class Rendezvous {
 public:
  // `workers`: the threads that may join; each calls leave() (or holds a
  // Leaving) once it will join no more.
  Rendezvous(std::size_t capacity, std::chrono::milliseconds patience, int workers);
  Rendezvous(const Rendezvous&) = delete;
  Rendezvous& operator=(const Rendezvous&) = delete;

  std::size_t capacity() const { return capacity_; }
  void leave();
  class Leaving {
   public:
    explicit Leaving(Rendezvous* r) : r_(r) {}
    Leaving(const Leaving&) = delete;
    Leaving& operator=(const Leaving&) = delete;
    ~Leaving() {
      if (r_) r_->leave();
    }

   private:
    Rendezvous* r_;
  };

  // Joins the open group of `key` (or opens one) with `member` and blocks
  // until the group has run: the leader calls run(members), members in the
  // order they joined, leader first. An exception from run is rethrown on
  // every member's thread.
  using Run = std::function<void(const std::vector<void*>& members)>;
  void join(const std::string& key, void* member, const Run& run);

 private:
  struct Group {
    std::string key;
    std::vector<void*> members;
    std::chrono::steady_clock::time_point deadline;
    bool finished = false;
    std::exception_ptr error;
  };

  std::size_t capacity_;
  std::chrono::milliseconds patience_;
  std::mutex m_;
  std::condition_variable cv_;
  std::list<std::shared_ptr<Group>> open_;  // not yet started
  int workers_;      // worker threads that may still join
  int waiting_ = 0;  // threads blocked in join, leaders of open groups and members of started ones
};

}  // namespace ocb::core

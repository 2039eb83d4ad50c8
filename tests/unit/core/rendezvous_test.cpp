// Where concurrent cells meet to train as one network (core/rendezvous.hpp):
// who leads, who waits, when a group starts, and errors reaching every member.
#include "harness/core/rendezvous.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <latch>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using ocb::core::Rendezvous;
using namespace std::chrono_literals;

namespace {

// Runs fn(i) on n threads, each counted by `r` until it returns.
template <class F>
void on_threads(Rendezvous& r, int n, F fn) {
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&r, &fn, i] {
      const Rendezvous::Leaving leaving(&r);
      fn(i);
    });
  for (auto& t : threads) t.join();
}

}  // namespace

TEST_CASE("a full group runs once, on its leader's thread, with every member", "[core]") {
  Rendezvous r(3, 10s, 3);
  std::atomic<int> runs{0};
  std::vector<std::size_t> sizes;
  std::mutex m;
  int values[3] = {0, 1, 2};
  on_threads(r, 3, [&](int i) {
    r.join("mnist", &values[i], [&](const std::vector<void*>& members) {
      ++runs;
      std::lock_guard lock(m);
      sizes.push_back(members.size());
      for (void* p : members) *static_cast<int*>(p) += 10;  // the leader works for all
    });
  });
  CHECK(runs == 1);
  CHECK(sizes == std::vector<std::size_t>{3});
  CHECK(values[0] == 10);
  CHECK(values[1] == 11);
  CHECK(values[2] == 12);
}

TEST_CASE("groups hold one key each and at most `capacity` members", "[core]") {
  Rendezvous r(2, 10s, 5);
  std::mutex m;
  std::vector<std::pair<std::string, std::size_t>> groups;
  on_threads(r, 5, [&](int i) {
    const std::string key = i % 2 ? "odd" : "even";  // three evens, two odds
    r.join(key, nullptr, [&](const std::vector<void*>& members) {
      std::lock_guard lock(m);
      groups.emplace_back(key, members.size());
    });
  });
  std::size_t even = 0, odd = 0;
  for (const auto& [key, size] : groups) {
    CHECK(size <= 2);
    (key == "even" ? even : odd) += size;
  }
  CHECK(even == 3);
  CHECK(odd == 2);
  CHECK(groups.size() >= 3);  // the evens need two groups
}

TEST_CASE("a group starts without waiting its patience once every worker waits or has left", "[core]") {
  // Two workers under different keys: neither can fill its group of three,
  // and both must start as soon as both wait, long before the hour is up.
  Rendezvous r(3, 3600s, 2);
  std::atomic<int> runs{0};
  const auto t0 = std::chrono::steady_clock::now();
  on_threads(r, 2, [&](int i) { r.join(i ? "a" : "b", nullptr, [&](const std::vector<void*>&) { ++runs; }); });
  CHECK(runs == 2);
  CHECK(std::chrono::steady_clock::now() - t0 < 60s);
}

TEST_CASE("a worker busy elsewhere is waited for at most the patience", "[core]") {
  Rendezvous r(2, 50ms, 2);
  std::latch joined_alone(1);
  std::atomic<std::size_t> size{0};
  on_threads(r, 2, [&](int i) {
    if (i == 0) {
      r.join("x", nullptr, [&](const std::vector<void*>& members) { size = members.size(); });
      joined_alone.count_down();
    } else {
      joined_alone.wait();  // busy until the other has run: it never joins in time
    }
  });
  CHECK(size == 1);
}

TEST_CASE("an error of the group's run reaches every member", "[core]") {
  Rendezvous r(3, 10s, 3);
  std::atomic<int> caught{0};
  on_threads(r, 3, [&](int) {
    try {
      r.join("k", nullptr, [](const std::vector<void*>&) { throw std::runtime_error("out of memory"); });
    } catch (const std::runtime_error& e) {
      if (std::string(e.what()) == "out of memory") ++caught;
    }
  });
  CHECK(caught == 3);
}

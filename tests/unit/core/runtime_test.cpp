// The allocator settings of tune_allocator(): a thread that holds more live
// memory than one glibc arena heap (64 MiB: a training set, weights) and then
// allocates, touches and frees blocks of the size of a batch's activations
// must reuse heap memory instead of faulting fresh pages in on every
// allocation. Page faults are counted, not time, so load cannot flake it.
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "harness/core/runtime.hpp"

namespace {

long thread_minor_faults() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  return u.ru_minflt;
}

void* touched_block(std::size_t bytes) {
  void* p = std::malloc(bytes);
  if (p == nullptr) std::abort();
  std::memset(p, 1, bytes);
  asm volatile("" : : "r"(p) : "memory");  // the compiler must not drop the pair
  return p;
}

// With 80 MiB live, minor page faults over `rounds` rounds of allocating,
// touching and freeing blocks of 0.8 MiB and 3 MiB, after one warm-up round.
long faults_while_churning(int rounds) {
  std::vector<void*> live;
  for (int i = 0; i < 80; ++i) live.push_back(touched_block(1u << 20));
  auto round = [] {
    void* a = touched_block(800u << 10);
    void* b = touched_block(3u << 20);
    std::free(a);
    std::free(b);
  };
  round();
  const long before = thread_minor_faults();
  for (int r = 0; r < rounds; ++r) round();
  const long faults = thread_minor_faults() - before;
  for (void* p : live) std::free(p);
  return faults;
}

}  // namespace

TEST_CASE("runtime.allocator_reuses_memory_on_worker_threads", "[core][runtime]") {
  ocb::core::tune_allocator();
  constexpr int rounds = 40;
  // One round touches ~960 pages; without reuse the loop faults ~38,000.
  long worker = -1;
  std::thread t([&] { worker = faults_while_churning(rounds); });
  t.join();
  CHECK(worker >= 0);
  CHECK(worker < 200);
  CHECK(faults_while_churning(rounds) < 200);
}

// Results shared by the cells of one run (core/shared_results.hpp): computed
// once per key, kept within the budget only, waited for rather than computed
// twice, and never kept when the computation fails.
#include "harness/core/shared_results.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using ocb::core::SharedResults;
using namespace std::chrono_literals;

namespace {

std::size_t vector_bytes(const std::vector<double>& v) { return v.size() * sizeof(double); }

}  // namespace

TEST_CASE("a kept result is computed once and handed out again", "[core]") {
  SharedResults store(1 << 20);
  int runs = 0;
  auto compute = [&] {
    ++runs;
    return std::vector<double>{1.0, 2.0, 3.0};
  };
  bool reused = true;
  const auto a = store.get<std::vector<double>>("k", compute, vector_bytes, &reused);
  CHECK_FALSE(reused);
  const auto b = store.get<std::vector<double>>("k", compute, vector_bytes, &reused);
  CHECK(reused);
  CHECK(runs == 1);
  CHECK(a.get() == b.get());
  CHECK(store.bytes_kept() == 3 * sizeof(double));
  // Another key is another computation.
  store.get<std::vector<double>>("other", compute, vector_bytes, &reused);
  CHECK_FALSE(reused);
  CHECK(runs == 2);
  CHECK(store.computed() == 2);
  CHECK(store.reused() == 1);
}

TEST_CASE("a result larger than the budget left is handed out but not kept", "[core]") {
  SharedResults store(4 * sizeof(double));
  int runs = 0;
  auto make = [&](std::size_t n) {
    return [&runs, n] {
      ++runs;
      return std::vector<double>(n, 1.0);
    };
  };
  bool reused = true;
  CHECK(store.get<std::vector<double>>("big", make(5), vector_bytes, &reused)->size() == 5);
  CHECK_FALSE(reused);
  store.get<std::vector<double>>("big", make(5), vector_bytes, &reused);
  CHECK_FALSE(reused);
  CHECK(runs == 2);
  CHECK(store.entries() == 0);
  // Three fit; then only one more double is left: a second three is not kept.
  store.get<std::vector<double>>("three", make(3), vector_bytes, &reused);
  store.get<std::vector<double>>("three again", make(3), vector_bytes, &reused);
  CHECK(store.bytes_kept() == 3 * sizeof(double));
  store.get<std::vector<double>>("three", make(3), vector_bytes, &reused);
  CHECK(reused);
  store.get<std::vector<double>>("three again", make(3), vector_bytes, &reused);
  CHECK_FALSE(reused);
  // A budget of zero keeps nothing.
  SharedResults none(0);
  none.get<std::vector<double>>("k", make(1), vector_bytes, &reused);
  none.get<std::vector<double>>("k", make(1), vector_bytes, &reused);
  CHECK_FALSE(reused);
  CHECK(none.entries() == 0);
}

TEST_CASE("threads asking for a key being computed wait for it instead of computing it again", "[core]") {
  SharedResults store(1 << 20);
  std::atomic<int> runs{0}, reused_count{0};
  std::latch start(4);
  std::vector<const std::vector<double>*> seen(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      bool reused = false;
      const auto v = store.get<std::vector<double>>(
          "slow",
          [&] {
            ++runs;
            std::this_thread::sleep_for(100ms);
            return std::vector<double>{42.0};
          },
          vector_bytes, &reused);
      seen[static_cast<std::size_t>(i)] = v.get();
      if (reused) ++reused_count;
    });
  for (auto& t : threads) t.join();
  CHECK(runs == 1);
  CHECK(reused_count == 3);
  for (auto* p : seen) CHECK(p == seen[0]);
}

TEST_CASE("a failed computation reaches every waiting thread and is not kept", "[core]") {
  SharedResults store(1 << 20);
  std::atomic<int> runs{0}, failures{0};
  std::latch start(3);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&] {
      start.arrive_and_wait();
      try {
        store.get<std::vector<double>>(
            "bad",
            [&]() -> std::vector<double> {
              ++runs;
              std::this_thread::sleep_for(100ms);
              throw std::runtime_error("no memory for the matrix");
            },
            vector_bytes);
      } catch (const std::runtime_error& e) {
        if (std::string(e.what()) == "no memory for the matrix") ++failures;
      }
    });
  for (auto& t : threads) t.join();
  CHECK(runs == 1);
  CHECK(failures == 3);
  CHECK(store.entries() == 0);
  bool reused = true;
  CHECK(store.get<std::vector<double>>("bad", [] { return std::vector<double>{1.0}; }, vector_bytes, &reused)->at(0) == 1.0);
  CHECK_FALSE(reused);
}

TEST_CASE("a fingerprint names a batch by its shape and bytes", "[core]") {
  using ocb::core::Samples;
  using ocb::core::Shape;
  const Samples a(Shape{2, 1, 1, 3}, {1, 2, 3, 4, 5, 6});
  CHECK(ocb::core::fingerprint(a) == ocb::core::fingerprint(Samples(Shape{2, 1, 1, 3}, {1, 2, 3, 4, 5, 6})));
  CHECK(ocb::core::fingerprint(a) != ocb::core::fingerprint(Samples(Shape{2, 1, 1, 3}, {1, 2, 3, 4, 5, 7})));
  CHECK(ocb::core::fingerprint(a) != ocb::core::fingerprint(Samples(Shape{3, 1, 1, 2}, {1, 2, 3, 4, 5, 6})));
  // Equal as numbers, different bytes: -0 against 0.
  CHECK(ocb::core::fingerprint(Samples(Shape{1, 1, 1, 1}, {0.0f})) != ocb::core::fingerprint(Samples(Shape{1, 1, 1, 1}, {-0.0f})));
}

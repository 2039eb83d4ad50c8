// Signal handling for `ocbench run` (stop.hpp). The handler only sets a flag
// and writes a byte to a pipe (both async-signal-safe); a watcher thread does
// the rest.
#include "harness/run/stop.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "harness/core/exit_codes.hpp"

namespace ocb::harness {
namespace {

std::atomic<int> request{0};
int wake[2] = {-1, -1};
std::mutex action_m;
std::function<void()> action;

void on_signal(int sig) {
  const int r = sig == SIGUSR1 ? static_cast<int>(StopRequest::drain) : static_cast<int>(StopRequest::terminate);
  int cur = request.load();
  while (cur < r && !request.compare_exchange_weak(cur, r)) {
  }
  const char b = static_cast<char>(sig);
  [[maybe_unused]] const auto w = ::write(wake[1], &b, 1);
}

}  // namespace

void install_stop_handlers(std::function<void()> on_terminate) {
  {
    std::lock_guard lock(action_m);
    action = std::move(on_terminate);
  }
  request = 0;
  if (wake[0] >= 0) return;
  if (::pipe2(wake, O_CLOEXEC) != 0) return;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (int sig : {SIGTERM, SIGINT, SIGUSR1}) ::sigaction(sig, &sa, nullptr);
  std::thread([] {
    for (;;) {
      char b;
      if (::read(wake[0], &b, 1) <= 0 || stop_requested() != StopRequest::terminate) continue;
      std::lock_guard lock(action_m);
      if (action) action();
      std::_Exit(kExitInterrupted);
    }
  }).detach();
}

void set_stop_action(std::function<void()> on_terminate) {
  std::lock_guard lock(action_m);
  action = std::move(on_terminate);
}

void clear_stop_action() {
  std::lock_guard lock(action_m);
  action = nullptr;
}

StopRequest stop_requested() { return static_cast<StopRequest>(request.load()); }

void request_drain() {
  int cur = request.load();
  while (cur < static_cast<int>(StopRequest::drain) && !request.compare_exchange_weak(cur, static_cast<int>(StopRequest::drain))) {
  }
}

}  // namespace ocb::harness

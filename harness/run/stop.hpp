// How `ocbench run` stops when asked to: SIGTERM and SIGINT (Slurm's time
// limit, preemption, scancel, Ctrl-C) stop it at once: it takes no further
// cell, releases its claims, leaves nothing partial (every file goes through
// the atomic write path) and exits with kExitInterrupted; the cells in flight
// are lost and rerun later. SIGUSR1 (sbatch --signal=B:USR1@<seconds>) drains:
// the cells in flight finish and are recorded, no new one starts.
#pragma once

#include <functional>

namespace ocb::harness {

enum class StopRequest { none, drain, terminate };

// Installs the handlers (once per process) and makes `on_terminate` (which
// must not return) what a watcher thread calls when SIGTERM or SIGINT
// arrives; without one, the process exits with kExitInterrupted. Clears an
// earlier request.
void install_stop_handlers(std::function<void()> on_terminate);
// Replaces the action without forgetting a request already made.
void set_stop_action(std::function<void()> on_terminate);
// Forgets the action (at the end of a run).
void clear_stop_action();
StopRequest stop_requested();
// Asks the workers to drain, as SIGUSR1 does (used when the disk fills up).
void request_drain();

}  // namespace ocb::harness

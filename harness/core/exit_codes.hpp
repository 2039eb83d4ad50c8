// ocbench's exit codes, all in one place (the README's table lists them).
#pragma once

namespace ocb {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailedCells = 1;   // run: some cells failed (their records say why)
inline constexpr int kExitBadInput = 2;      // usage, experiment file, data, paper table
inline constexpr int kExitRegression = 3;    // check: an AUC outside its band
inline constexpr int kExitDegenerate = 4;    // check: constant or collapsed scores, untrained model
inline constexpr int kExitMissing = 5;       // check: a baseline cell without an ok record or score file
inline constexpr int kExitBadRecords = 6;    // table, report, plot, check: some records fail their schema and were left out
inline constexpr int kExitNewLabels = 7;     // check --strict: labels the baseline does not know
inline constexpr int kExitInterrupted = 8;   // run: stopped by SIGTERM/SIGINT/SIGUSR1; rerun to finish
inline constexpr int kExitDiskFull = 9;      // run: the results or cache disk is full or read-only; finished cells kept

}  // namespace ocb

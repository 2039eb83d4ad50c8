// Runs one cell from data to record: split, holdout (if the method asks for
// one), fit, score, check the scores, compute the metrics, write the score
// file. Any failure becomes a "failed" record naming the phase.
#pragma once

#include <string>

#include "harness/run/cells.hpp"
#include "harness/run/data_cache.hpp"
#include "harness/run/store.hpp"

namespace ocb::core {
class Rendezvous;
class SharedResults;
}

namespace ocb::harness {

struct ExecOptions {
  int threads = 1;
  std::string device = "cpu";
  fs::path cache_dir = "cache";
  bool write_scores = true;
  bool verbose = false;
  // Trainings of concurrent cells meet here to run as one network (run --batch); null: alone.
  core::Rendezvous* rendezvous = nullptr;
  // What the run's cells computed that later cells with the same inputs reuse (run --share-mb); null: nothing shared.
  core::SharedResults* shared = nullptr;
};

// Returns the record (status "ok" or "failed"); never throws for a cell failure.
CellRecord execute_cell(const Cell& cell, const Experiment& exp, DataCache& data, const RecordStore& store,
                        const ExecOptions& options);

// The numerics a cell gets when run with `options` in this process.
Numerics expected_numerics(const Cell& cell, const ExecOptions& options);

// Throws core::Error naming the cell if scores are of the wrong length, not
// finite, or all equal.
void check_scores(const Cell& cell, const core::Scores& scores, std::size_t expected);

}  // namespace ocb::harness

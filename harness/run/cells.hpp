// Cells: the unit of work and of storage. An experiment expands into one cell
// per (method label, dataset, normal class, seed); a cell's id hashes
// everything that determines its result (method, resolved parameters, data
// files and preprocessing, class, seed), so changing any of it makes a new cell
// and a rerun never mistakes an old record for a current one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "datasets/preprocess/one_class.hpp"
#include "harness/config/experiment.hpp"

namespace ocb::harness {

struct Cell {
  const MethodEntry* method = nullptr;
  const DatasetEntry* dataset = nullptr;
  int normal_class = 0;
  std::uint64_t seed = 0;
  datasets::SplitOptions split;  // preprocessing as resolved for this cell
  std::string data_key;          // identifies the data (see core::CellInfo)
  std::string train_key;         // identifies the training inputs (see core::CellInfo)
  std::string canonical;         // the text hashed into id
  std::string id;                // 16 hex digits
  std::string shared_stage;      // from the method's requirements
  bool shared_across_seeds = false;  // the method's, where every seed gets the same data
  std::string describe() const;  // "'ocsvm' on mnist class 3 seed 7"
};

std::vector<Cell> expand_cells(const Experiment& exp);

// The k-th (1-based) of n disjoint slices. Cells that share a stage (same
// data, seed and stage key) always land in the same slice, and so do the
// cells of a class that share their work across seeds (placement_groups);
// slices are balanced by cell count, greedily by group size.
std::vector<Cell> shard_cells(const std::vector<Cell>& cells, int k, int n);

// Groups of cells that must run on one worker, in a stable order.
std::vector<std::vector<const Cell*>> group_cells(const std::vector<Cell>& cells);

// group_cells, with the single cells that share their work across seeds
// (Cell::shared_across_seeds) gathered per training set and class: what a
// shard or a plan's task should hold together so that the work is done once.
std::vector<std::vector<const Cell*>> placement_groups(const std::vector<Cell>& cells);

}  // namespace ocb::harness

#pragma once
// PartitionTable: the partitions of an image file or a card (libfdisk), and the one
// edit beowulf makes to them: moving the end of a partition.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace beowulf::image {

struct Partition {
  size_t number = 0;    ///< 1-based, as the kernel names it (sda1)
  uint64_t start = 0;   ///< bytes
  uint64_t size = 0;    ///< bytes
  std::string type;     ///< "83", "c", or a GPT type name
  uint64_t end() const { return start + size; }
};

struct PartitionTable {
  std::string label;        ///< "dos" or "gpt"; empty when there is no partition table
  uint64_t sector_size = 512;
  std::vector<Partition> partitions;  ///< by start
  /// The bytes the table itself needs at the device's end (GPT's backup), 0 for dos.
  uint64_t tail_bytes() const { return label == "gpt" ? 33 * sector_size : 0; }
};

/// The partition table of `path` (an image file or a block device). An empty label when
/// there is none; fails when `path` cannot be read.
Result<PartitionTable> read_partition_table(const std::string& path);

/// Moves the end of partition `number` of `path` so that it is `size` bytes long.
/// Fails when the table has no such partition or libfdisk refuses the size.
Status resize_partition(const std::string& path, size_t number, uint64_t size);

/// Rewrites the table of `path` as it is, which puts GPT's backup header at the end of
/// the (shrunk or grown) device. A no-op for dos.
Status rewrite_partition_table(const std::string& path);

}  // namespace beowulf::image

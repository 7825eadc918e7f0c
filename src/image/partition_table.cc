#include "image/partition_table.h"

#include <libfdisk/libfdisk.h>

#include <fmt/core.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace beowulf::image {
namespace {

struct ContextDeleter {
  void operator()(fdisk_context* c) const {
    fdisk_deassign_device(c, 0);
    fdisk_unref_context(c);
  }
};
using Context = std::unique_ptr<fdisk_context, ContextDeleter>;

Result<Context> open_context(const std::string& path, bool writable) {
  Context cxt(fdisk_new_context());
  if (!cxt) return Error{fmt::format("{}: read partition table: out of memory", path)};
  if (int rc = fdisk_assign_device(cxt.get(), path.c_str(), writable ? 0 : 1); rc < 0)
    return Error{fmt::format("{}: read partition table: {}", path, std::strerror(-rc))};
  return cxt;
}

std::string type_of(fdisk_partition* pa, bool dos) {
  fdisk_parttype* type = fdisk_partition_get_type(pa);
  if (!type) return {};
  if (dos) return fmt::format("{:x}", fdisk_parttype_get_code(type));
  const char* text = fdisk_parttype_get_string(type);
  return text ? text : "";
}

}  // namespace

Result<PartitionTable> read_partition_table(const std::string& path) {
  auto cxt = open_context(path, false);
  if (!cxt) return cxt.error();
  PartitionTable table;
  table.sector_size = fdisk_get_sector_size(cxt->get());
  if (!fdisk_has_label(cxt->get())) return table;
  bool dos = fdisk_is_label(cxt->get(), DOS);
  table.label = dos ? "dos" : fdisk_is_label(cxt->get(), GPT) ? "gpt" : "other";
  fdisk_table* tb = nullptr;
  if (fdisk_get_partitions(cxt->get(), &tb) < 0) return Error{fmt::format("{}: read partition table: cannot list partitions", path)};
  for (size_t i = 0; i < fdisk_table_get_nents(tb); ++i) {
    fdisk_partition* pa = fdisk_table_get_partition(tb, i);
    if (!pa || !fdisk_partition_is_used(pa) || !fdisk_partition_has_start(pa)) continue;
    if (dos && fdisk_partition_get_type(pa) && fdisk_parttype_get_code(fdisk_partition_get_type(pa)) == 0x05) continue;
    table.partitions.push_back({fdisk_partition_get_partno(pa) + 1, fdisk_partition_get_start(pa) * table.sector_size,
                                fdisk_partition_get_size(pa) * table.sector_size, type_of(pa, dos)});
  }
  fdisk_unref_table(tb);
  std::sort(table.partitions.begin(), table.partitions.end(), [](auto& a, auto& b) { return a.start < b.start; });
  return table;
}

Status resize_partition(const std::string& path, size_t number, uint64_t size) {
  auto cxt = open_context(path, true);
  if (!cxt) return cxt.error();
  uint64_t sectors = size / fdisk_get_sector_size(cxt->get());
  fdisk_partition* pa = fdisk_new_partition();
  fdisk_partition_set_size(pa, sectors);
  fdisk_partition_size_explicit(pa, 1);
  int rc = fdisk_set_partition(cxt->get(), number - 1, pa);
  fdisk_unref_partition(pa);
  if (rc < 0) return Error{fmt::format("{}: resize partition {} to {} sectors: {}", path, number, sectors, std::strerror(-rc))};
  if ((rc = fdisk_write_disklabel(cxt->get())) < 0)
    return Error{fmt::format("{}: write partition table: {}", path, std::strerror(-rc))};
  return {};
}

Status rewrite_partition_table(const std::string& path) {
  auto cxt = open_context(path, true);
  if (!cxt) return cxt.error();
  if (!fdisk_is_label(cxt->get(), GPT)) return {};
  if (int rc = fdisk_write_disklabel(cxt->get()); rc < 0)
    return Error{fmt::format("{}: write partition table: {}", path, std::strerror(-rc))};
  return {};
}

}  // namespace beowulf::image

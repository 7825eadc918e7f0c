#include "image/copy_plan.h"

#include <fmt/core.h>

#include "image/image_map.h"
#include "image/partition_table.h"

namespace beowulf::image {

uint64_t CopyPlan::mapped_bytes() const {
  uint64_t n = 0;
  for (const auto& r : ranges) n += r.bytes.length;
  return n;
}

Result<CopyPlan> plan_copy(const std::string& image, const ImageSource& source) {
  CopyPlan plan;
  if (auto bmap_file = find_bmap_file(image)) {
    auto bmap = load_bmap(*bmap_file);
    if (!bmap) return bmap.error();
    if (source.seekable() && source.size() != bmap->image_size)
      return bad_input(fmt::format("{}: the image holds {} bytes but {} describes {} bytes", image, source.size(),
                                   *bmap_file, bmap->image_size),
                       "the bmap belongs to another image: remove it or make a new one with 'bmaptool create'");
    plan.image_size = bmap->image_size;
    plan.map_from = *bmap_file;
    bool sha256 = bmap->checksum_type == "sha256";
    for (const auto& r : bmap->ranges)
      plan.ranges.push_back({{bmap->range_offset(r), bmap->range_length(r)}, sha256 ? r.sha256 : std::string()});
    return plan;
  }
  if (!source.seekable()) {
    plan.map_from = "every byte, no .bmap beside the compressed image";
    return plan;
  }
  auto table = read_partition_table(image);
  if (!table) return table.error();
  auto ranges = map_filesystems(image, source.size(), *table);
  if (!ranges) return ranges.error();
  plan.image_size = source.size();
  plan.map_from = "the filesystems";
  Bmap blocks = bmap_of(*ranges, plan.image_size);  // whole 4 KiB blocks: O_DIRECT reads them back
  for (const auto& r : blocks.ranges) plan.ranges.push_back({{blocks.range_offset(r), blocks.range_length(r)}, {}});
  return plan;
}

Result<CopyPlan> plan_image(const std::string& image) {
  auto source = ImageSource::open(image);
  if (!source) return source.error();
  return plan_copy(image, *source);
}

}  // namespace beowulf::image

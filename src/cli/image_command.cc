// `beowulf image`: read, write, verify, shrink, expand, personalize and burn SD card images.

#include <unistd.h>

#include <fmt/core.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <regex>

#include "cli/command.h"
#include "cli/progress_line.h"
#include "cli/report.h"
#include "core/etc_files.h"
#include "core/nodeset.h"
#include "core/size.h"
#include "image/copy_plan.h"
#include "image/image_reader.h"
#include "image/image_writer.h"
#include "image/personalizer.h"
#include "image/resizer.h"
#include "image/target.h"
#include "image/verifier.h"

namespace beowulf::cli {
namespace {

using image::human_bytes;
using Clock = std::chrono::steady_clock;

struct ImageOptions {
  std::string source, image, target, size, hostname, user = "linaro", key_file, names;
  std::vector<std::string> devices;
  bool yes = false, new_host_keys = false;
};

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

/// The public key to authorize: `file`, or the user's own default key.
Result<std::string> read_key(std::string file, bool required) {
  if (file.empty()) {
    const char* home = std::getenv("HOME");
    for (const char* name : {"id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub"}) {
      std::string candidate = fmt::format("{}/.ssh/{}", home ? home : "", name);
      if (std::filesystem::exists(candidate)) {
        file = candidate;
        break;
      }
    }
    if (file.empty()) {
      if (!required) return std::string();
      return bad_input("no public key to authorize: ~/.ssh/id_ed25519.pub does not exist",
                       "name one with --authorized-key FILE, or make one: ssh-keygen -t ed25519");
    }
  }
  std::ifstream in(file);
  std::string key;
  if (!in || !std::getline(in, key) || (key.rfind("ssh-", 0) != 0 && key.rfind("ecdsa-", 0) != 0))
    return bad_input(fmt::format("{}: not an OpenSSH public key", file), "give the .pub file, e.g. ~/.ssh/id_ed25519.pub");
  return key;
}

/// Inspects and checks every target; asks once for the devices among them unless `yes`.
Result<std::vector<image::TargetInfo>> approve_targets(const std::vector<std::string>& paths, const std::string& image_path,
                                                       bool yes) {
  auto plan = image::plan_image(image_path);
  if (!plan) return plan.error();
  std::vector<image::TargetInfo> targets;
  bool any_device = false;
  for (const auto& path : paths) {
    auto info = image::inspect_target(path);
    if (!info) return info.error();
    if (auto ok = image::check_target(*info, plan->image_size); !ok) return ok.error();
    any_device = any_device || info->block_device;
    targets.push_back(*info);
  }
  if (!any_device || yes) return targets;
  if (isatty(STDIN_FILENO) != 1)
    return bad_input(fmt::format("refusing to write to {} without confirmation: stdin is not a terminal", paths.front()),
                     "check the device with lsblk, then pass --yes");
  fmt::print("About to write {} ({}) to:\n", image_path, plan->image_size ? human_bytes(plan->image_size) : "size unknown");
  for (const auto& t : targets) fmt::print("  {}  {}\n", t.path, image::describe(t));
  fmt::print("Everything on {} will be lost. Continue? [y/N] ", targets.size() == 1 ? "it" : "them");
  std::fflush(stdout);
  std::string answer;
  std::getline(std::cin, answer);
  if (answer != "y" && answer != "Y" && answer != "yes") return Error{"nothing written: not confirmed"};
  return targets;
}

/// Keeps IMAGE.bmap true to the image after an edit; says so when it rewrote it.
void refresh(const std::string& path) {
  auto bmap = image::refresh_bmap(path);
  if (!bmap) report(bmap.error());
  else if (!bmap->empty()) fmt::print("updated {}\n", *bmap);
}

int run_read(const ImageOptions& o) {
  auto start = Clock::now();
  ProgressLine progress;
  auto result = image::read_image(o.source, o.image, progress.callback());
  progress.finish();
  if (!result) return report(result.error());
  double s = seconds_since(start);
  fmt::print("read {} into {}: {} image, {} mapped, in {:.1f} s ({}/s)\nwrote {}\n", o.source, o.image,
             human_bytes(result->image_size), human_bytes(result->bytes_read), s,
             human_bytes(static_cast<uint64_t>(static_cast<double>(result->bytes_read) / std::max(s, 1e-3))), result->bmap_file);
  return exit_ok;
}

/// Writes (and verifies) one target; prints the outcome line.
Status write_one(const std::string& image_path, const image::TargetInfo& target) {
  auto start = Clock::now();
  ProgressLine progress;
  auto result = image::write_image(image_path, target, progress.callback());
  progress.finish();
  if (!result) return result.error();
  fmt::print("wrote {} to {}: {} of {} (map: {}) in {:.1f} s; verified, read back {}\n", image_path, target.path,
             human_bytes(result->bytes_written), human_bytes(result->image_size), result->map_from, seconds_since(start),
             result->read_back);
  return {};
}

int run_write(const ImageOptions& o) {
  auto targets = approve_targets({o.target}, o.image, o.yes);
  if (!targets) return report(targets.error());
  if (auto ok = write_one(o.image, targets->front()); !ok) return report(ok.error());
  return exit_ok;
}

int run_verify(const ImageOptions& o) {
  ProgressLine progress;
  auto result = image::verify_image(o.image, o.target, progress.callback());
  progress.finish();
  if (!result) return report(result.error());
  fmt::print("{} matches {}: {} checked, read back {}\n", o.target, o.image, human_bytes(result->bytes_checked), result->read_back);
  return exit_ok;
}

int run_shrink(const ImageOptions& o) {
  auto result = image::shrink_image(o.image);
  if (!result) return report(result.error());
  fmt::print("shrank {} from {} to {} (partition {} ends the image)\n", o.image, human_bytes(result->old_size),
             human_bytes(result->new_size), result->partition);
  refresh(o.image);
  return exit_ok;
}

int run_expand(const ImageOptions& o) {
  uint64_t size = 0;
  if (!o.size.empty()) {
    auto parsed = parse_size(o.size);
    if (!parsed) return report(parsed.error());
    size = *parsed;
  }
  auto result = image::expand_image(o.target, size);
  if (!result) return report(result.error());
  if (result->new_size == result->old_size)
    fmt::print("partition {} of {} already fills it ({})\n", result->partition, o.target, human_bytes(result->new_size));
  else
    fmt::print("grew partition {} of {} and its filesystem from {} to {}\n", result->partition, o.target,
               human_bytes(result->old_size), human_bytes(result->new_size));
  refresh(o.target);
  return exit_ok;
}

Status personalize_one(const std::string& path, const image::Personalization& what) {
  auto result = image::personalize(path, what);
  if (!result) return result.error();
  std::string changed;
  for (const auto& c : result->changed) changed += (changed.empty() ? "" : ", ") + c;
  fmt::print("personalized {} as {}: {}\n", path, what.hostname, changed);
  for (const auto& note : result->notes) fmt::print("note: {}\n", note);
  return {};
}

int run_personalize(const ImageOptions& o) {
  image::Personalization what{o.hostname, o.user, {}, o.new_host_keys};
  if (!o.key_file.empty()) {
    auto key = read_key(o.key_file, true);
    if (!key) return report(key.error());
    what.authorized_key = *key;
  }
  if (auto ok = personalize_one(o.image, what); !ok) return report(ok.error());
  refresh(o.image);
  return exit_ok;
}

int run_burn(const ImageOptions& o) {
  auto set = NodeSet::parse(o.names);
  if (!set) return report(set.error());
  const auto& names = set->expand();  // in natural order: worker004 goes on the first device
  if (names.size() != o.devices.size())
    return report(bad_input(fmt::format("--names '{}' gives {} names for {} devices", o.names, names.size(), o.devices.size()),
                            "give one name per device, in the same order"));
  for (const auto& name : names)
    if (auto ok = check_hostname(name); !ok) return report(ok.error());
  auto key = read_key(o.key_file, true);
  if (!key) return report(key.error());
  auto targets = approve_targets(o.devices, o.image, o.yes);
  if (!targets) return report(targets.error());
  for (size_t i = 0; i < targets->size(); ++i) {
    const auto& target = (*targets)[i];
    if (auto ok = write_one(o.image, target); !ok) return report(ok.error());
    if (auto ok = personalize_one(target.path, {names[i], o.user, *key, true}); !ok) return report(ok.error());
  }
  fmt::print("burned {} card{}: boot them, then 'beowulf add' each by its address\n", targets->size(),
             targets->size() == 1 ? "" : "s");
  return exit_ok;
}

constexpr const char* kFooter = R"(Examples:
  beowulf image read /dev/sdb worker.img            only the used blocks, plus worker.img.bmap
  beowulf image shrink worker.img                   the smallest image that still boots
  beowulf image write worker.img /dev/sdc           asks first; verifies after
  beowulf image burn worker.img /dev/sdc /dev/sdd --names worker[004-005])";

}  // namespace

Run attach_image(CLI::App& sub) {
  auto o = std::make_shared<ImageOptions>();
  sub.require_subcommand(1);
  sub.footer(kFooter);
  auto* read = sub.add_subcommand("read", "copy a card (or image) into a sparse image and its .bmap");
  read->add_option("SOURCE", o->source, "the card's device (/dev/sdb) or an image file")->required();
  read->add_option("IMAGE", o->image, "the image file to write; IMAGE.bmap is written beside it")->required();
  read->footer("Example:\n  beowulf image read /dev/sdb worker.img");

  auto* write = sub.add_subcommand("write", "write an image to a card (or file), then verify it");
  write->add_option("IMAGE", o->image, "a .img, .img.xz, .img.zst or .img.gz; a .bmap beside it is used")->required();
  write->add_option("DEVICE", o->target, "the card's device, or a file")->required();
  write->add_flag("--yes,-y", o->yes, "do not ask before writing to a device");
  write->footer("Example:\n  beowulf image write worker.img.xz /dev/sdc");

  auto* verify = sub.add_subcommand("verify", "check a card (or file) against an image");
  verify->add_option("IMAGE", o->image, "the image (and its .bmap when there is one)")->required();
  verify->add_option("DEVICE", o->target, "the card's device, or a file")->required();
  verify->footer("Example:\n  beowulf image verify worker.img /dev/sdc");

  auto* shrink = sub.add_subcommand("shrink", "shrink the last (ext4) partition and the image file to fit its data");
  shrink->add_option("IMAGE", o->image, "an image file")->required();
  shrink->footer("Example:\n  beowulf image shrink worker.img");

  auto* expand = sub.add_subcommand("expand", "grow the last partition and its filesystem to fill the card");
  expand->add_option("TARGET", o->target, "a card's device, or an image file (with --size)")->required();
  expand->add_option("--size", o->size, "grow an image file to this size first (16G, 7600M)");
  expand->footer("Example:\n  beowulf image expand /dev/sdc");

  auto* personalize = sub.add_subcommand("personalize", "set the host name and keys inside an image, without mounting it");
  personalize->add_option("IMAGE", o->image, "an image file or a card's device")->required();
  personalize->add_option("--hostname", o->hostname, "the new host name (/etc/hostname, 127.0.1.1 in /etc/hosts)")->required();
  personalize->add_option("--user", o->user, "whose ~/.ssh/authorized_keys gets --authorized-key (default linaro)");
  personalize->add_option("--authorized-key", o->key_file, "a public key file to authorize for --user");
  personalize->add_flag("--new-host-keys", o->new_host_keys, "remove SSH host keys and machine-id: made anew at first boot");
  personalize->footer("Example:\n  beowulf image personalize worker.img --hostname worker004 --authorized-key ~/.ssh/id_ed25519.pub --new-host-keys");

  auto* burn = sub.add_subcommand("burn", "write and personalize one card per device, each with the next name");
  burn->add_option("IMAGE", o->image, "the image")->required();
  burn->add_option("DEVICE", o->devices, "the cards' devices, in the order of --names")->required();
  burn->add_option("--names", o->names, "the host names, as worker[004-007]")->required();
  burn->add_option("--user", o->user, "the image's user (default linaro)");
  burn->add_option("--authorized-key", o->key_file, "the key to authorize (default: yours, ~/.ssh/id_ed25519.pub)");
  burn->add_flag("--yes,-y", o->yes, "do not ask before writing");
  burn->footer("Example:\n  beowulf image burn worker.img /dev/sdc /dev/sdd --names worker[004-005]");

  return [o, read, write, verify, shrink, expand, personalize, burn]() {
    if (read->parsed()) return run_read(*o);
    if (write->parsed()) return run_write(*o);
    if (verify->parsed()) return run_verify(*o);
    if (shrink->parsed()) return run_shrink(*o);
    if (expand->parsed()) return run_expand(*o);
    if (personalize->parsed()) return run_personalize(*o);
    return run_burn(*o);
  };
}

}  // namespace beowulf::cli

// `beowulf image`: read, write, verify, shrink, expand, personalize, prepare and burn SD card images.

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
#include "cli/card_plan.h"
#include "image/host_key_pair.h"
#include "image/password_hash.h"
#include "image/preparer.h"
#include "sys/password_input.h"
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
  std::string source, image, target, size, hostname, user = "linaro", key_file, names, address, addresses, gateway;
  std::string wifi_ssid, wifi_country;
  std::vector<std::string> devices, dns;
  bool yes = false, new_host_keys = false, password_stdin = false;
};

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

/// Inspects and checks every target; asks once for the devices and existing files among
/// them (everything on them is lost) unless `yes`.
Result<std::vector<image::TargetInfo>> approve_targets(const std::vector<std::string>& paths, const std::string& image_path,
                                                       bool yes) {
  auto plan = image::plan_image(image_path);
  if (!plan) return plan.error();
  std::vector<image::TargetInfo> targets;
  bool any_to_lose = false;
  for (const auto& path : paths) {
    auto info = image::inspect_target(path);
    if (!info) return info.error();
    if (auto ok = image::check_target(*info, plan->image_size); !ok) return ok.error();
    if (auto ok = image::check_not_source(*info, image_path); !ok) return ok.error();
    for (const auto& earlier : targets)
      if (earlier.path == path || image::same_file(earlier.path, path))
        return bad_input(fmt::format("{}: named twice as a target (also as {})", path, earlier.path),
                         "name each card once");
    any_to_lose = any_to_lose || info->exists;
    targets.push_back(*info);
  }
  if (!any_to_lose || yes) return targets;
  if (isatty(STDIN_FILENO) != 1)
    return bad_input(fmt::format("refusing to overwrite {} without confirmation: stdin is not a terminal", paths.front()),
                     "check the device with lsblk (or the file), then pass --yes");
  fmt::print("About to write {} ({}) to:\n", image_path, plan->image_size ? human_bytes(plan->image_size) : "size unknown");
  for (const auto& t : targets) fmt::print("  {}  {}{}\n", t.path, image::describe(t), t.exists ? "" : " (new)");
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

/// The settings every card of one command shares; the password read from stdin, hashed.
Result<CardSettings> card_settings(const ImageOptions& o) {
  CardSettings settings{.user = o.user, .gateway = o.gateway, .dns = o.dns};
  auto key = read_public_key(o.key_file, true);
  if (!key) return key.error();
  settings.authorized_key = *key;
  if (o.password_stdin) {
    auto password = sys::read_password_from_fd(STDIN_FILENO);
    if (!password) return password.error();
    auto hash = image::hash_password(*password);
    explicit_bzero(password->data(), password->size());
    if (!hash) return hash.error();
    settings.password_hash = *hash;
  }
  if (!o.wifi_ssid.empty()) {  // the passphrase: the next line of stdin
    auto passphrase = sys::read_password_from_fd(STDIN_FILENO);
    if (!passphrase) return Error{"read the Wi-Fi passphrase: " + passphrase.error().message(), {}, "give it on standard input, one line"};
    auto wifi = image::make_wifi(o.wifi_ssid, *passphrase, o.wifi_country);
    explicit_bzero(passphrase->data(), passphrase->size());
    if (!wifi) return wifi.error();
    settings.wifi = *wifi;
  }
  return settings;
}

/// Writes one card's first-boot settings; prints what it is and what changed.
Status prepare_one(const std::string& path, const PlannedCard& card) {
  auto result = image::prepare_card(path, card.first_boot);
  if (!result) return result.error();
  std::string changed;
  for (const auto& c : result->changed) changed += (changed.empty() ? "" : ", ") + c;
  fmt::print("prepared {} ({}{}) as {}{}: {}\n", path, image::kind_name(result->layout.kind),
             result->layout.os_id.empty() ? "" : ", ID=" + result->layout.os_id, card.name,
             card.address ? " at " + card.address->cidr() : "", changed);
  for (const auto& note : result->notes) fmt::print("note: {}\n", note);
  return {};
}

/// Records the planned cards and says what was recorded.
int record(const std::vector<PlannedCard>& cards, const std::string& user) {
  auto said = record_planned(cards, user, false);
  if (!said) return report(said.error());
  for (const auto& line : *said) fmt::print("{}\n", line);
  return exit_ok;
}

int run_prepare(const ImageOptions& o) {
  auto settings = card_settings(o);
  if (!settings) return report(settings.error());
  auto cards = plan_cards(o.hostname, o.address, *settings, 0);
  if (!cards) return report(cards.error());
  if (cards->size() != 1)
    return report(bad_input(fmt::format("--hostname '{}' names {} hosts: prepare makes one card", o.hostname, cards->size()),
                            "for many cards use: beowulf image burn IMAGE DEVICE... --names worker[001-004]"));
  if (auto ok = record_planned(*cards, o.user, true); !ok) return report(ok.error());
  if (auto ok = make_keys(*cards, *settings); !ok) return report(ok.error());
  if (auto ok = prepare_one(o.image, cards->front()); !ok) return report(ok.error());
  refresh(o.image);
  return record(*cards, o.user);
}

int run_personalize(const ImageOptions& o) {
  image::Personalization what{o.hostname, o.user, {}, {}};
  if (!o.key_file.empty()) {
    auto key = read_public_key(o.key_file, true);
    if (!key) return report(key.error());
    what.authorized_key = *key;
  }
  std::vector<PlannedCard> cards;
  if (o.new_host_keys) {
    if (auto ok = check_hostname(o.hostname); !ok) return report(ok.error());
    PlannedCard card{.name = o.hostname};
    if (!o.address.empty()) {
      auto address = image::parse_static_address(o.address, "", {});
      if (!address) return report(address.error());
      card.address = *address;
    }
    cards.push_back(card);
    if (auto ok = record_planned(cards, o.user, true); !ok) return report(ok.error());
    auto key = image::make_host_key(o.hostname);
    if (!key) return report(key.error());
    what.host_key = *key;
    cards.front().host_key = *key;
  }
  auto result = image::personalize(o.image, what);
  if (!result) return report(result.error());
  std::string changed;
  for (const auto& c : result->changed) changed += (changed.empty() ? "" : ", ") + c;
  fmt::print("personalized {} as {}: {}\n", o.image, what.hostname, changed);
  for (const auto& note : result->notes) fmt::print("note: {}\n", note);
  refresh(o.image);
  return cards.empty() ? exit_ok : record(cards, o.user);
}

int run_burn(const ImageOptions& o) {
  auto settings = card_settings(o);
  if (!settings) return report(settings.error());
  auto cards = plan_cards(o.names, o.addresses, *settings, o.devices.size());
  if (!cards) return report(cards.error());
  if (auto ok = record_planned(*cards, o.user, true); !ok) return report(ok.error());
  auto targets = approve_targets(o.devices, o.image, o.yes);
  if (!targets) return report(targets.error());
  if (auto ok = make_keys(*cards, *settings); !ok) return report(ok.error());
  for (size_t i = 0; i < targets->size(); ++i) {
    const auto& target = (*targets)[i];
    fmt::print("card {} of {}: {}\n", i + 1, targets->size(), (*cards)[i].name);
    std::fflush(stdout);
    if (auto ok = write_one(o.image, target); !ok) return report(ok.error());
    if (auto ok = prepare_one(target.path, (*cards)[i]); !ok) return report(ok.error());
  }
  if (int status = record(*cards, o.user); status != exit_ok) return status;
  fmt::print("burned {} card{}: boot them, then {}\n", targets->size(), targets->size() == 1 ? "" : "s",
             o.addresses.empty() ? "'beowulf add' each by its address" : "'beowulf add --planned'");
  return exit_ok;
}

constexpr const char* kFooter = R"(Examples:
  beowulf image read /dev/sdb worker.img            only the used blocks, plus worker.img.bmap
  beowulf image shrink worker.img                   the smallest image that still boots
  beowulf image write worker.img /dev/sdc           asks first; verifies after
  beowulf image prepare raspios.img --hostname worker001 --user pi --address 192.168.1.11/24
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
  personalize->add_flag("--new-host-keys", o->new_host_keys,
                        "replace the clone's SSH host keys with one made here (its fingerprint is printed) and empty machine-id");
  personalize->add_option("--address", o->address, "with --new-host-keys: the board's address (192.168.1.14/24), to plan it in the inventory")
      ->needs(personalize->get_option("--new-host-keys"));
  personalize->footer("Example:\n  beowulf image personalize worker.img --hostname worker004 --authorized-key ~/.ssh/id_ed25519.pub --new-host-keys");

  auto* prepare = sub.add_subcommand("prepare", "write a vendor image's first-boot settings: name, user, key, address, host key");
  prepare->add_option("IMAGE", o->image, "an image file or a card's device (Raspberry Pi OS 12, cloud-init, ext4 root)")->required();
  prepare->add_option("--hostname", o->hostname, "the board's host name")->required();
  prepare->add_option("--user", o->user, "the user to make (or, on a cloned card, that exists)")->required();
  prepare->add_option("--address", o->address, "a static address with its prefix, 192.168.1.11/24 (default: DHCP)");
  prepare->add_option("--gateway", o->gateway, "the default route with --address (default: none)");
  prepare->add_option("--dns", o->dns, "DNS servers with --address")->delimiter(',');
  prepare->add_option("--authorized-key", o->key_file, "the public key to authorize (default: yours, ~/.ssh/id_ed25519.pub)");
  prepare->add_flag("--password-stdin", o->password_stdin, "read a login password from stdin (stored only as a yescrypt hash)");
  prepare->add_option("--wifi-ssid", o->wifi_ssid, "join this Wi-Fi network (with --address, at that address; else DHCP); its passphrase is read from stdin, after the password");
  prepare->add_option("--wifi-country", o->wifi_country, "the Wi-Fi's country code, GB, US, DE (with --wifi-ssid)")->needs(prepare->get_option("--wifi-ssid"));
  prepare->footer(R"(The user may use sudo without a password (as Raspberry Pi OS's first user and
cloud-init's default user do); ssh takes keys only. The host key is made here and the
card recorded in the inventory as a planned node (with --address), so that 'beowulf add
--planned' knows the key the board will show.

Example:
  beowulf image prepare /dev/sdc --hostname worker001 --user pi --address 192.168.1.11/24 --gateway 192.168.1.1)");

  auto* burn = sub.add_subcommand("burn", "write and prepare one card per device, each with its own name, address and host key");
  burn->add_option("IMAGE", o->image, "the image")->required();
  burn->add_option("DEVICE", o->devices, "the cards' devices, in the order of --names")->required();
  burn->add_option("--names", o->names, "the host names, as worker[004-007]")->required();
  burn->add_option("--addresses", o->addresses, "static addresses in the same order, as 192.168.1.[14-17]/24");
  burn->add_option("--gateway", o->gateway, "the default route with --addresses (default: none)");
  burn->add_option("--dns", o->dns, "DNS servers with --addresses")->delimiter(',');
  burn->add_option("--user", o->user, "the user to make, or the image's (default linaro)");
  burn->add_option("--authorized-key", o->key_file, "the key to authorize (default: yours, ~/.ssh/id_ed25519.pub)");
  burn->add_flag("--password-stdin", o->password_stdin, "read a login password from stdin (stored only as a yescrypt hash)");
  burn->add_option("--wifi-ssid", o->wifi_ssid, "join this Wi-Fi network (with --address, at that address; else DHCP); its passphrase is read from stdin, after the password");
  burn->add_option("--wifi-country", o->wifi_country, "the Wi-Fi's country code, GB, US, DE (with --wifi-ssid)")->needs(burn->get_option("--wifi-ssid"));
  burn->add_flag("--yes,-y", o->yes, "do not ask before writing");
  burn->footer(R"(Each card is written, verified, then prepared as 'image prepare' does, with its own
host key; with --addresses every card also gets the whole planned cluster's hosts
block, and the cards are recorded as planned nodes. The user may use sudo without a
password on every card.

Example:
  beowulf image burn raspios.img /dev/sdc /dev/sdd --names worker[001-002] --addresses 192.168.1.[11-12]/24 --user pi)");

  return [o, read, write, verify, shrink, expand, personalize, prepare, burn]() {
    if (read->parsed()) return run_read(*o);
    if (write->parsed()) return run_write(*o);
    if (verify->parsed()) return run_verify(*o);
    if (shrink->parsed()) return run_shrink(*o);
    if (expand->parsed()) return run_expand(*o);
    if (personalize->parsed()) return run_personalize(*o);
    if (prepare->parsed()) return run_prepare(*o);
    return run_burn(*o);
  };
}

}  // namespace beowulf::cli

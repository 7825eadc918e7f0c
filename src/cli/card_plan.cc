#include "cli/card_plan.h"

#include <fmt/core.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/etc_files.h"
#include "core/nodeset.h"
#include "image/preparer.h"
#include "sys/inventory_file.h"
#include "sys/paths.h"

namespace beowulf::cli {
namespace {

/// "192.168.1.[11-14]/24" as its addresses, each with the prefix.
Result<std::vector<std::string>> expand_addresses(const std::string& text) {
  auto slash = text.rfind('/');
  if (slash == std::string::npos)
    return bad_input(fmt::format("--addresses '{}' has no prefix length", text), "write it like 192.168.1.[11-14]/24");
  auto set = NodeSet::parse(text.substr(0, slash));
  if (!set) return set.error();
  std::vector<std::string> out;
  for (const auto& address : set->expand()) out.push_back(address + text.substr(slash));
  return out;
}

}  // namespace

Result<std::vector<PlannedCard>> plan_cards(const std::string& names, const std::string& addresses, const CardSettings& settings,
                                            size_t expected) {
  auto set = NodeSet::parse(names);
  if (!set) return set.error();
  const auto& expanded = set->expand();  // natural order: worker004 goes on the first device
  if (expected && expanded.size() != expected)
    return bad_input(fmt::format("--names '{}' gives {} names for {} devices", names, expanded.size(), expected),
                     "give one name per device, in the same order");
  std::vector<std::string> cidrs;
  if (addresses.empty() && (!settings.gateway.empty() || !settings.dns.empty()))
    return bad_input("--gateway and --dns go with a static address", "give the card's address too: --address 192.168.1.11/24");
  if (!addresses.empty()) {
    auto listed = expand_addresses(addresses);
    if (!listed) return listed.error();
    cidrs = *listed;
    if (cidrs.size() != expanded.size())
      return bad_input(fmt::format("--addresses '{}' gives {} addresses for {} names", addresses, cidrs.size(), expanded.size()),
                       "give one address per name, in the same order");
  }
  if (auto ok = image::check_user_name(settings.user); !ok) return ok.error();
  std::vector<PlannedCard> cards;
  for (size_t i = 0; i < expanded.size(); ++i) {
    if (auto ok = check_hostname(expanded[i]); !ok) return ok.error();
    PlannedCard card{.name = expanded[i]};
    if (!cidrs.empty()) {
      auto address = image::parse_static_address(cidrs[i], settings.gateway, settings.dns);
      if (!address) return address.error();
      card.address = *address;
    }
    cards.push_back(std::move(card));
  }
  return cards;
}

Status make_keys(std::vector<PlannedCard>& cards, const CardSettings& settings) {
  std::vector<std::string> hosts;
  for (const auto& card : cards)
    if (card.address) hosts.push_back(fmt::format("{} {}", card.address->address.str(), card.name));
  for (auto& card : cards) {
    auto key = image::make_host_key(card.name);
    if (!key) return key.error();
    card.host_key = *key;
    card.first_boot = {.hostname = card.name, .user = settings.user, .authorized_key = settings.authorized_key,
                       .password_hash = settings.password_hash, .address = card.address,
                       .host_private_key = key->private_key, .host_public_key = key->public_key, .hosts = hosts,
                       .wifi = settings.wifi};
  }
  return {};
}

Result<std::vector<std::string>> record_planned(const std::vector<PlannedCard>& cards, const std::string& user, bool dry_run) {
  std::vector<std::string> said;
  std::string path = sys::inventory_path();
  if (!std::filesystem::exists(path)) {
    if (dry_run) return said;
    for (const auto& card : cards)
      said.push_back(fmt::format("{}: host key {} (not recorded: no cluster here yet, {} does not exist)", card.name,
                                 card.host_key.fingerprint, sys::display_path(path)));
    return said;
  }
  auto inventory = sys::load_inventory(path);
  if (!inventory) return inventory.error();
  bool changed = false;
  for (const auto& card : cards) {
    if (!card.address) {
      said.push_back(fmt::format("{}: host key {} (not recorded as planned: no --address)", card.name, card.host_key.fingerprint));
      continue;
    }
    const Node* old = inventory->find(card.name);
    if (old && !old->planned)
      return bad_input(fmt::format("{} is already a member of the cluster", card.name),
                       fmt::format("to re-image it, 'beowulf remove {}' first, or choose another name", card.name));
    Node node{.name = card.name, .address = card.address->address, .user = user, .host_key = card.host_key.fingerprint,
              .planned = true};
    if (!card.host_key.public_key.empty()) node.host_keys = {card.host_key.key_only()};  // a dry run has no keys yet
    if (auto ok = inventory->put(node); !ok)
      return bad_input(fmt::format("{}: cannot plan {}: {}", sys::display_path(path), card.name, ok.error().message()),
                       ok.error().hint);
    changed = true;
    said.push_back(fmt::format("{}: planned at {}, host key {}", card.name, card.address->address.str(), card.host_key.fingerprint));
  }
  if (changed && !dry_run)
    if (auto ok = sys::save_inventory(path, *inventory); !ok) return ok.error();
  return said;
}

Result<std::string> read_public_key(std::string file, bool required) {
  if (file.empty()) {
    for (const char* name : {"id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub"}) {
      std::string candidate = fmt::format("{}/.ssh/{}", sys::home_directory(), name);
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
  bool looks_like_key = in && std::getline(in, key) && (key.rfind("ssh-", 0) == 0 || key.rfind("ecdsa-", 0) == 0) &&
                        key.find(' ') != std::string::npos && key.find("PRIVATE KEY") == std::string::npos;
  if (!looks_like_key)
    return bad_input(fmt::format("{}: not an OpenSSH public key", file), "give the .pub file, e.g. ~/.ssh/id_ed25519.pub");
  return key;
}

}  // namespace beowulf::cli

#pragma once
// CardPlan: the cards `image prepare` and `image burn` make, each with its name, address
// and host key, checked before anything is written; and their record in the inventory as
// planned nodes (not members until `beowulf add` proves them).

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "image/first_boot.h"
#include "image/host_key_pair.h"

namespace beowulf::cli {

struct CardSettings {
  std::string user;
  std::string authorized_key;           ///< the key line to authorize
  std::string password_hash;            ///< empty: none
  std::string gateway;
  std::vector<std::string> dns;
  std::optional<image::Wifi> wifi;
};

struct PlannedCard {
  std::string name;
  std::optional<image::StaticAddress> address;
  image::FirstBoot first_boot;  ///< with its own host key and the whole plan's hosts block
  image::HostKeyPair host_key;
};

/// One card per name of `names` (a node set), with the address of the same rank in
/// `addresses` ("192.168.1.[11-14]/24"; empty: none). Refuses, before any key is made:
/// a bad node set or host name, lists of different lengths, an address outside its
/// prefix's subnet or unusable, `expected` cards when it is not 0 and differs.
Result<std::vector<PlannedCard>> plan_cards(const std::string& names, const std::string& addresses, const CardSettings& settings,
                                            size_t expected);

/// Makes every card's host key on this machine and fills in its first-boot settings.
Status make_keys(std::vector<PlannedCard>& cards, const CardSettings& settings);

/// Records the cards that have an address as planned nodes in the inventory (~/.beowulf/
/// cluster.toml, atomically), replacing planned nodes of the same name. Refuses a card
/// named as a member, or whose address a node has or lies outside the cluster's subnet.
/// With `dry_run` it only checks (before any card is written) and says nothing. Returns
/// lines to tell the user (what was recorded, or why not: no address, no cluster yet).
Result<std::vector<std::string>> record_planned(const std::vector<PlannedCard>& cards, const std::string& user, bool dry_run);

/// The public key to authorize: `file`, or the user's own default key (~/.ssh/id_ed25519.pub ...).
/// Refuses a file that is not an OpenSSH public key.
Result<std::string> read_public_key(std::string file, bool required);

}  // namespace beowulf::cli

#include "cluster/users_plan.h"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <sstream>

namespace beowulf::cluster {
namespace {

std::vector<std::string> fields(std::string_view line, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto end = line.find(separator, start);
    out.emplace_back(line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

std::optional<int> number(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool is_free(int uid, const std::map<std::string, NodeAccounts>& nodes) {
  return std::all_of(nodes.begin(), nodes.end(), [&](const auto& n) { return n.second.holder_of(uid).empty(); });
}

/// The nodes holding user `name`, joined: "linaro-nano, worker001".
std::string nodes_with(const std::string& name, const std::map<std::string, NodeAccounts>& nodes) {
  std::string out;
  for (const auto& [node, accounts] : nodes)
    if (accounts.users.count(name) || accounts.groups.count(name)) out += (out.empty() ? "" : ", ") + node;
  return out;
}

}  // namespace

std::string NodeAccounts::holder_of(int uid) const {
  for (const auto& [name, account] : users)
    if (account.uid == uid) return name;
  for (const auto& [name, gid] : groups)
    if (gid == uid) return "group " + name;
  return "";
}

Result<NodeAccounts> parse_node_accounts(std::string_view text) {
  NodeAccounts out;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("home ")) {
      out.homes_present.insert(line.substr(5));
      continue;
    }
    bool passwd = line.starts_with("passwd "), group = line.starts_with("group ");
    auto f = fields(std::string_view(line).substr(passwd ? 7 : group ? 6 : 0), ':');
    if (passwd && f.size() == 7 && number(f[2]) && number(f[3])) {
      out.users[f[0]] = Account{f[0], *number(f[2]), *number(f[3]), f[5], f[6]};
      continue;
    }
    if (group && f.size() == 4 && number(f[2])) {
      out.groups[f[0]] = *number(f[2]);
      continue;
    }
    return Error{fmt::format("the account database answered a line beowulf does not know: '{}'", line)};
  }
  return out;
}

Status check_user_name(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 32 && name[0] >= 'a' && name[0] <= 'z' &&
            std::all_of(name.begin(), name.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            });
  if (ok) return {};
  return bad_input(fmt::format("'{}' is not a valid user name", name),
                   "use lower-case letters, digits, '-' and '_', starting with a letter, at most 32 characters");
}

Result<std::vector<Account>> plan_accounts(const std::vector<std::string>& names, std::optional<int> first_uid,
                                           const std::map<std::string, NodeAccounts>& nodes) {
  std::vector<Account> out;
  std::set<int> chosen;
  int next = first_uid.value_or(kFirstUid);
  for (const auto& name : names) {
    if (Status s = check_user_name(name); !s.ok()) return s.error();
    if (std::string where = nodes_with(name, nodes); !where.empty())
      return bad_input(fmt::format("{} already exists on {}", name, where),
                       fmt::format("'beowulf users check {}' compares it on every node", name));
    if (first_uid) {
      if (next > kLastUid) return bad_input(fmt::format("UID {} is past {}, the last of ordinary accounts", next, kLastUid));
      for (const auto& [node, accounts] : nodes)
        if (std::string holder = accounts.holder_of(next); !holder.empty())
          return bad_input(fmt::format("UID {} is taken on {} (by {})", next, node, holder),
                           "leave --uid out: each new user gets the next UID free on every node");
    } else {
      while (next <= kLastUid && (chosen.count(next) || !is_free(next, nodes))) ++next;
      if (next > kLastUid) return bad_input(fmt::format("no UID is free on every node up to {}", kLastUid));
    }
    chosen.insert(next);
    out.push_back(Account{name, next, next, "/home/" + name, "/bin/bash"});
    ++next;
  }
  return out;
}

std::vector<UserProblem> check_accounts(const std::vector<std::string>& names, const std::string& master,
                                        const std::map<std::string, NodeAccounts>& nodes) {
  std::vector<UserProblem> out;
  for (const auto& name : names) {
    const Account* reference = nullptr;
    std::string reference_node;
    auto here = nodes.find(master);
    if (here != nodes.end() && here->second.users.count(name)) {
      reference = &here->second.users.at(name);
      reference_node = "the master's";
    }
    for (const auto& [node, accounts] : nodes)
      if (!reference && accounts.users.count(name)) {
        reference = &accounts.users.at(name);
        reference_node = node + "'s";
      }
    if (!reference) continue;  // on no node: nothing to compare
    for (const auto& [node, accounts] : nodes) {
      auto it = accounts.users.find(name);
      if (it == accounts.users.end()) {
        out.push_back({name, node, fmt::format("missing (UID {} elsewhere)", reference->uid),
                       fmt::format("beowulf users check --fix {}", name)});
        continue;
      }
      const Account& a = it->second;
      if (a.uid != reference->uid)
        out.push_back({name, node, fmt::format("UID {}, {} is {}", a.uid, reference_node, reference->uid),
                       fmt::format("beowulf users check --fix {}", name)});
      if (a.gid != reference->gid)
        out.push_back({name, node, fmt::format("GID {}, {} is {}", a.gid, reference_node, reference->gid),
                       fmt::format("beowulf users check --fix {}", name)});
      if (!accounts.homes_present.count(name))
        out.push_back({name, node, fmt::format("its home {} is missing", a.home),
                       fmt::format("beowulf users check --fix {}", name)});
    }
  }
  return out;
}

}  // namespace beowulf::cluster

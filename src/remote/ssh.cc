#include "remote/ssh.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fmt/core.h>

#include "remote/control_socket.h"
#include "sys/paths.h"

namespace beowulf::remote {
namespace {

/// A value for an ssh -o option: a path with spaces must be quoted there.
std::string config_value(const std::string& value) {
  return value.find_first_of(" \t") == std::string::npos ? value : "\"" + value + "\"";
}

/// `cp -p`, with -r when `recursive`, then "--": a copy on this machine.
std::vector<std::string> local_copy(bool recursive) {
  std::vector<std::string> argv = {"cp", "-p"};
  if (recursive) argv.push_back("-r");
  argv.push_back("--");
  return argv;
}

/// scp's [user@]host: an IPv6 address needs brackets there.
std::string scp_host(const Target& target) {
  std::string host = target.address.find(':') != std::string::npos ? "[" + target.address + "]" : target.address;
  return target.user.empty() ? host : target.user + "@" + host;
}

/// `path` on `target` as a copy names it: as it is on this machine, [user@]host:path elsewhere.
std::string copy_path(const Target& target, const std::string& path) {
  return target.local ? path : scp_host(target) + ":" + path;
}

}  // namespace

Ssh::Ssh(SshOptions options) : options_(std::move(options)) {
  if (options_.control_dir.empty()) options_.control_dir = default_control_dir();
}

std::vector<std::string> Ssh::options() const {
  const SshOptions& o = options_;
  std::vector<std::string> out;
  auto option = [&](const std::string& setting) {
    out.push_back("-o");
    out.push_back(setting);
  };
  if (o.first_contact) {
    option("BatchMode=no");
    option("NumberOfPasswordPrompts=1");
    option(o.pinned ? "StrictHostKeyChecking=yes" : "StrictHostKeyChecking=accept-new");
  } else {
    option("BatchMode=yes");
    option("StrictHostKeyChecking=yes");
  }
  if (!o.known_hosts.empty()) option("UserKnownHostsFile=" + config_value(o.known_hosts));
  if (o.pinned) {
    option("GlobalKnownHostsFile=/dev/null");
    option("UpdateHostKeys=no");
  }
  if (!o.identity.empty()) option("IdentityFile=" + config_value(o.identity));
  option(fmt::format("ConnectTimeout={}", o.connect_timeout.count()));
  option(fmt::format("ServerAliveInterval={}", o.server_alive_interval.count()));
  option("ServerAliveCountMax=3");
  if (o.multiplex) {
    std::string dir = o.control_dir;
    for (std::size_t at = 0; (at = dir.find('%', at)) != std::string::npos; at += 2) dir.insert(at, "%");
    option("ControlMaster=auto");
    option("ControlPath=" + config_value(dir + "/%C"));
    option("ControlPersist=" + o.control_persist);
  } else {
    option("ControlMaster=no");
    option("ControlPath=none");
  }
  option("LogLevel=ERROR");  // no "Permanently added ..." chatter on a node's stderr
  return out;
}

std::vector<std::string> Ssh::command_line(const std::string& program) const {
  std::vector<std::string> argv = {program};
  if (!options_.config_file.empty()) argv.insert(argv.end(), {"-F", options_.config_file});
  auto opts = options();
  argv.insert(argv.end(), opts.begin(), opts.end());
  return argv;
}

std::vector<std::string> Ssh::copy_command_line(const Target& target, bool recursive) const {
  return target.local ? local_copy(recursive) : scp_command_line(target, recursive);
}

std::vector<std::string> Ssh::scp_command_line(const Target& target, bool recursive) const {
  std::vector<std::string> argv = command_line(options_.scp_program);
  argv.insert(argv.end(), {"-p", "-P", std::to_string(target.port)});
  if (recursive) argv.push_back("-r");
  argv.push_back("--");
  return argv;
}

sys::ProcessSpec Ssh::run(const Target& target, const std::string& command) const {
  if (target.local) return sys::ProcessSpec{.argv = {"sh", "-c", command}};
  std::vector<std::string> argv = command_line(options_.ssh_program);
  argv.insert(argv.end(), {"-T", "-p", std::to_string(target.port)});
  if (!target.user.empty()) argv.insert(argv.end(), {"-l", target.user});
  argv.insert(argv.end(), {"--", target.address, command});
  return sys::ProcessSpec{.argv = std::move(argv)};
}

sys::ProcessSpec Ssh::copy_to(const Target& target, const std::vector<std::string>& sources,
                              const std::string& destination, bool recursive) const {
  std::vector<std::string> argv = copy_command_line(target, recursive);
  argv.insert(argv.end(), sources.begin(), sources.end());
  argv.push_back(copy_path(target, destination));
  return sys::ProcessSpec{.argv = std::move(argv)};
}

sys::ProcessSpec Ssh::copy_from(const Target& target, const std::string& source, const std::string& destination,
                                bool recursive) const {
  std::vector<std::string> argv = copy_command_line(target, recursive);
  argv.insert(argv.end(), {copy_path(target, source), destination});
  return sys::ProcessSpec{.argv = std::move(argv)};
}

std::string Ssh::master_socket(const Target& target) const {
  if (!options_.multiplex || !options_.config_file.empty() || target.local) return {};
  return control_socket(options_.control_dir, target, local_host_name());
}

std::string default_control_dir() { return sys::beowulf_home() + "/ssh"; }

Status ensure_control_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{fmt::format("make {}: {}", dir, ec.message()), "", ""};
  if (!std::filesystem::is_directory(dir))
    return Error{fmt::format("make {}: it exists and is not a directory", dir), "", ""};
  if (chmod(dir.c_str(), 0700) != 0) return Error{fmt::format("chmod 0700 {}: {}", dir, std::strerror(errno)), "", ""};
  return {};
}

std::string shell_quote(std::string_view word) {
  static constexpr std::string_view kSafe =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=./:@,%";
  if (!word.empty() && word.find_first_not_of(kSafe) == std::string_view::npos) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

std::string shell_join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += ' ';
    out += shell_quote(word);
  }
  return out;
}

}  // namespace beowulf::remote

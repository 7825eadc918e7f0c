#pragma once
// Where beowulf keeps its state: ~/.beowulf/ (BEOWULF_HOME overrides it, for tests).

#include <string>
#include <string_view>

namespace beowulf::sys {

/// The user's home: $HOME when set and not empty, else the password database's entry.
std::string home_directory();

/// beowulf's folder: $BEOWULF_HOME when set and not empty, else ~/.beowulf.
std::string beowulf_home();

/// The inventory: beowulf_home()/cluster.toml.
std::string inventory_path();

/// `path` as messages show it: the home folder written as "~" ("~/.beowulf/cluster.toml").
std::string display_path(std::string_view path);

}  // namespace beowulf::sys

#pragma once
// TempDir: a fresh private folder under the system's temp folder, removed with everything
// in it when the TempDir goes. For tests and scratch work.

#include <string>

namespace beowulf::sys {

class TempDir {
 public:
  /// Makes $TMPDIR/PREFIX-XXXXXX (mode 0700); path() is empty when it could not be made.
  explicit TempDir(const std::string& prefix = "beowulf-test");
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace beowulf::sys

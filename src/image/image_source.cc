#include "image/image_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/core.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

namespace beowulf::image {
namespace {

struct Decompressor {
  std::string_view suffix;
  std::string_view program;
};
constexpr std::array<Decompressor, 3> kDecompressors = {{{".xz", "xz"}, {".zst", "zstd"}, {".gz", "gzip"}}};

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Result<uint64_t> size_of(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Error{fmt::format("{}: {}", path, std::strerror(errno))};
  return static_cast<uint64_t>(st.st_size);
}

}  // namespace

std::string without_compression_suffix(const std::string& path) {
  for (const auto& d : kDecompressors)
    if (ends_with(path, d.suffix)) return path.substr(0, path.size() - d.suffix.size());
  return path;
}

Result<ImageSource> ImageSource::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{fmt::format("{}: open image: {}", path, std::strerror(errno))};
  for (const auto& d : kDecompressors) {
    if (!ends_with(path, d.suffix)) continue;
    ::close(fd);
    auto process = sys::Process::start({.argv = {std::string(d.program), "-dc", "--", path}});
    if (!process) return Error{fmt::format("{}: start {}: {}", path, d.program, process.error().message()),
                               {}, fmt::format("install {} to read {} images", d.program, d.suffix)};
    process->close_stdin();
    ImageSource source(path, process->stdout_fd(), 0);
    source.process_.emplace(std::move(*process));
    return source;
  }
  auto size = size_of(fd, path);
  if (!size) {
    ::close(fd);
    return size.error();
  }
  return ImageSource(path, fd, *size);
}

ImageSource::ImageSource(ImageSource&& o) noexcept
    : path_(std::move(o.path_)), fd_(o.fd_), size_(o.size_), position_(o.position_), process_(std::move(o.process_)) {
  o.fd_ = -1;
  o.process_.reset();
}

ImageSource& ImageSource::operator=(ImageSource&& o) noexcept {
  std::swap(path_, o.path_);
  std::swap(fd_, o.fd_);
  std::swap(size_, o.size_);
  std::swap(position_, o.position_);
  std::swap(process_, o.process_);
  return *this;
}

ImageSource::~ImageSource() {
  if (!process_ && fd_ >= 0) ::close(fd_);  // a stream's fd belongs to its Process
}

Status ImageSource::skip_to(uint64_t offset) {
  if (offset < position_)
    return Error{fmt::format("{}: a compressed image is read forward only (wanted byte {} after {})", path_, offset, position_)};
  std::vector<char> scratch(1 << 20);
  while (position_ < offset) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(scratch.size(), offset - position_));
    auto got = read_at(position_, scratch.data(), want);
    if (!got) return got.error();
    if (*got == 0) break;
  }
  return {};
}

Result<size_t> ImageSource::read_at(uint64_t offset, void* buffer, size_t length) {
  char* out = static_cast<char*>(buffer);
  if (seekable()) {
    size_t done = 0;
    while (done < length) {
      ssize_t n = ::pread(fd_, out + done, length - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Error{fmt::format("{}: read at byte {}: {}", path_, offset + done, std::strerror(errno))};
      if (n == 0) break;
      done += static_cast<size_t>(n);
    }
    return done;
  }
  if (offset != position_) {
    if (auto skipped = skip_to(offset); !skipped) return skipped.error();
    if (position_ < offset) return size_t{0};
  }
  size_t done = 0;
  while (done < length) {
    ssize_t n = ::read(fd_, out + done, length - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{fmt::format("{}: decompress: {}", path_, std::strerror(errno))};
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  position_ += done;
  return done;
}

Status ImageSource::finish() {
  if (!process_) return {};
  std::vector<char> rest(1 << 16);
  while (::read(fd_, rest.data(), rest.size()) > 0) {
  }
  std::string err;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(process_->stderr_fd(), buf, sizeof buf)) > 0) err.append(buf, static_cast<size_t>(n));
  sys::ProcessResult result;
  process_->wait(result);
  process_.reset();
  fd_ = -1;
  if (!result.ok()) {
    while (!err.empty() && err.back() == '\n') err.pop_back();
    return Error{fmt::format("{}: decompress: {}", path_, err.empty() ? "the decompressor failed" : err)};
  }
  return {};
}

}  // namespace beowulf::image

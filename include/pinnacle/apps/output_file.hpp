#pragma once
/// @file apps/output_file.hpp
/// Crash-safe output files for the example programs and report writers: the new content goes
/// to a temporary file in the destination's directory, is flushed to disk, and is renamed over
/// the destination. A reader sees the old file or the whole new one, never a part (POSIX only).

#include "pinnacle/core/requires_cxx20.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <system_error>

namespace pinnacle {
inline namespace v0 {

namespace detail {
/// "<what> <path>: <system's reason for err>".
inline std::string io_error(std::string_view what, const std::string& path, int err) {
    return std::string(what) + " " + path + ": " + std::generic_category().message(err);
}
/// The directory part of `path` ("." when it has none), for a temporary beside it.
inline std::string directory_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}
} // namespace detail

/// Writes `text` to `path`, replacing it atomically; returns an empty string on success, or the
/// error ("cannot write out.json: No space left on device") with the system's reason.
///
/// Steps: create `<path>.tmp.<pid>.<n>` (O_EXCL, mode 0666 less the umask) in the same
/// directory, write everything, fsync, close, rename over `path`, fsync the directory (best
/// effort). On any failure the temporary is removed and `path` keeps its old content (or stays
/// absent). SIGINT, SIGTERM, SIGHUP and SIGQUIT are blocked on this thread for the duration, so an
/// interrupt lands after the rename or the cleanup instead of leaving a temporary behind; only
/// SIGKILL or a power cut can leave a `*.tmp.*` file, never a partial `path`.
/// Thread-safety: any thread (distinct paths).
[[nodiscard]] inline std::string write_file_atomically(const std::string& path, std::string_view text) {
    if (path.empty()) return "cannot write an output file with an empty name";
    static std::atomic<unsigned> counter{0};

    sigset_t block{};
    sigset_t old{};
    sigemptyset(&block);
    for (const int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&block, s);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    struct restore_mask {
        const sigset_t* mask;
        ~restore_mask() { pthread_sigmask(SIG_SETMASK, mask, nullptr); }
    } const restore{&old};

    std::string tmp;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1));
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) return detail::io_error("cannot write", path, errno);
    }
    if (fd < 0) return detail::io_error("cannot write", path, EEXIST);

    const auto fail = [&](int err) {
        if (fd >= 0) ::close(fd);
        ::unlink(tmp.c_str());
        return detail::io_error("cannot write", path, err);
    };
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        const ::ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail(errno);
        }
        if (n == 0) return fail(EIO);
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) return fail(errno);
    const int closed = ::close(fd);
    fd = -1;
    if (closed != 0) return fail(errno);
    if (std::rename(tmp.c_str(), path.c_str()) != 0) return fail(errno);
    // Make the rename itself durable; a failure here loses nothing already renamed.
    if (const int dir = ::open(detail::directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
        (void)::fsync(dir);
        ::close(dir);
    }
    return {};
}

} // namespace v0
} // namespace pinnacle

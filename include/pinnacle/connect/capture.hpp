#pragma once
/// @file connect/capture.hpp
/// Line reader for recorded market data captures: plain text, gzip (zlib) or zstd (libzstd),
/// told apart by their magic bytes, read in chunks so a capture of any size streams through.

#include "pinnacle/core/requires_cxx20.hpp"

#include <cstddef>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include <zlib.h>
#include <zstd.h>

namespace pinnacle {
inline namespace v0 {
namespace connect {

/// Compression of a capture file.
enum class capture_compression : unsigned char { plain, gzip, zstd };

/// Reads a capture one line at a time (without the '\n'; a trailing '\r' is kept).
/// Thread-safety: one thread. Errors (cannot open, corrupt stream, a line over `max_line`
/// bytes) throw std::runtime_error naming the file and line.
class capture_reader {
public:
    /// Longest line accepted, in bytes (a REST snapshot of 5000 levels is well under this).
    static constexpr std::size_t max_line = std::size_t{256} << 20;

    /// Opens `path`. Throws std::runtime_error when it cannot be opened or read.
    explicit capture_reader(std::string path) : path_(std::move(path)) {
        std::FILE* f = std::fopen(path_.c_str(), "rb");
        if (f == nullptr) throw std::runtime_error(path_ + ": cannot open");
        unsigned char magic[4] = {0, 0, 0, 0};
        const std::size_t n = std::fread(magic, 1, 4, f);
        std::rewind(f);
        file_.reset(f);
        if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
            kind_ = capture_compression::gzip;
            file_.reset();
            gz_ = gzopen(path_.c_str(), "rb");
            if (gz_ == nullptr) throw std::runtime_error(path_ + ": cannot open as gzip");
        } else if (n == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd) {
            kind_ = capture_compression::zstd;
            zs_ = ZSTD_createDStream();
            if (zs_ == nullptr) throw std::runtime_error(path_ + ": cannot create a zstd stream");
            in_.resize(ZSTD_DStreamInSize());
        }
        chunk_.resize(std::size_t{1} << 20);
    }
    capture_reader(const capture_reader&) = delete;
    capture_reader& operator=(const capture_reader&) = delete;
    /// Closes the file.
    ~capture_reader() {
        if (gz_ != nullptr) gzclose(gz_);
        if (zs_ != nullptr) ZSTD_freeDStream(zs_);
    }

    /// The compression detected.
    [[nodiscard]] capture_compression compression() const noexcept { return kind_; }
    /// 1-based number of the line last returned.
    [[nodiscard]] std::size_t line_no() const noexcept { return line_no_; }
    /// The file name given.
    [[nodiscard]] const std::string& path() const noexcept { return path_; }

    /// The next line, valid until the next call; false at the end of the file.
    bool next(std::string_view& line) {
        for (;;) {
            const std::size_t nl = buf_.find('\n', pos_);
            if (nl != std::string::npos) {
                line = std::string_view(buf_).substr(pos_, nl - pos_);
                pos_ = nl + 1;
                ++line_no_;
                return true;
            }
            if (buf_.size() - pos_ > max_line) throw std::runtime_error(path_ + ":" + std::to_string(line_no_ + 1) + ": line longer than 256 MiB");
            buf_.erase(0, pos_);
            pos_ = 0;
            const std::size_t got = fill();
            if (got == 0) {
                if (buf_.empty()) return false;
                line_ = std::move(buf_);
                buf_.clear();
                line = line_;
                ++line_no_;
                return true;
            }
        }
    }

private:
    struct file_closer {
        void operator()(std::FILE* f) const noexcept { std::fclose(f); }
    };

    // Appends decompressed bytes to buf_; returns how many (0 at the end).
    std::size_t fill() {
        if (kind_ == capture_compression::plain) {
            const std::size_t n = std::fread(chunk_.data(), 1, chunk_.size(), file_.get());
            if (n == 0 && std::ferror(file_.get()) != 0) throw std::runtime_error(path_ + ": read error");
            buf_.append(chunk_.data(), n);
            return n;
        }
        if (kind_ == capture_compression::gzip) {
            const int n = gzread(gz_, chunk_.data(), static_cast<unsigned>(chunk_.size()));
            if (n < 0) {
                int err = 0;
                const char* msg = gzerror(gz_, &err);
                throw std::runtime_error(path_ + ": gzip error after line " + std::to_string(line_no_) + ": " + (msg != nullptr ? msg : "?"));
            }
            buf_.append(chunk_.data(), static_cast<std::size_t>(n));
            return static_cast<std::size_t>(n);
        }
        for (;;) {  // zstd: decompress until some output, or the input ends
            if (zin_.pos == zin_.size) {
                const std::size_t n = std::fread(in_.data(), 1, in_.size(), file_.get());
                if (n == 0) {
                    if (std::ferror(file_.get()) != 0) throw std::runtime_error(path_ + ": read error");
                    if (zlast_ != 0) throw std::runtime_error(path_ + ": truncated zstd stream after line " + std::to_string(line_no_));
                    return 0;
                }
                zin_ = ZSTD_inBuffer{in_.data(), n, 0};
            }
            ZSTD_outBuffer out{chunk_.data(), chunk_.size(), 0};
            zlast_ = ZSTD_decompressStream(zs_, &out, &zin_);
            if (ZSTD_isError(zlast_) != 0)
                throw std::runtime_error(path_ + ": zstd error after line " + std::to_string(line_no_) + ": " + ZSTD_getErrorName(zlast_));
            if (out.pos > 0) {
                buf_.append(chunk_.data(), out.pos);
                return out.pos;
            }
        }
    }

    std::string path_;
    std::unique_ptr<std::FILE, file_closer> file_;
    gzFile gz_ = nullptr;
    ZSTD_DStream* zs_ = nullptr;
    ZSTD_inBuffer zin_{nullptr, 0, 0};
    std::size_t zlast_ = 0;
    std::string in_;
    std::string chunk_;
    std::string buf_;
    std::string line_;
    std::size_t pos_ = 0;
    std::size_t line_no_ = 0;
    capture_compression kind_ = capture_compression::plain;
};

} // namespace connect
} // namespace v0
} // namespace pinnacle

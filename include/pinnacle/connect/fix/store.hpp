#pragma once
/// @file
/// The message store of a FIX session: the next sender and target MsgSeqNum (34) and every
/// message sent, so that a restart resumes the sequence numbers and a ResendRequest (2) can be
/// answered (FIX 4.4 Vol. 2, "Message Recovery": "the sender must retain messages sent").
///
/// On disk, one pair of files per session in the store directory, named after the session id
/// (characters other than [A-Za-z0-9._-] become '_'):
/// - `<id>.seqnums`: "<next sender> <next target>\n", rewritten on every change by writing a
///   temporary file in the same directory and renaming it over the old one (atomic on POSIX).
/// - `<id>.body`: the sent messages, appended as "<seq> <length>\n<bytes>\n" and flushed to the
///   OS after each one; with `sync` also fsync'ed (survives a power loss, at a disk write per
///   message). A record cut short by a crash is ignored on reopening.
/// Without open() the store keeps everything in memory only. Sequence numbers: 1..2^32-1.
/// No exceptions: errors are returned as false, with error() saying what and where.
/// Thread-safety: one thread.

#include "pinnacle/core/requires_cxx20.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#if __has_include(<unistd.h>)
#include <unistd.h>
#define PINNACLE_FIX_HAVE_FSYNC 1
#endif

namespace pinnacle::inline v0::fix {

/// Sequence numbers and sent messages of one FIX session, in memory or in files (see file doc).
class message_store {
public:
    /// A memory-only store: sequence numbers start at 1, nothing survives the process.
    message_store() = default;
    message_store(const message_store&) = delete;
    message_store& operator=(const message_store&) = delete;
    /// Closes the message file.
    ~message_store() { close(); }

    /// Opens (or creates) the files of session `id` in directory `dir` (created if missing) and
    /// loads them; `sync` fsyncs every appended message. Returns false with error() naming the
    /// file on I/O errors or a malformed seqnums or message file.
    [[nodiscard]] bool open(const std::filesystem::path& dir, std::string_view id, bool sync = false) {
        close();
        sync_ = sync;
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (ec) return fail("cannot create store directory " + dir.string() + ": " + ec.message());
        std::string name;
        for (char c : id) {
            const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            name += ok ? c : '_';
        }
        seq_path_ = dir / (name + ".seqnums");
        body_path_ = dir / (name + ".body");
        next_sender_ = 1;
        next_target_ = 1;
        messages_.clear();
        if (std::FILE* f = std::fopen(seq_path_.c_str(), "rb")) {
            unsigned long long s = 0;
            unsigned long long t = 0;
            const int n = std::fscanf(f, "%llu %llu", &s, &t);
            std::fclose(f);
            if (n != 2 || s < 1 || t < 1 || s > 0xFFFF'FFFFULL || t > 0xFFFF'FFFFULL) {
                return fail("malformed sequence number file " + seq_path_.string() + " (want \"<sender> <target>\", 1..2^32-1)");
            }
            next_sender_ = static_cast<std::uint32_t>(s);
            next_target_ = static_cast<std::uint32_t>(t);
        }
        if (!load_body()) return false;
        body_ = std::fopen(body_path_.c_str(), "ab");
        if (body_ == nullptr) return fail("cannot open " + body_path_.string() + ": " + std::strerror(errno));
        return write_seqnums();
    }

    /// MsgSeqNum (34) of the next message we send.
    [[nodiscard]] std::uint32_t next_sender_seq() const noexcept { return next_sender_; }
    /// MsgSeqNum (34) we expect on the next message we receive.
    [[nodiscard]] std::uint32_t next_target_seq() const noexcept { return next_target_; }

    /// Sets the next sender MsgSeqNum (>= 1) and persists it; false on an I/O error.
    [[nodiscard]] bool set_next_sender_seq(std::uint32_t n) {
        next_sender_ = n < 1 ? 1 : n;
        return write_seqnums();
    }
    /// Sets the next target MsgSeqNum (>= 1) and persists it; false on an I/O error.
    [[nodiscard]] bool set_next_target_seq(std::uint32_t n) {
        next_target_ = n < 1 ? 1 : n;
        return write_seqnums();
    }

    /// Keeps sent message `seq` (the whole framed message) for resends; false on an I/O error.
    [[nodiscard]] bool save(std::uint32_t seq, std::string_view msg) {
        messages_[seq] = std::string(msg);
        if (body_ == nullptr) return true;
        if (std::fprintf(body_, "%u %zu\n", seq, msg.size()) < 0 || std::fwrite(msg.data(), 1, msg.size(), body_) != msg.size() ||
            std::fputc('\n', body_) == EOF || std::fflush(body_) != 0) {
            return fail("cannot append to " + body_path_.string() + ": " + std::strerror(errno));
        }
#if defined(PINNACLE_FIX_HAVE_FSYNC)
        if (sync_ && ::fsync(::fileno(body_)) != 0) return fail("cannot fsync " + body_path_.string() + ": " + std::strerror(errno));
#endif
        return true;
    }

    /// The sent messages kept, by MsgSeqNum.
    [[nodiscard]] const std::map<std::uint32_t, std::string>& messages() const noexcept { return messages_; }

    /// Starts over (ResetSeqNumFlag, SequenceReset-Reset of both sides): both sequence numbers
    /// back to 1, sent messages forgotten (the message file truncated). False on an I/O error.
    [[nodiscard]] bool reset() {
        messages_.clear();
        next_sender_ = 1;
        next_target_ = 1;
        if (body_ != nullptr) {
            std::fclose(body_);
            body_ = std::fopen(body_path_.c_str(), "wb");
            if (body_ == nullptr) return fail("cannot truncate " + body_path_.string() + ": " + std::strerror(errno));
        }
        return write_seqnums();
    }

    /// The last error, empty when none.
    [[nodiscard]] const std::string& error() const noexcept { return error_; }

private:
    bool fail(std::string what) {
        error_ = std::move(what);
        return false;
    }

    void close() noexcept {
        if (body_ != nullptr) std::fclose(body_);
        body_ = nullptr;
    }

    bool write_seqnums() {
        if (seq_path_.empty()) return true;
        std::filesystem::path tmp = seq_path_;
        tmp += ".tmp";
        std::FILE* f = std::fopen(tmp.c_str(), "wb");
        if (f == nullptr) return fail("cannot write " + tmp.string() + ": " + std::strerror(errno));
        const bool written = std::fprintf(f, "%u %u\n", next_sender_, next_target_) > 0 && std::fflush(f) == 0;
#if defined(PINNACLE_FIX_HAVE_FSYNC)
        const bool synced = !sync_ || ::fsync(::fileno(f)) == 0;
#else
        const bool synced = true;
#endif
        if (std::fclose(f) != 0 || !written || !synced) return fail("cannot write " + tmp.string() + ": " + std::strerror(errno));
        std::error_code ec;
        std::filesystem::rename(tmp, seq_path_, ec);
        if (ec) return fail("cannot rename " + tmp.string() + " to " + seq_path_.string() + ": " + ec.message());
        return true;
    }

    // Reads "<seq> <len>\n<bytes>\n" records; a record cut short at the end is dropped.
    bool load_body() {
        std::FILE* f = std::fopen(body_path_.c_str(), "rb");
        if (f == nullptr) return true;
        std::string data;
        char chunk[65536];
        std::size_t n = 0;
        while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) data.append(chunk, n);
        const bool err = std::ferror(f) != 0;
        std::fclose(f);
        if (err) return fail("cannot read " + body_path_.string());
        std::size_t pos = 0;
        while (pos < data.size()) {
            const std::size_t nl = data.find('\n', pos);
            if (nl == std::string::npos) break;
            unsigned long long seq = 0;
            unsigned long long len = 0;
            const std::string head = data.substr(pos, nl - pos);
            if (std::sscanf(head.c_str(), "%llu %llu", &seq, &len) != 2 || seq < 1 || seq > 0xFFFF'FFFFULL) {
                return fail("malformed record at byte " + std::to_string(pos) + " of " + body_path_.string());
            }
            if (len > data.size() - nl - 1 || data.size() - nl - 1 - len < 1) break;
            messages_[static_cast<std::uint32_t>(seq)] = data.substr(nl + 1, static_cast<std::size_t>(len));
            pos = nl + 1 + static_cast<std::size_t>(len) + 1;
        }
        if (pos < data.size()) {  // a record cut short: drop it so later appends stay readable
            std::error_code ec;
            std::filesystem::resize_file(body_path_, pos, ec);
            if (ec) return fail("cannot truncate the partial record of " + body_path_.string() + ": " + ec.message());
        }
        return true;
    }

    std::uint32_t next_sender_ = 1;
    std::uint32_t next_target_ = 1;
    std::map<std::uint32_t, std::string> messages_;
    std::filesystem::path seq_path_;
    std::filesystem::path body_path_;
    std::FILE* body_ = nullptr;
    bool sync_ = false;
    std::string error_;
};

} // namespace pinnacle::inline v0::fix

#pragma once
/// @file journal/journal.hpp
/// The event journal: an append-only, memory-mapped, segmented log (format in journal/format.hpp
/// and docs/persistence.md). journal_writer appends records without allocating; journal_reader
/// reads them back in order, checking every CRC. Opening a journal for writing finds the end of
/// the valid records and cuts off a torn or corrupt tail, so it is never replayed. POSIX only.

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "pinnacle/core/types.hpp"
#include "pinnacle/journal/format.hpp"

namespace pinnacle {
inline namespace v0 {

/// One record as read back. `payload` points into the mapped segment and stays valid until the
/// reader moves on (next call to next()).
struct journal_record {
    std::uint64_t seq = 0;            ///< Global sequence number (1, 2, ...).
    timestamp ts;                     ///< The record's timestamp (ns since the Unix epoch).
    record_type type = record_type::end; ///< What it holds.
    const unsigned char* payload = nullptr; ///< Its payload bytes.
    std::uint32_t length = 0;         ///< Payload bytes.
};

/// Why scanning a segment stopped.
enum class scan_stop : std::uint8_t {
    clean,     ///< An all-zero record header (or the exact end of the segment): nothing more written.
    torn,      ///< Bytes that are not a whole record: a write cut short (or a truncated file).
    crc_error, ///< A whole-looking record whose CRC32C does not match (corruption, or a torn payload).
};

/// What scanning one segment's bytes found.
struct segment_scan {
    std::uint64_t records = 0;  ///< Valid records.
    std::size_t end = 0;        ///< Offset just past the last valid record (the append position).
    std::uint64_t next_seq = 0; ///< Sequence number the next record must carry.
    scan_stop stop = scan_stop::clean; ///< Why the scan stopped.
    bool header_ok = false;     ///< The segment header was valid (else no record was read).
};

/// Checks a segment header at the start of `data` (`size` bytes): magic, version, CRC, index.
[[nodiscard]] inline bool valid_segment_header(const unsigned char* data, std::size_t size, std::uint64_t index) noexcept {
    if (size < journal_format::segment_header_size) return false;
    segment_header h;
    std::memcpy(&h, data, sizeof h);
    return std::memcmp(h.magic, journal_format::magic, sizeof h.magic) == 0 && h.version == journal_format::version &&
           h.header_size == journal_format::segment_header_size && h.index == index && h.crc == segment_crc(h) &&
           h.size >= journal_format::min_segment_size && h.size <= journal_format::max_segment_size && h.size % 4096 == 0;
}

/// Scans the records of one segment held in memory (`size` bytes, any content: this is what the
/// fuzz target drives). Calls `on_record(const journal_record&)` for each valid record, in order;
/// a record is valid when its length fits, its sequence number is `first_seq` + its position and
/// its CRC matches. Stops at the first record that is not valid. Never reads out of bounds.
template <class F>
segment_scan scan_segment(const unsigned char* data, std::size_t size, std::uint64_t index, std::uint64_t first_seq, F&& on_record) {
    segment_scan s;
    s.next_seq = first_seq;
    if (!valid_segment_header(data, size, index)) {
        s.stop = scan_stop::torn;
        return s;
    }
    s.header_ok = true;
    std::size_t off = journal_format::segment_header_size;
    s.end = off;
    for (;;) {
        if (size - off < journal_format::record_header_size) {
            // Fewer than 32 bytes left: clean when they are zeros (the writer rolled over).
            s.stop = std::all_of(data + off, data + size, [](unsigned char b) { return b == 0; }) ? scan_stop::clean : scan_stop::torn;
            return s;
        }
        record_header h;
        std::memcpy(&h, data + off, sizeof h);
        if (h.crc == 0 && h.length == 0 && h.seq == 0 && h.ts == 0 && h.type == 0 && h.reserved == 0 && h.reserved2 == 0) {
            s.stop = scan_stop::clean;
            return s;
        }
        if (h.length > journal_format::max_payload || record_span(h.length) > size - off || h.seq != s.next_seq) {
            s.stop = scan_stop::torn;
            return s;
        }
        if (record_crc(h, data + off + journal_format::record_header_size) != h.crc) {
            s.stop = scan_stop::crc_error;
            return s;
        }
        journal_record r;
        r.seq = h.seq;
        r.ts = timestamp{h.ts};
        r.type = static_cast<record_type>(h.type);
        r.payload = data + off + journal_format::record_header_size;
        r.length = h.length;
        on_record(r);
        ++s.records;
        ++s.next_seq;
        off += record_span(h.length);
        s.end = off;
    }
}

namespace journal_detail {
/// "segment-00000042.pnj".
inline std::string segment_name(std::uint64_t index) {
    char name[40];
    std::snprintf(name, sizeof name, "segment-%08llu.pnj", static_cast<unsigned long long>(index));
    return name;
}
/// The number of segment files "segment-<8 digits>.pnj" in `dir` counted from 0 without a gap.
inline std::uint64_t count_segments(const std::string& dir) {
    std::uint64_t n = 0;
    while (std::filesystem::exists(std::filesystem::path(dir) / segment_name(n))) ++n;
    return n;
}
/// "what path: reason".
inline std::runtime_error io_error(std::string_view what, const std::string& path, int err) {
    return std::runtime_error(std::string(what) + " " + path + ": " + std::strerror(err));
}
/// A read-only or read-write mapping of a whole file; unmaps and closes on destruction.
class mapped_file {
public:
    mapped_file() = default;
    mapped_file(const mapped_file&) = delete;
    mapped_file& operator=(const mapped_file&) = delete;
    ~mapped_file() { reset(); }
    /// Maps `path` (its current size); throws std::runtime_error naming the path.
    void open(const std::string& path, bool writable, bool populate = false) {
        reset();
        fd_ = ::open(path.c_str(), writable ? O_RDWR : O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) throw io_error("cannot open", path, errno);
        struct stat st{};
        if (::fstat(fd_, &st) != 0) throw io_error("cannot stat", path, errno);
        size_ = static_cast<std::size_t>(st.st_size);
        if (size_ == 0) return;
        void* p = ::mmap(nullptr, size_, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED | (populate ? MAP_POPULATE : 0), fd_, 0);
        if (p == MAP_FAILED) throw io_error("cannot map", path, errno);
        data_ = static_cast<unsigned char*>(p);
    }
    /// Unmaps and closes.
    void reset() noexcept {
        if (data_ != nullptr) ::munmap(data_, size_);
        if (fd_ >= 0) ::close(fd_);
        data_ = nullptr;
        size_ = 0;
        fd_ = -1;
    }
    /// The mapped bytes (null for an empty file).
    [[nodiscard]] unsigned char* data() const noexcept { return data_; }
    /// Bytes mapped.
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /// The file descriptor (-1 when closed).
    [[nodiscard]] int fd() const noexcept { return fd_; }

private:
    unsigned char* data_ = nullptr;
    std::size_t size_ = 0;
    int fd_ = -1;
};
} // namespace journal_detail

/// Outcome of an append.
enum class [[nodiscard]] journal_status : std::uint8_t {
    ok = 0,    ///< Appended.
    too_large, ///< The payload exceeds journal_format::max_payload or a whole segment.
    io_error,  ///< A new segment could not be created: the journal is unusable from here on.
};

/// Totals of a journal scan (what `pinnacle_journal verify` prints).
struct journal_stats {
    std::uint64_t records = 0;     ///< Valid records.
    std::uint64_t segments = 0;    ///< Segment files holding them (or present, when a tail was cut).
    bool torn_tail = false;        ///< The valid records are followed by bytes that are not records.
    std::uint64_t crc_errors = 0;  ///< Records whose CRC32C failed (0 or 1: the scan stops there).
    std::uint64_t last_seq = 0;    ///< Sequence number of the last valid record (0: none).
};

/// Reads a journal directory's valid records in order. Stops at the first record that is not
/// valid (torn tail, CRC error, gap in the sequence): nothing after it is returned.
/// Thread-safety: one thread. Reading never changes the files.
class journal_reader {
public:
    /// Opens `dir`; throws std::runtime_error when it is not a directory.
    explicit journal_reader(std::string dir) : dir_(std::move(dir)) {
        if (!std::filesystem::is_directory(dir_)) throw std::runtime_error(dir_ + ": not a journal directory (does not exist or is not a directory)");
        segment_count_ = journal_detail::count_segments(dir_);
        stats_.segments = segment_count_;
    }

    /// The next valid record; false at the end (then stats() is complete). Throws
    /// std::runtime_error when a segment cannot be opened.
    bool next(journal_record& out) {
        for (;;) {
            if (done_) return false;
            if (!mapped_) {
                if (seg_ >= segment_count_) {
                    done_ = true;
                    return false;
                }
                file_.open(dir_ + "/" + journal_detail::segment_name(seg_), false);
                mapped_ = true;
                off_ = 0;
                if (!valid_segment_header(file_.data(), file_.size(), seg_)) {
                    stats_.torn_tail = true;
                    done_ = true;
                    return false;
                }
                off_ = journal_format::segment_header_size;
            }
            // One record at a time, with the same rules as scan_segment.
            bool got = false;
            const std::size_t size = file_.size();
            const unsigned char* data = file_.data();
            const segment_scan s = scan_one(data, size, got, out);
            if (got) {
                ++stats_.records;
                stats_.last_seq = out.seq;
                end_ = {seg_, off_};
                return true;
            }
            if (s.stop == scan_stop::clean) {
                ++seg_;
                mapped_ = false;
                continue;
            }
            stats_.torn_tail = true;
            if (s.stop == scan_stop::crc_error) ++stats_.crc_errors;
            done_ = true;
            return false;
        }
    }

    /// Reads to the end and returns the totals.
    const journal_stats& scan_all() {
        journal_record r;
        while (next(r)) {
        }
        return stats_;
    }
    /// Totals so far.
    [[nodiscard]] const journal_stats& stats() const noexcept { return stats_; }
    /// Segment index and byte offset where reading stopped (internal: see valid_end()).
    [[nodiscard]] std::pair<std::uint64_t, std::size_t> position() const noexcept { return {seg_, off_}; }
    /// Segment index and byte offset just past the last valid record read so far ({0, 0}: none).
    [[nodiscard]] std::pair<std::uint64_t, std::size_t> valid_end() const noexcept { return end_; }
    /// Segment files present (numbered from 0 without a gap).
    [[nodiscard]] std::uint64_t segment_files() const noexcept { return segment_count_; }

private:
    segment_scan scan_one(const unsigned char* data, std::size_t size, bool& got, journal_record& out) {
        segment_scan s;
        got = false;
        if (size - off_ < journal_format::record_header_size) {
            s.stop = std::all_of(data + off_, data + size, [](unsigned char b) { return b == 0; }) ? scan_stop::clean : scan_stop::torn;
            return s;
        }
        record_header h;
        std::memcpy(&h, data + off_, sizeof h);
        if (h.crc == 0 && h.length == 0 && h.seq == 0 && h.ts == 0 && h.type == 0 && h.reserved == 0 && h.reserved2 == 0) {
            s.stop = scan_stop::clean;
            return s;
        }
        if (h.length > journal_format::max_payload || record_span(h.length) > size - off_ || h.seq != next_seq_) {
            s.stop = scan_stop::torn;
            return s;
        }
        if (record_crc(h, data + off_ + journal_format::record_header_size) != h.crc) {
            s.stop = scan_stop::crc_error;
            return s;
        }
        out.seq = h.seq;
        out.ts = timestamp{h.ts};
        out.type = static_cast<record_type>(h.type);
        out.payload = data + off_ + journal_format::record_header_size;
        out.length = h.length;
        off_ += record_span(h.length);
        ++next_seq_;
        got = true;
        return s;
    }

    std::string dir_;
    journal_detail::mapped_file file_;
    std::uint64_t segment_count_ = 0;
    std::uint64_t seg_ = 0;
    std::size_t off_ = 0;
    std::uint64_t next_seq_ = 1;
    std::pair<std::uint64_t, std::size_t> end_{0, 0};
    bool mapped_ = false;
    bool done_ = false;
    journal_stats stats_;
};

/// When appended records are forced to disk (msync of the written range). Whatever the policy, a
/// record is in the kernel's page cache once append returns, so killing the process (kill -9)
/// loses nothing; the policy decides what a power loss or kernel crash may lose.
enum class sync_mode : std::uint8_t {
    none,      ///< Never on the hot path (default): the kernel writes back within its dirty expiry (~30 s on Linux).
    records,   ///< Every `every` records.
    decisions, ///< After every decision record that sent an order or cancel (the recorder asks).
};

/// A durability policy: a mode and, for sync_mode::records, the record count.
struct sync_policy {
    sync_mode mode = sync_mode::none; ///< When to sync.
    std::uint32_t every = 0;          ///< Records between syncs (sync_mode::records; >= 1).
};

/// Parses "none", "records:N" (1 <= N <= 10^9) or "decisions"; nullopt otherwise.
[[nodiscard]] inline std::optional<sync_policy> parse_sync_policy(std::string_view s) noexcept {
    if (s == "none") return sync_policy{};
    if (s == "decisions") return sync_policy{sync_mode::decisions, 0};
    if (s.substr(0, 8) == "records:" && s.size() > 8 && s.size() <= 18) {
        std::uint64_t n = 0;
        for (const char c : s.substr(8)) {
            if (c < '0' || c > '9') return std::nullopt;
            n = n * 10 + static_cast<std::uint64_t>(c - '0');
        }
        if (n < 1 || n > 1'000'000'000) return std::nullopt;
        return sync_policy{sync_mode::records, static_cast<std::uint32_t>(n)};
    }
    return std::nullopt;
}

/// Settings of a journal writer.
struct journal_options {
    std::size_t segment_size = std::size_t{64} << 20; ///< Bytes per segment file (4 KiB .. 4 GiB, multiple of 4096).
    sync_policy sync{};                               ///< Durability policy.
};

/// What opening a journal for writing found and did.
struct journal_open_result {
    journal_stats found;            ///< The scan of what was there.
    bool truncated = false;         ///< A torn or corrupt tail was cut off.
    std::uint64_t segments_removed = 0; ///< Segment files after the cut that were deleted.
};

/// Appends records to a journal directory. Thread-safety: one thread. append() does not allocate
/// (a segment roll, once per segment, creates a file). Not copyable; movable is not needed.
class journal_writer {
public:
    /// Opens (creating it if needed) the journal in `dir`: scans the existing segments, cuts off a
    /// torn or corrupt tail (zeroing it; deleting later segments) and positions after the last
    /// valid record. Throws std::invalid_argument for bad options, std::runtime_error (path and
    /// reason) when the directory or a segment cannot be created or opened.
    journal_writer(std::string dir, journal_options opt) : dir_(std::move(dir)), opt_(opt) {
        if (opt_.segment_size < journal_format::min_segment_size || opt_.segment_size > journal_format::max_segment_size ||
            opt_.segment_size % 4096 != 0)
            throw std::invalid_argument("journal segment size must be a multiple of 4096 bytes from 4 KiB to 4 GiB");
        if (opt_.sync.mode == sync_mode::records && opt_.sync.every == 0) throw std::invalid_argument("journal sync records:N needs N >= 1");
        std::error_code ec;
        std::filesystem::create_directories(dir_, ec);
        if (ec || !std::filesystem::is_directory(dir_)) throw std::runtime_error(dir_ + ": cannot create the journal directory: " + ec.message());
        journal_reader rd(dir_);
        open_.found = rd.scan_all();
        const auto [seg, off] = rd.position();
        const std::uint64_t files = rd.segment_files();
        next_seq_ = open_.found.last_seq + 1;
        open_.truncated = open_.found.torn_tail;
        if (files == 0) {
            roll(0);
            return;
        }
        // The segment the valid records end in: `seg` (its header valid, off > 0), or the one
        // before when `seg` has a bad header or does not exist.
        std::uint64_t keep = seg;
        std::size_t end = off;
        if (seg >= files || off == 0) {
            if (seg == 0) {  // the first segment's header is bad: start over
                remove_from(0, files);
                roll(0);
                return;
            }
            keep = seg - 1;
            end = std::numeric_limits<std::size_t>::max();  // reopen at its own end, found below
        }
        remove_from(keep + 1, files);
        const std::string path = dir_ + "/" + journal_detail::segment_name(keep);
        segment_header h;
        {
            journal_detail::mapped_file f;
            f.open(path, false);
            std::memcpy(&h, f.data(), sizeof h);
            // Reopened at its own end: its records were checked by the reader; only the offset is needed.
            if (end == std::numeric_limits<std::size_t>::max())
                end = scan_segment(f.data(), f.size(), keep, h.first_seq, [](const journal_record&) noexcept {}).end;
        }
        // Cut the tail: shorten to the end of the valid records, then grow back (zeros).
        const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
        if (fd < 0) throw journal_detail::io_error("cannot open", path, errno);
        const bool ok = ::ftruncate(fd, static_cast<off_t>(end)) == 0 && ::ftruncate(fd, static_cast<off_t>(h.size)) == 0 &&
                        ::posix_fallocate(fd, 0, static_cast<off_t>(h.size)) == 0;
        const int err = errno;
        ::close(fd);
        if (!ok) throw journal_detail::io_error("cannot truncate", path, err);
        seg_index_ = keep;
        map_current(path);
        pos_ = end;
        synced_ = end;
    }
    journal_writer(const journal_writer&) = delete;
    journal_writer& operator=(const journal_writer&) = delete;
    /// Starts write-back of what is not yet on disk (MS_ASYNC) and unmaps.
    ~journal_writer() {
        if (file_.data() != nullptr && pos_ > synced_) (void)::msync(file_.data(), pos_, MS_ASYNC);
    }

    /// Appends a record of `type` at `ts` with `len` payload bytes from `payload`. Returns
    /// journal_status::ok; too_large when len > journal_format::max_payload or a whole segment;
    /// io_error when a new segment cannot be created (the journal is then unusable).
    journal_status append(record_type type, timestamp ts, const void* payload, std::uint32_t len) noexcept {
        if (broken_) return journal_status::io_error;
        if (len > journal_format::max_payload) return journal_status::too_large;
        const std::size_t span = record_span(len);
        if (span > file_.size() - pos_) {
            if (!try_roll(seg_index_ + 1)) return journal_status::io_error;
            if (span > file_.size() - pos_) return journal_status::too_large;  // larger than a whole segment
        }
        if (pos_ + span > prefaulted_) prefault();
        record_header h;
        h.length = len;
        h.seq = next_seq_;
        h.ts = ts.ns();
        h.type = static_cast<std::uint16_t>(type);
        h.crc = 0;
        // Header fields and payload first, then one CRC32C pass over them where they now lie
        // contiguously (bytes 4 .. 32 + len, still in cache: the same value as record_crc), then
        // the CRC. A kill before the CRC lands leaves a record whose CRC fails: cut on open.
        unsigned char* dst = file_.data() + pos_;
        std::memcpy(dst, &h, sizeof h);
        if (len > 0) std::memcpy(dst + journal_format::record_header_size, payload, len);
        const std::uint32_t crc = crc32c(dst + 4, journal_format::record_header_size - 4 + std::size_t{len});
        std::memcpy(dst, &crc, sizeof crc);
        pos_ += span;
        ++next_seq_;
        if (opt_.sync.mode == sync_mode::records && ++since_sync_ >= opt_.sync.every) sync();
        return journal_status::ok;
    }

    /// Forces what was appended to disk (msync MS_SYNC of the unsynced range of this segment).
    void sync() noexcept {
        since_sync_ = 0;
        if (pos_ <= synced_) return;
        const std::size_t page = 4096;
        const std::size_t from = synced_ / page * page;
        (void)::msync(file_.data() + from, pos_ - from, MS_SYNC);
        synced_ = pos_;
    }

    /// Sequence number of the last record appended or found (0: none).
    [[nodiscard]] std::uint64_t last_seq() const noexcept { return next_seq_ - 1; }
    /// What opening found (a torn tail that was cut, etc.).
    [[nodiscard]] const journal_open_result& opened() const noexcept { return open_; }
    /// The options.
    [[nodiscard]] const journal_options& options() const noexcept { return opt_; }
    /// The directory.
    [[nodiscard]] const std::string& dir() const noexcept { return dir_; }

private:
    void remove_from(std::uint64_t first, std::uint64_t files) {
        for (std::uint64_t i = first; i < files; ++i) {
            std::filesystem::remove(std::filesystem::path(dir_) / journal_detail::segment_name(i));
            ++open_.segments_removed;
        }
    }

    bool try_roll(std::uint64_t index) noexcept {
        try {
            roll(index);
            return true;
        } catch (...) {
            broken_ = true;
            return false;
        }
    }

    // Creates segment `index` (header written), maps it and positions after its header.
    void roll(std::uint64_t index) {
        if (file_.data() != nullptr && pos_ > synced_) (void)::msync(file_.data(), pos_, opt_.sync.mode == sync_mode::none ? MS_ASYNC : MS_SYNC);
        file_.reset();
        const std::string path = dir_ + "/" + journal_detail::segment_name(index);
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) throw journal_detail::io_error("cannot create", path, errno);
        segment_header h;
        std::memcpy(h.magic, journal_format::magic, sizeof h.magic);
        h.version = journal_format::version;
        h.header_size = journal_format::segment_header_size;
        h.index = index;
        h.size = opt_.segment_size;
        h.first_seq = next_seq_;
        h.crc = segment_crc(h);
        // Disk blocks are reserved now (posix_fallocate), so a full disk is an error here, at the
        // roll, rather than a SIGBUS when a store into the mapping finds no block later.
        int err = ::posix_fallocate(fd, 0, static_cast<off_t>(opt_.segment_size));
        const bool ok = err == 0 && ::pwrite(fd, &h, sizeof h, 0) == static_cast<ssize_t>(sizeof h);
        if (err == 0 && !ok) err = errno;
        if (ok && opt_.sync.mode != sync_mode::none) (void)::fdatasync(fd);
        ::close(fd);
        if (!ok) throw journal_detail::io_error("cannot write", path, err);
        if (opt_.sync.mode != sync_mode::none) {  // the new file's directory entry
            const int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (dfd >= 0) {
                (void)::fsync(dfd);
                ::close(dfd);
            }
        }
        seg_index_ = index;
        map_current(path);
        pos_ = journal_format::segment_header_size;
        synced_ = pos_;
    }

    // Maps the segment (not pre-faulted: MAP_POPULATE only read-maps a shared mapping, so the
    // first store into each page still faults; measured no faster here).
    void map_current(const std::string& path) {
        file_.open(path, true, false);
        prefaulted_ = 0;
    }

    // Page faults are what an append into a fresh page costs most (tens of microseconds in a VM):
    // fault the next prefault_chunk bytes in writable with one madvise(MADV_POPULATE_WRITE)
    // (Linux 5.14+; where it is missing, appends simply fault page by page).
    void prefault() noexcept {
        const std::size_t page = 4096;
        const std::size_t from = std::max(prefaulted_, pos_ / page * page);
        const std::size_t to = std::min(file_.size(), from + prefault_chunk);
        prefaulted_ = to;
#ifdef MADV_POPULATE_WRITE
        if (populate_ok_ && to > from && ::madvise(file_.data() + from, to - from, MADV_POPULATE_WRITE) != 0) populate_ok_ = false;
#endif
    }

    static constexpr std::size_t prefault_chunk = std::size_t{256} << 10;  // 64 pages

    std::string dir_;
    journal_options opt_;
    journal_open_result open_;
    journal_detail::mapped_file file_;
    std::uint64_t seg_index_ = 0;
    std::size_t pos_ = 0;
    std::size_t synced_ = 0;
    std::uint64_t next_seq_ = 1;
    std::uint32_t since_sync_ = 0;
    std::size_t prefaulted_ = 0;
    bool populate_ok_ = true;
    bool broken_ = false;
};

} // namespace v0
} // namespace pinnacle

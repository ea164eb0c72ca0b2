#pragma once
/// @file journal/snapshot.hpp
/// Snapshots: the byte archives a type's `persist(Ar&)` hook writes itself to and reads itself back
/// from (snapshot_writer, snapshot_reader), and the snapshot file (`snapshot-<seq>.pns`: header,
/// the archive's bytes, CRC32C; written to a temporary in the same directory and renamed). See
/// docs/persistence.md for the format and the recovery path.
///
/// The hook protocol (no virtuals, nothing on the hot path): a type with state gives itself a
/// member function template `persist(Ar& ar)` (template parameter `Ar`, the archive) which calls `ar.value(member)` for each trivially copyable member, `ar.vec(v)` for a
/// std::vector of trivially copyable elements, and `member.persist(ar)` for members with their own
/// hook; `Ar::loading` says which way it runs (a hook with a different layout on disk than in
/// memory, like l3_book's, branches on it). Saving never changes the object: the journal calls
/// the same function through a const_cast. Loading overwrites every persisted field.

#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "pinnacle/journal/crc32c.hpp"

namespace pinnacle {
inline namespace v0 {

/// The archive a persist hook saves to: appends raw bytes (little-endian hosts only, see
/// journal/format.hpp). Thread-safety: one thread.
class snapshot_writer {
public:
    /// Saving: hooks read their members.
    static constexpr bool loading = false;
    /// Appends the bytes of a trivially copyable value.
    template <class T>
    void value(const T& v) {
        static_assert(std::is_trivially_copyable_v<T>, "snapshot_writer::value needs a trivially copyable type");
        const auto* p = reinterpret_cast<const unsigned char*>(&v);
        bytes_.insert(bytes_.end(), p, p + sizeof v);
    }
    /// Appends a vector: its size (u64) then its elements' bytes.
    template <class T>
    void vec(const std::vector<T>& v) {
        static_assert(std::is_trivially_copyable_v<T>, "snapshot_writer::vec needs trivially copyable elements");
        value(static_cast<std::uint64_t>(v.size()));
        const auto* p = reinterpret_cast<const unsigned char*>(v.data());
        bytes_.insert(bytes_.end(), p, p + v.size() * sizeof(T));
    }
    /// Never fails when saving (kept so hooks can call it either way).
    [[noreturn]] static void fail(const char* what) { throw std::runtime_error(std::string("snapshot: cannot save ") + what); }
    /// Empties it (keeps the capacity).
    void clear() noexcept { bytes_.clear(); }
    /// The bytes written.
    [[nodiscard]] const std::vector<unsigned char>& bytes() const noexcept { return bytes_; }

private:
    std::vector<unsigned char> bytes_;
};

/// The archive a persist hook loads from. Every read is bounds-checked: a body that is too short
/// throws std::runtime_error naming the offset. Thread-safety: one thread.
class snapshot_reader {
public:
    /// Loading: hooks overwrite their members.
    static constexpr bool loading = true;
    /// Reads `n` bytes at `p` (not owned; must outlive the reader).
    snapshot_reader(const unsigned char* p, std::size_t n) noexcept : p_(p), n_(n) {}
    /// Reads a trivially copyable value.
    template <class T>
    void value(T& v) {
        static_assert(std::is_trivially_copyable_v<T>, "snapshot_reader::value needs a trivially copyable type");
        need(sizeof v);
        std::memcpy(static_cast<void*>(&v), p_ + at_, sizeof v);
        at_ += sizeof v;
    }
    /// Reads a vector written by snapshot_writer::vec (resizes it).
    template <class T>
    void vec(std::vector<T>& v) {
        static_assert(std::is_trivially_copyable_v<T>, "snapshot_reader::vec needs trivially copyable elements");
        std::uint64_t n = 0;
        value(n);
        if (n > (n_ - at_) / (sizeof(T) == 0 ? 1 : sizeof(T))) fail("a vector longer than the snapshot");
        v.resize(static_cast<std::size_t>(n));
        const std::size_t bytes = static_cast<std::size_t>(n) * sizeof(T);
        if (bytes > 0) std::memcpy(static_cast<void*>(v.data()), p_ + at_, bytes);
        at_ += bytes;
    }
    /// Throws std::runtime_error: the snapshot does not fit the object (`what` says where).
    [[noreturn]] void fail(const char* what) const {
        char buf[160];
        std::snprintf(buf, sizeof buf, "snapshot body does not fit at byte %zu: %s", at_, what);
        throw std::runtime_error(buf);
    }
    /// True when every byte was read.
    [[nodiscard]] bool done() const noexcept { return at_ == n_; }
    /// Bytes read so far.
    [[nodiscard]] std::size_t offset() const noexcept { return at_; }

private:
    void need(std::size_t k) const {
        if (k > n_ - at_) fail("body too short");
    }
    const unsigned char* p_;
    std::size_t n_;
    std::size_t at_ = 0;
};

/// The header of a snapshot file (all little-endian; see docs/persistence.md).
struct snapshot_header {
    std::uint64_t seq = 0;    ///< Sequence number of the journal record (a state_hash record) it follows.
    std::uint64_t events = 0; ///< Market events the engine had processed.
    std::int64_t ts = 0;      ///< Event time of that record (ns since the Unix epoch).
    std::uint64_t hash = 0;   ///< State hash (journal/state_hash.hpp) of the state it holds.
};

/// The snapshot file's magic (8 bytes).
inline constexpr char snapshot_magic[9] = "PNSNAP02";
/// Bytes before the body: magic, seq, events, ts, hash, body length.
inline constexpr std::size_t snapshot_header_bytes = 48;

/// File name of the snapshot after record `seq`: `snapshot-<seq, 20 digits>.pns`.
[[nodiscard]] inline std::string snapshot_name(std::uint64_t seq) {
    char name[48];
    std::snprintf(name, sizeof name, "snapshot-%020" PRIu64 ".pns", seq);
    return name;
}

/// The snapshot files in `dir`, oldest (lowest seq) first; file names only.
[[nodiscard]] inline std::vector<std::string> list_snapshots(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& ent : std::filesystem::directory_iterator(dir, ec)) {
        const std::string n = ent.path().filename().string();
        if (n.size() == 33 && n.rfind("snapshot-", 0) == 0 && n.substr(29) == ".pns") out.push_back(n);
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// Writes a snapshot file `dir`/snapshot_name(h.seq) atomically (temporary + rename; fsync of the
/// file when `durable`), then deletes the oldest beyond `keep` (>= 1). Returns "" or what failed.
inline std::string write_snapshot_file(const std::string& dir, const snapshot_header& h, const std::vector<unsigned char>& body,
                                       bool durable, std::size_t keep) {
    std::vector<unsigned char> out;
    out.reserve(body.size() + snapshot_header_bytes + 4);
    auto put = [&](auto v) {
        unsigned char b[sizeof v];
        std::memcpy(b, &v, sizeof v);
        out.insert(out.end(), b, b + sizeof v);
    };
    out.insert(out.end(), snapshot_magic, snapshot_magic + 8);
    put(h.seq);
    put(h.events);
    put(h.ts);
    put(h.hash);
    put(static_cast<std::uint64_t>(body.size()));
    out.insert(out.end(), body.begin(), body.end());
    put(crc32c(out.data(), out.size()));
    const std::string path = dir + "/" + snapshot_name(h.seq);
    const std::string tmp = path + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) return tmp + ": cannot create";
    const bool ok = std::fwrite(out.data(), 1, out.size(), f) == out.size() && std::fflush(f) == 0 && (!durable || ::fsync(fileno(f)) == 0);
    std::fclose(f);
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        return path + ": cannot write";
    }
    const std::vector<std::string> snaps = list_snapshots(dir);
    if (keep == 0) keep = 1;
    for (std::size_t i = 0; i + keep < snaps.size(); ++i) std::filesystem::remove(std::filesystem::path(dir) / snaps[i]);
    return {};
}

/// A snapshot file read back and checked (magic, length, CRC32C).
struct snapshot_file {
    snapshot_header header;            ///< Its header.
    std::vector<unsigned char> body;   ///< The archive's bytes.
};

/// Reads and checks `path`. Returns the snapshot, or nullopt with `why` set (what is wrong and
/// where): missing file, bad magic, a length that does not match the file, a CRC mismatch.
[[nodiscard]] inline std::optional<snapshot_file> read_snapshot_file(const std::string& path, std::string& why) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
        why = path + ": cannot open";
        return std::nullopt;
    }
    std::vector<unsigned char> all;
    unsigned char buf[1 << 16];
    for (;;) {
        const std::size_t n = std::fread(buf, 1, sizeof buf, f);
        all.insert(all.end(), buf, buf + n);
        if (n < sizeof buf) break;
    }
    std::fclose(f);
    if (all.size() < snapshot_header_bytes + 4 || std::memcmp(all.data(), snapshot_magic, 8) != 0) {
        why = path + ": not a snapshot (bad magic or too short)";
        return std::nullopt;
    }
    snapshot_file s;
    std::uint64_t len = 0;
    std::memcpy(&s.header.seq, all.data() + 8, 8);
    std::memcpy(&s.header.events, all.data() + 16, 8);
    std::memcpy(&s.header.ts, all.data() + 24, 8);
    std::memcpy(&s.header.hash, all.data() + 32, 8);
    std::memcpy(&len, all.data() + 40, 8);
    if (len != all.size() - snapshot_header_bytes - 4) {
        why = path + ": body length " + std::to_string(len) + " does not match the file size " + std::to_string(all.size());
        return std::nullopt;
    }
    std::uint32_t crc = 0;
    std::memcpy(&crc, all.data() + all.size() - 4, 4);
    if (crc != crc32c(all.data(), all.size() - 4)) {
        why = path + ": CRC32C mismatch (damaged snapshot)";
        return std::nullopt;
    }
    s.body.assign(all.begin() + static_cast<std::ptrdiff_t>(snapshot_header_bytes), all.end() - 4);
    return s;
}

} // namespace v0
} // namespace pinnacle

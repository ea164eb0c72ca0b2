#pragma once
/// @file journal/format.hpp
/// The journal's on-disk format (docs/persistence.md): segment files of a fixed size, each a
/// 64-byte segment header followed by records; a record is a 32-byte header and a payload padded
/// to 8 bytes. Integers are little-endian (the format is defined for little-endian hosts; a
/// big-endian build fails at compile time). The first all-zero record header ends a segment.

#include "pinnacle/core/requires_cxx20.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "pinnacle/journal/crc32c.hpp"

namespace pinnacle {
inline namespace v0 {

static_assert(std::endian::native == std::endian::little, "the journal format is little-endian (docs/persistence.md)");

/// What a record holds (u16 on disk). Values are part of the format: never renumber.
enum class record_type : std::uint16_t {
    session_start = 1, ///< Payload: text, the run's command line (NUL-separated arguments).
    market_event = 2,  ///< Payload: one input market event (28 bytes, see encode_market_event).
    timer = 3,         ///< A timer tick delivered to the engine at the header's timestamp; no payload.
    operator_action = 4, ///< Payload: u32 action code (operator_action), u32 zero.
    report = 5,        ///< Payload: one execution report booked by the engine (72 bytes).
    decision = 6,      ///< Payload: what the engine sent or refused since the previous step (88 bytes).
    state_hash = 7,    ///< Payload: u64 xxHash3-64 of the canonical state, u64 market events so far.
    end = 8,           ///< The run finished; payload as state_hash (the final state).
};

/// Operator actions journaled as operator_action records.
enum class operator_action : std::uint32_t {
    kill_switch = 1, ///< The kill switch fired: every working order is pulled.
};

/// The name of a record type ("unknown" for values not listed).
[[nodiscard]] constexpr std::string_view to_string(record_type t) noexcept {
    switch (t) {
        case record_type::session_start: return "session_start";
        case record_type::market_event: return "market_event";
        case record_type::timer: return "timer";
        case record_type::operator_action: return "operator_action";
        case record_type::report: return "report";
        case record_type::decision: return "decision";
        case record_type::state_hash: return "state_hash";
        case record_type::end: return "end";
    }
    return "unknown";
}

/// On-disk constants.
namespace journal_format {
inline constexpr char magic[8] = {'P', 'N', 'J', 'R', 'N', 'L', '0', '1'}; ///< First 8 bytes of a segment.
inline constexpr std::uint32_t version = 1;           ///< Format version in the segment header.
inline constexpr std::size_t segment_header_size = 64; ///< Bytes before the first record.
inline constexpr std::size_t record_header_size = 32;  ///< Bytes of a record header.
inline constexpr std::size_t alignment = 8;            ///< Records start at multiples of 8 bytes.
inline constexpr std::size_t max_payload = 1U << 20;   ///< Largest payload (bytes): 1 MiB.
inline constexpr std::size_t min_segment_size = 4096;  ///< Smallest segment file (bytes).
inline constexpr std::size_t max_segment_size = std::size_t{1} << 32; ///< Largest segment file (bytes): 4 GiB.
} // namespace journal_format

/// A record header as stored (32 bytes, little-endian). `crc` is the CRC32C of bytes 4..31 of the
/// header followed by the payload (without padding).
struct record_header {
    std::uint32_t crc = 0;     ///< CRC32C (Castagnoli, 0x1EDC6F41) of the rest of the header and the payload.
    std::uint32_t length = 0;  ///< Payload bytes (<= journal_format::max_payload).
    std::uint64_t seq = 0;     ///< Global sequence number: 1 for the first record, +1 per record, across segments.
    std::int64_t ts = 0;       ///< Timestamp (ns since the Unix epoch): event time of what the record describes.
    std::uint16_t type = 0;    ///< record_type.
    std::uint16_t reserved = 0; ///< Zero.
    std::uint32_t reserved2 = 0; ///< Zero.
};
static_assert(sizeof(record_header) == journal_format::record_header_size);

/// A segment header as stored (64 bytes). `crc` covers bytes 0..55.
struct segment_header {
    char magic[8] = {};              ///< journal_format::magic.
    std::uint32_t version = 0;       ///< journal_format::version.
    std::uint32_t header_size = 0;   ///< journal_format::segment_header_size.
    std::uint64_t index = 0;         ///< Segment number (0, 1, ...), also in the file name.
    std::uint64_t size = 0;          ///< Bytes of the segment file.
    std::uint64_t first_seq = 0;     ///< Sequence number of its first record.
    std::uint8_t reserved[16] = {};  ///< Zero.
    std::uint32_t crc = 0;           ///< CRC32C of bytes 0..55.
    std::uint32_t reserved2 = 0;     ///< Zero.
};
static_assert(sizeof(segment_header) == journal_format::segment_header_size);

/// Bytes a record with `len` payload bytes takes in a segment (header + payload padded to 8).
[[nodiscard]] constexpr std::size_t record_span(std::size_t len) noexcept {
    return journal_format::record_header_size + ((len + journal_format::alignment - 1) & ~(journal_format::alignment - 1));
}

/// The CRC a record header must carry for `payload` of h.length bytes (h.crc is ignored).
[[nodiscard]] inline std::uint32_t record_crc(const record_header& h, const void* payload) noexcept {
    unsigned char raw[journal_format::record_header_size];
    std::memcpy(raw, &h, sizeof raw);
    const std::uint32_t c = crc32c_extend(0, raw + 4, sizeof raw - 4);
    return crc32c_extend(c, payload, h.length);
}

/// The CRC a segment header must carry (h.crc is ignored).
[[nodiscard]] inline std::uint32_t segment_crc(const segment_header& h) noexcept {
    unsigned char raw[journal_format::segment_header_size];
    std::memcpy(raw, &h, sizeof raw);
    return crc32c(raw, 56);
}

/// Little-endian field writer into a caller's buffer (no allocation; the caller sizes it).
struct payload_writer {
    unsigned char* p;      ///< Next byte to write.
    /// Appends the bytes of an integer (or any trivially copyable value).
    template <class T>
    void put(T v) noexcept {
        std::memcpy(p, &v, sizeof v);
        p += sizeof v;
    }
};

/// Little-endian field reader over a payload; reading past the end gives zeros and sets `bad`.
struct payload_reader {
    const unsigned char* p;   ///< Next byte.
    const unsigned char* end; ///< One past the last byte.
    bool bad = false;         ///< A read ran past the end.
    /// Reads a value of type T (zero when past the end).
    template <class T>
    T get() noexcept {
        T v{};
        if (static_cast<std::size_t>(end - p) < sizeof v) {
            bad = true;
            p = end;
            return v;
        }
        std::memcpy(&v, p, sizeof v);
        p += sizeof v;
        return v;
    }
};

} // namespace v0
} // namespace pinnacle

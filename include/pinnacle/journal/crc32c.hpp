#pragma once
/// @file journal/crc32c.hpp
/// CRC32C (Castagnoli): polynomial 0x1EDC6F41 (reflected 0x82F63B78), initial value and final xor
/// 0xFFFFFFFF, as in RFC 3720 (iSCSI) appendix B.4 and the SSE4.2 `crc32` instruction. The
/// journal checks every record with it. On x86-64 the SSE4.2 instruction is used when the CPU has
/// it (checked once at run time); elsewhere a 256-entry table.

#include "pinnacle/core/requires_cxx20.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define PINNACLE_JOURNAL_CRC_SSE42 1
#endif

namespace pinnacle {
inline namespace v0 {

namespace crc_detail {
/// The byte-at-a-time table of the reflected polynomial 0x82F63B78.
constexpr std::array<std::uint32_t, 256> make_table() noexcept {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1U) != 0 ? (c >> 1) ^ 0x82F63B78U : c >> 1;
        t[i] = c;
    }
    return t;
}
inline constexpr std::array<std::uint32_t, 256> table = make_table();

/// Table update of a running (not yet inverted) CRC over `n` bytes.
inline std::uint32_t update_table(std::uint32_t c, const unsigned char* p, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) c = table[(c ^ p[i]) & 0xFFU] ^ (c >> 8);
    return c;
}

#ifdef PINNACLE_JOURNAL_CRC_SSE42
/// SSE4.2 update, 8 bytes per instruction.
__attribute__((target("sse4.2"))) inline std::uint32_t update_sse42(std::uint32_t c, const unsigned char* p,
                                                                    std::size_t n) noexcept {
    std::uint64_t c64 = c;
    while (n >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        c64 = _mm_crc32_u64(c64, w);
        p += 8;
        n -= 8;
    }
    std::uint32_t c32 = static_cast<std::uint32_t>(c64);
    if (n >= 4) {
        std::uint32_t w;
        std::memcpy(&w, p, 4);
        c32 = _mm_crc32_u32(c32, w);
        p += 4;
        n -= 4;
    }
    while (n > 0) {
        c32 = _mm_crc32_u8(c32, *p);
        ++p;
        --n;
    }
    return c32;
}
/// True when the CPU has SSE4.2 (asked once).
inline bool have_sse42() noexcept {
    static const bool yes = __builtin_cpu_supports("sse4.2") != 0;
    return yes;
}
#endif
} // namespace crc_detail

/// Continues a CRC32C: `crc` is the value returned for the bytes before (0 to start).
/// Any thread; no allocation. `n` bytes from `data` (any alignment).
inline std::uint32_t crc32c_extend(std::uint32_t crc, const void* data, std::size_t n) noexcept {
    const auto* p = static_cast<const unsigned char*>(data);
    std::uint32_t c = ~crc;
#ifdef PINNACLE_JOURNAL_CRC_SSE42
    if (crc_detail::have_sse42()) return ~crc_detail::update_sse42(c, p, n);
#endif
    c = crc_detail::update_table(c, p, n);
    return ~c;
}

/// CRC32C of `n` bytes at `data` (check value: "123456789" gives 0xE3069283).
inline std::uint32_t crc32c(const void* data, std::size_t n) noexcept { return crc32c_extend(0, data, n); }

/// The table implementation alone (for tests that compare it with the SSE4.2 one).
inline std::uint32_t crc32c_portable(const void* data, std::size_t n) noexcept {
    return ~crc_detail::update_table(~std::uint32_t{0}, static_cast<const unsigned char*>(data), n);
}

} // namespace v0
} // namespace pinnacle

#pragma once
/// @file core/random.hpp
/// A small, fast, seeded pseudorandom generator (splitmix64) with the same sequence on every
/// platform and standard library, and a portable uniform [0, 1) mapping. For simulation and
/// randomised schedules, not for cryptography.

#include "pinnacle/core/requires_cxx20.hpp"

#include <cstdint>
#include <limits>

namespace pinnacle {
inline namespace v0 {

/// splitmix64's output for state x (Steele, Lea & Flood 2014, "Fast splittable pseudorandom
/// number generators", OOPSLA; the constants of Vigna's reference code): a fixed, well-mixed
/// 64-bit hash of x, e.g. to assign an order id or a time to a bucket.
[[nodiscard]] constexpr std::uint64_t splitmix64_hash(std::uint64_t x) noexcept {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/// splitmix64 generator: 8 bytes of state, seeding is free (std::mt19937_64 spends ~4 us filling
/// 312 words), one add and one mix per draw; draw i of seed s is splitmix64_hash(s + i x golden).
/// Satisfies std::uniform_random_bit_generator. Thread-safety: value type.
class splitmix64 {
public:
    using result_type = std::uint64_t; ///< 64-bit draws.

    /// A generator whose sequence is fixed by `seed`.
    constexpr explicit splitmix64(std::uint64_t seed = 0) noexcept : state_(seed) {}

    /// The next draw, uniform over all 64-bit values.
    constexpr result_type operator()() noexcept {
        const std::uint64_t s = state_;
        state_ += 0x9e3779b97f4a7c15ULL;
        return splitmix64_hash(s);
    }
    /// Smallest draw (0).
    static constexpr result_type min() noexcept { return 0; }
    /// Largest draw (2^64 - 1).
    static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

private:
    std::uint64_t state_;
};

/// Uniform double in [0, 1) from one 64-bit draw `bits`: its top 53 bits times 2^-53, exact (every
/// result is a multiple of 2^-53, the largest 1 - 2^-53). The library's one uniform mapping: our
/// own, so every standard library gives the same numbers (std::uniform_real_distribution's is not
/// specified).
[[nodiscard]] constexpr double uniform01_from_bits(std::uint64_t bits) noexcept {
    // Through int64: the value is below 2^53, and a signed conversion is one instruction where an
    // unsigned one is a branchy sequence. Either conversion is exact, so the result is the same.
    return static_cast<double>(static_cast<std::int64_t>(bits >> 11)) * 0x1.0p-53;
}

/// Uniform double in [0, 1) from one draw of the 64-bit generator `g` (splitmix64,
/// std::mt19937_64, ...): uniform01_from_bits(g()).
template <class G>
[[nodiscard]] constexpr double uniform01(G& g) noexcept {
    return uniform01_from_bits(static_cast<std::uint64_t>(g()));
}

} // namespace v0
} // namespace pinnacle

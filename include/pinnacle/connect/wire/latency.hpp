#pragma once
/// @file connect/wire/latency.hpp
/// A fixed-memory latency histogram in the HDR style (log-linear buckets: every power of two is
/// cut into 32 equal sub-buckets, so any recorded value is known to within 1/32 = 3.1%), for
/// wire-to-book and wire-to-quote times. Recording is O(1) and never allocates.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "pinnacle/core/requires_cxx20.hpp"

namespace pinnacle {
inline namespace v0 {
namespace connect {
namespace wire {

/// Log-linear histogram of non-negative values (ns), 0 .. 2^40 (about 18 minutes); larger values
/// count in the top bucket. Relative error of a percentile: at most 1/32. Thread-safety: one thread.
class latency_histogram {
public:
    /// Sub-buckets per power of two.
    static constexpr unsigned sub_bits = 5;
    /// Powers of two covered.
    static constexpr unsigned max_exp = 40;

    /// Records `ns` (negative counts as 0).
    void record(std::int64_t ns) noexcept {
        const std::uint64_t v = ns < 0 ? 0 : static_cast<std::uint64_t>(ns);
        ++counts_[index(v)];
        ++n_;
        if (v > max_) max_ = v;
        sum_ += v;
    }
    /// Values recorded.
    [[nodiscard]] std::uint64_t count() const noexcept { return n_; }
    /// Largest value recorded (ns).
    [[nodiscard]] std::uint64_t max() const noexcept { return max_; }
    /// Mean (ns; 0 when empty).
    [[nodiscard]] double mean() const noexcept { return n_ == 0 ? 0.0 : static_cast<double>(sum_) / static_cast<double>(n_); }
    /// The value at quantile q in [0, 1] (ns): the upper edge of the bucket holding it, capped at
    /// max(); 0 when empty.
    [[nodiscard]] std::uint64_t percentile(double q) const noexcept {
        if (n_ == 0) return 0;
        if (q < 0) q = 0;
        if (q > 1) q = 1;
        std::uint64_t rank = static_cast<std::uint64_t>(q * static_cast<double>(n_) + 0.5);
        if (rank == 0) rank = 1;
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < counts_.size(); ++i) {
            seen += counts_[i];
            if (seen >= rank) {
                const std::uint64_t hi = upper(i);
                return hi < max_ ? hi : max_;
            }
        }
        return max_;
    }
    /// Adds every count of `o`.
    void merge(const latency_histogram& o) noexcept {
        for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += o.counts_[i];
        n_ += o.n_;
        sum_ += o.sum_;
        if (o.max_ > max_) max_ = o.max_;
    }

private:
    static constexpr std::size_t subs = std::size_t{1} << sub_bits;
    static constexpr std::size_t buckets = (max_exp - sub_bits + 1) * subs;

    // Values below 2^sub_bits map 1:1; above, (exponent, top sub_bits bits after the leading one).
    static std::size_t index(std::uint64_t v) noexcept {
        if (v < subs) return static_cast<std::size_t>(v);
        const unsigned e = 63u - static_cast<unsigned>(std::countl_zero(v));  // v in [2^e, 2^(e+1))
        if (e >= max_exp) return buckets - 1;
        const std::size_t sub = static_cast<std::size_t>((v >> (e - sub_bits)) & (subs - 1));
        return (e - sub_bits + 1) * subs + sub;
    }
    // The largest value of bucket i.
    static std::uint64_t upper(std::size_t i) noexcept {
        if (i < subs) return i;
        const unsigned e = static_cast<unsigned>(i / subs) + sub_bits - 1;
        const std::uint64_t sub = i % subs;
        return (std::uint64_t{1} << e) + ((sub + 1) << (e - sub_bits)) - 1;
    }

    std::array<std::uint64_t, buckets> counts_{};
    std::uint64_t n_ = 0;
    std::uint64_t max_ = 0;
    std::uint64_t sum_ = 0;
};

} // namespace wire
} // namespace connect
} // namespace v0
} // namespace pinnacle

#pragma once
/// @file memory/concepts.hpp
/// The Pool concept: fixed-capacity storage that hands out and takes back objects without
/// touching the heap after construction.

#include <concepts>
#include <cstddef>

#include "pinnacle/core/status.hpp"

namespace pinnacle {
inline namespace v0 {

/// A Pool hands out slots of `value_type` addressed by a dense `index_type`.
///
/// Requirements (all noexcept, O(1)):
/// - `p.acquire() -> result<index_type>`: a default-constructed object, or `status::pool_exhausted`.
/// - `p.release(i) -> void`: gives slot i back; i must come from acquire() and not be released twice.
/// - `p[i] -> value_type&`: the object in slot i.
/// - `p.capacity()`, `p.size()` (slots in use) -> std::size_t.
template <class P>
concept Pool = requires(P& p, const P& cp, typename P::index_type i) {
    typename P::value_type;
    typename P::index_type;
    { p.acquire() } noexcept -> std::same_as<result<typename P::index_type>>;
    { p.release(i) } noexcept -> std::same_as<void>;
    { p[i] } noexcept -> std::same_as<typename P::value_type&>;
    { cp.capacity() } noexcept -> std::same_as<std::size_t>;
    { cp.size() } noexcept -> std::same_as<std::size_t>;
};

} // namespace v0
} // namespace pinnacle

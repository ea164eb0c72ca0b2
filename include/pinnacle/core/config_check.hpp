#pragma once
/// @file core/config_check.hpp
/// The constructor side of the `check(config) -> string_view` convention: configuration errors
/// are exceptions at construction (std::abort when built without exceptions), never on the hot path.

#include "pinnacle/core/requires_cxx20.hpp"

#include <string_view>

#if defined(__cpp_exceptions)
#include <stdexcept>
#include <string>
#else
#include <cstdlib>
#endif

namespace pinnacle {
inline namespace v0 {
namespace detail {

/// Throws std::invalid_argument(`why`) (aborts without exceptions) unless `why` is empty.
inline void require_valid_config(std::string_view why) {
    if (why.empty()) return;
#if defined(__cpp_exceptions)
    throw std::invalid_argument(std::string(why));
#else
    std::abort();
#endif
}

} // namespace detail
} // namespace v0
} // namespace pinnacle

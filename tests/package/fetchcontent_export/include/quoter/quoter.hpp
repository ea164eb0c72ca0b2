// The consumer's public header: its interface uses pinnacle's types.
#pragma once
#include <cstdint>

#include "pinnacle/core/types.hpp"

/// A quote `half_spread` ticks either side of `mid`, in ticks; returns the ask.
pinnacle::price quote_ask(pinnacle::price mid, std::int64_t half_spread);

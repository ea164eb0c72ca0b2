#pragma once
/// @file core.hpp
/// Umbrella header of pinnacle's core/ component: price, qty, order_id, side, timestamp,
/// instrument, status and result, events, random.
/// Includes every header under pinnacle/core/ (a CTest check keeps this list complete).

#include "pinnacle/core/bounds.hpp"
#include "pinnacle/core/config_check.hpp"
#include "pinnacle/core/events.hpp"
#include "pinnacle/core/instrument.hpp"
#include "pinnacle/core/random.hpp"
#include "pinnacle/core/session.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"

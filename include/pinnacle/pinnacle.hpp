#pragma once
/// @file pinnacle.hpp
/// Umbrella header: every part of pinnacle that needs no optional dependency, one component
/// umbrella per folder, lowest layer first (docs/design.md#layers).

#include "pinnacle/core.hpp"
#include "pinnacle/memory.hpp"
#include "pinnacle/book.hpp"
#include "pinnacle/feed.hpp"
#include "pinnacle/signal.hpp"
#include "pinnacle/venue.hpp"
#include "pinnacle/strategy.hpp"
#include "pinnacle/risk.hpp"
#include "pinnacle/route.hpp"
#include "pinnacle/sim.hpp"
#include "pinnacle/engine.hpp"
#include "pinnacle/apps.hpp"

#pragma once
/// @file route.hpp
/// Umbrella header of pinnacle's route/ component: the Router concept, the consolidated book,
/// schedules, the venue split, the routers, the routing session.
/// Includes every header under pinnacle/route/ (a CTest check keeps this list complete).

#include "pinnacle/route/concepts.hpp"
#include "pinnacle/route/consolidated_book.hpp"
#include "pinnacle/route/controls.hpp"
#include "pinnacle/route/largest_remainder.hpp"
#include "pinnacle/route/market_impact.hpp"
#include "pinnacle/route/parent_tracker.hpp"
#include "pinnacle/route/routing_session.hpp"
#include "pinnacle/route/scheduled_router.hpp"
#include "pinnacle/route/schedules.hpp"
#include "pinnacle/route/venue_split.hpp"

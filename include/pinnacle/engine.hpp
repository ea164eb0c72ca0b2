#pragma once
/// @file engine.hpp
/// Umbrella header of pinnacle's engine/ component: market_maker and the routed hedger.
/// Includes every header under pinnacle/engine/ (a CTest check keeps this list complete).

#include "pinnacle/engine/market_maker.hpp"
#include "pinnacle/engine/routed_hedger.hpp"
#include "pinnacle/engine/run_loop.hpp"

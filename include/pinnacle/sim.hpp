#pragma once
/// @file sim.hpp
/// Umbrella header of pinnacle's sim/ component: the QueueModel, LatencyModel and FeeModel
/// concepts, their models, the simulated venue.
/// Includes every header under pinnacle/sim/ (a CTest check keeps this list complete).

#include "pinnacle/sim/concepts.hpp"
#include "pinnacle/sim/models.hpp"
#include "pinnacle/sim/simulated_venue.hpp"

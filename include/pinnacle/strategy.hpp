#pragma once
/// @file strategy.hpp
/// Umbrella header of pinnacle's strategy/ component: the Strategy concept, Avellaneda–Stoikov
/// (finite and infinite horizon), GLFT, imbalance-skewed quoting.
/// Includes every header under pinnacle/strategy/ (a CTest check keeps this list complete).

#include "pinnacle/strategy/avellaneda_stoikov.hpp"
#include "pinnacle/strategy/avellaneda_stoikov_infinite.hpp"
#include "pinnacle/strategy/concepts.hpp"
#include "pinnacle/strategy/glft.hpp"
#include "pinnacle/strategy/imbalance_mm.hpp"
#include "pinnacle/strategy/quoting.hpp"

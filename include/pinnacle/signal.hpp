#pragma once
/// @file signal.hpp
/// Umbrella header of pinnacle's signal/ component: microprice, order-book imbalance, VPIN, EWMA
/// volatility, trade intensity.
/// Includes every header under pinnacle/signal/ (a CTest check keeps this list complete).

#include "pinnacle/signal/ewma_volatility.hpp"
#include "pinnacle/signal/imbalance.hpp"
#include "pinnacle/signal/intensity.hpp"
#include "pinnacle/signal/microprice.hpp"
#include "pinnacle/signal/vpin.hpp"

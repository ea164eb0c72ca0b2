#pragma once
// Fixture for tests/check_layers.cmake: never compiled. Each include below breaks one rule.
#include "pinnacle/engine/market_maker.hpp"
#include <pinnacle/risk/checks.hpp>
#include "pinnacle/core/types.hpp"

#include "pinnacle/gadgets/thing.hpp"

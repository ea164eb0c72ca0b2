#pragma once
/// @file pinnacle.hpp
/// Umbrella header: every part of pinnacle that needs no optional dependency.

#include "pinnacle/core/events.hpp"
#include "pinnacle/core/instrument.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"

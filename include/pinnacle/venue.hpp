#pragma once
/// @file venue.hpp
/// Umbrella header of pinnacle's venue/ component: the Venue concept, order intents and execution
/// reports, the ledger.
/// Includes every header under pinnacle/venue/ (a CTest check keeps this list complete).

#include "pinnacle/venue/concepts.hpp"
#include "pinnacle/venue/exec_id_window.hpp"
#include "pinnacle/venue/ledger.hpp"
#include "pinnacle/venue/orders.hpp"

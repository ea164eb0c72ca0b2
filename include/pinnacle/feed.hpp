#pragma once
/// @file feed.hpp
/// Umbrella header of pinnacle's feed/ component: the EventSource concept, the LOBSTER readers and
/// replay, the in-memory source.
/// Includes every header under pinnacle/feed/ (a CTest check keeps this list complete).

#include "pinnacle/feed/concepts.hpp"
#include "pinnacle/feed/lobster.hpp"
#include "pinnacle/feed/lobster_replay.hpp"
#include "pinnacle/feed/lobster_session.hpp"
#include "pinnacle/feed/memory_source.hpp"
#include "pinnacle/feed/parse_error.hpp"

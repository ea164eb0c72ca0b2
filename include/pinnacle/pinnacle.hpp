#pragma once
/// @file pinnacle.hpp
/// Umbrella header: every part of pinnacle that needs no optional dependency.

#include "pinnacle/core/events.hpp"
#include "pinnacle/core/instrument.hpp"
#include "pinnacle/core/orders.hpp"
#include "pinnacle/core/status.hpp"
#include "pinnacle/core/types.hpp"

#include "pinnacle/memory/concepts.hpp"
#include "pinnacle/memory/object_pool.hpp"
#include "pinnacle/memory/ring_buffer.hpp"

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/book/depth_book.hpp"
#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/book/order_map.hpp"
#include "pinnacle/book/reference_book.hpp"

#include "pinnacle/feed/concepts.hpp"
#include "pinnacle/feed/lobster.hpp"
#include "pinnacle/feed/lobster_replay.hpp"
#include "pinnacle/feed/memory_source.hpp"
#include "pinnacle/feed/parse_error.hpp"

#include "pinnacle/signal/ewma_volatility.hpp"
#include "pinnacle/strategy/avellaneda_stoikov.hpp"
#include "pinnacle/strategy/concepts.hpp"

#include "pinnacle/risk/concepts.hpp"

#include "pinnacle/engine/market_maker.hpp"
#include "pinnacle/sim/concepts.hpp"
#include "pinnacle/sim/ledger.hpp"
#include "pinnacle/sim/lobster_backtest.hpp"
#include "pinnacle/sim/simulated_venue.hpp"
#include "pinnacle/sim/models.hpp"

#include "pinnacle/risk/alerting_check.hpp"
#include "pinnacle/risk/alerts.hpp"
#include "pinnacle/risk/checks.hpp"
#include "pinnacle/risk/circuit_breaker.hpp"
#include "pinnacle/risk/kill_switch.hpp"
#include "pinnacle/risk/risk_chain.hpp"
#include "pinnacle/risk/var.hpp"
#include "pinnacle/sim/as_monte_carlo.hpp"
#include "pinnacle/signal/imbalance.hpp"
#include "pinnacle/signal/intensity.hpp"
#include "pinnacle/signal/microprice.hpp"
#include "pinnacle/signal/vpin.hpp"
#include "pinnacle/strategy/avellaneda_stoikov_infinite.hpp"
#include "pinnacle/strategy/glft.hpp"
#include "pinnacle/strategy/imbalance_mm.hpp"
#include "pinnacle/route/algorithms.hpp"
#include "pinnacle/route/concepts.hpp"
#include "pinnacle/route/consolidated_book.hpp"
#include "pinnacle/route/parent_tracker.hpp"
#include "pinnacle/route/routing_session.hpp"

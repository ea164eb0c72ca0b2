#pragma once
/// @file book.hpp
/// Umbrella header of pinnacle's book/ component: the OrderBook and DepthView concepts, the L3
/// book, the depth book and the reference book.
/// Includes every header under pinnacle/book/ (a CTest check keeps this list complete).

#include "pinnacle/book/concepts.hpp"
#include "pinnacle/book/depth_book.hpp"
#include "pinnacle/book/l3_book.hpp"
#include "pinnacle/book/level_ladder.hpp"
#include "pinnacle/book/order_map.hpp"
#include "pinnacle/book/price_map.hpp"
#include "pinnacle/book/reference_book.hpp"

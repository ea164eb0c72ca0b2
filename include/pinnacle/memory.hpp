#pragma once
/// @file memory.hpp
/// Umbrella header of pinnacle's memory/ component: the Pool concept, the object pool, the ring
/// buffer and the single-producer single-consumer queue.
/// Includes every header under pinnacle/memory/ (a CTest check keeps this list complete).

#include "pinnacle/memory/concepts.hpp"
#include "pinnacle/memory/object_pool.hpp"
#include "pinnacle/memory/ring_buffer.hpp"
#include "pinnacle/memory/spsc_queue.hpp"

#pragma once
// Fixture for tests/check_layers.cmake: a header that respects the layers.
#include "pinnacle/core/random.hpp"

#pragma once
// Fixture for tests/check_layers.cmake: a folder header must not include an umbrella.
#include "pinnacle/core/types.hpp"
  #  include "pinnacle/pinnacle.hpp"

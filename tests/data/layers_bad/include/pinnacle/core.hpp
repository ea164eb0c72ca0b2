#pragma once
// Fixture for tests/check_layers.cmake: the core umbrella forgets core/bad.hpp; book/ has none.
#include "pinnacle/core/types.hpp"

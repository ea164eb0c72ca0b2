#pragma once
// Fixture for tests/check_layers.cmake: widgets/ is not in the layer order.

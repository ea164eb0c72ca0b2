#pragma once
/// @file apps.hpp
/// Umbrella header of pinnacle's apps/ component: the application harnesses: the LOBSTER backtest
/// runner and the A–S Monte Carlo.
/// Includes every header under pinnacle/apps/ (a CTest check keeps this list complete).

#include "pinnacle/apps/as_monte_carlo.hpp"
#include "pinnacle/apps/lobster_backtest.hpp"
#include "pinnacle/apps/output_file.hpp"

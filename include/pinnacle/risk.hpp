#pragma once
/// @file risk.hpp
/// Umbrella header of pinnacle's risk/ component: the RiskCheck concept, the checks and risk_chain,
/// the circuit breaker, the kill switch, alerts, VaR.
/// Includes every header under pinnacle/risk/ (a CTest check keeps this list complete).

#include "pinnacle/risk/alerting_check.hpp"
#include "pinnacle/risk/alerts.hpp"
#include "pinnacle/risk/breaker_types.hpp"
#include "pinnacle/risk/checks.hpp"
#include "pinnacle/risk/circuit_breaker.hpp"
#include "pinnacle/risk/circuit_breaker_check.hpp"
#include "pinnacle/risk/concepts.hpp"
#include "pinnacle/risk/kill_switch.hpp"
#include "pinnacle/risk/risk_chain.hpp"
#include "pinnacle/risk/var_engine.hpp"
#include "pinnacle/risk/var_limit_check.hpp"
#include "pinnacle/risk/var_publisher.hpp"
#include "pinnacle/risk/var_result.hpp"

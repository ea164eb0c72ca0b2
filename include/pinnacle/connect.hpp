#pragma once
/// @file connect.hpp
/// Umbrella header of pinnacle's connect/ component (CMake target pinnacle::connect: simdjson,
/// nlohmann_json, zlib, zstd, OpenSSL): the exchange decoders and capture readers
/// (pinnacle/connect/*.hpp) and request signing and the credential store (pinnacle/connect/auth/).
/// Not included: connect/fix/ (pinnacle::fix) and connect/wire/, which are their own targets.
/// A CTest check keeps this list complete.

#include "pinnacle/connect/auth/credential_store.hpp"
#include "pinnacle/connect/auth/crypto.hpp"
#include "pinnacle/connect/auth/signing.hpp"
#include "pinnacle/connect/binance.hpp"
#include "pinnacle/connect/bitstamp.hpp"
#include "pinnacle/connect/capture.hpp"
#include "pinnacle/connect/coinbase.hpp"
#include "pinnacle/connect/decimal.hpp"
#include "pinnacle/connect/feed.hpp"
#include "pinnacle/connect/instruments.hpp"
#include "pinnacle/connect/json.hpp"
#include "pinnacle/connect/kraken.hpp"
#include "pinnacle/connect/replay.hpp"

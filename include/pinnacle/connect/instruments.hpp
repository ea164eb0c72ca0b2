#pragma once
/// @file connect/instruments.hpp
/// Instrument grids from the exchanges' own REST reference data (nlohmann::json: REST bodies
/// are not the hot path): Binance exchangeInfo, Coinbase products, Kraken AssetPairs, Bitstamp
/// trading-pairs-info. Every accepted tick and lot comes from the exchange's decimal text.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "pinnacle/connect/decimal.hpp"

namespace pinnacle {
inline namespace v0 {
namespace connect {

/// One symbol's grids as listed by an exchange.
struct listed_instrument {
    std::string symbol;   ///< As the WebSocket stream spells it.
    instrument_spec spec; ///< Tick and lot grids.
};

namespace detail {
inline bool grid_from(const nlohmann::json& j, const char* key, decimal_grid& g) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return false;
    return make_grid(it->get_ref<const std::string&>(), g) == decimal_error::ok;
}
inline bool grid_from_decimals(const nlohmann::json& j, const char* key, decimal_grid& g) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number_unsigned() || it->get<unsigned>() > 18) return false;
    g = grid_of_decimals(it->get<unsigned>());
    return true;
}
// Replaces g by 10^-precision when that step is finer and divides g's step.
inline void finer_precision(const nlohmann::json& j, const char* key, decimal_grid& g) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number_unsigned() || it->get<unsigned>() > 18) return;
    const decimal_grid p = grid_of_decimals(it->get<unsigned>());
    std::int64_t n = 0;
    if (g.valid() && p.units(g.step, n) == decimal_error::ok && n > 1) g = p;
}
} // namespace detail

/// Parses a REST reference body; `url` tells which exchange and endpoint it came from
/// (exchangeInfo, /products, AssetPairs, trading-pairs-info). Entries without usable grids are
/// skipped. Returns an empty list for other URLs. Throws nlohmann::json::parse_error on bad JSON.
[[nodiscard]] inline std::vector<listed_instrument> parse_reference_data(std::string_view url, std::string_view body) {
    std::vector<listed_instrument> out;
    const bool binance = url.find("exchangeInfo") != std::string_view::npos;
    const bool coinbase = url.find("/products") != std::string_view::npos;
    const bool kraken = url.find("AssetPairs") != std::string_view::npos;
    const bool bitstamp = url.find("trading-pairs-info") != std::string_view::npos;
    if (!binance && !coinbase && !kraken && !bitstamp) return out;
    const nlohmann::json j = nlohmann::json::parse(body);
    if (binance && j.contains("symbols") && j["symbols"].is_array()) {
        // Binance spot / USD-M exchangeInfo: PRICE_FILTER.tickSize and LOT_SIZE.stepSize.
        for (const auto& s : j["symbols"]) {
            if (!s.contains("symbol") || !s["symbol"].is_string() || !s.contains("filters") || !s["filters"].is_array()) continue;
            listed_instrument li{s["symbol"].get<std::string>(), {}};
            bool tick = false, lot = false;
            for (const auto& f : s["filters"]) {
                const std::string type = f.value("filterType", "");
                if (type == "PRICE_FILTER") tick = detail::grid_from(f, "tickSize", li.spec.tick);
                if (type == "LOT_SIZE") lot = detail::grid_from(f, "stepSize", li.spec.lot);
            }
            // Books can hold levels off today's tick grid (orders left from before a tick size
            // change: real USD-M snapshots have them), yet never finer than the printed precision:
            // when pricePrecision / quantityPrecision give a finer grid that divides the filter's,
            // the book uses it.
            detail::finer_precision(s, "pricePrecision", li.spec.tick);
            detail::finer_precision(s, "quantityPrecision", li.spec.lot);
            if (tick && lot) out.push_back(std::move(li));
        }
    } else if (coinbase) {
        // Advanced Trade: {"products":[{product_id, quote_increment, base_increment}]};
        // Exchange: [{id, quote_increment, base_increment}].
        const nlohmann::json* list = j.is_array() ? &j : (j.contains("products") ? &j["products"] : nullptr);
        if (list != nullptr && list->is_array()) {
            for (const auto& p : *list) {
                const char* id_key = p.contains("product_id") ? "product_id" : "id";
                if (!p.contains(id_key) || !p[id_key].is_string()) continue;
                listed_instrument li{p[id_key].get<std::string>(), {}};
                if (detail::grid_from(p, "quote_increment", li.spec.tick) && detail::grid_from(p, "base_increment", li.spec.lot))
                    out.push_back(std::move(li));
            }
        }
    } else if (kraken && j.contains("result") && j["result"].is_object()) {
        // Kraken AssetPairs: wsname, pair_decimals (price), lot_decimals (volume).
        for (const auto& [name, p] : j["result"].items()) {
            if (!p.contains("wsname") || !p["wsname"].is_string()) continue;
            listed_instrument li{p["wsname"].get<std::string>(), {}};
            if (detail::grid_from_decimals(p, "pair_decimals", li.spec.tick) && detail::grid_from_decimals(p, "lot_decimals", li.spec.lot))
                out.push_back(std::move(li));
        }
    } else if (bitstamp && j.is_array()) {
        // Bitstamp trading-pairs-info: url_symbol, counter_decimals (price), base_decimals (amount).
        for (const auto& p : j) {
            if (!p.contains("url_symbol") || !p["url_symbol"].is_string()) continue;
            listed_instrument li{p["url_symbol"].get<std::string>(), {}};
            if (detail::grid_from_decimals(p, "counter_decimals", li.spec.tick) && detail::grid_from_decimals(p, "base_decimals", li.spec.lot))
                out.push_back(std::move(li));
        }
    }
    return out;
}

} // namespace connect
} // namespace v0
} // namespace pinnacle

// libFuzzer target: Binance decoder. Each input line is a WebSocket message, or a REST depth
// snapshot for BTCUSDT when it starts with "S ".
#include "fuzz_connect_common.hpp"
#include "pinnacle/connect/binance.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pinnacle::connect::binance_decoder d;
    d.allow_fallback(pinnacle::connect::default_crypto_spec());
    pinnacle_fuzz::for_each_message(data, size, [&](std::string_view m) {
        if (m.substr(0, 2) == "S ") {
            pinnacle_fuzz::check(d, d.on_snapshot("BTCUSDT", m.substr(2)));
        } else {
            pinnacle_fuzz::check(d, d.on_message(m));
        }
    });
    return 0;
}

// libFuzzer target: Kraken v1/v2 decoder, one WebSocket message per input line.
#include "fuzz_connect_common.hpp"
#include "pinnacle/connect/kraken.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pinnacle::connect::kraken_decoder d;
    d.allow_fallback(pinnacle::connect::default_crypto_spec());
    pinnacle_fuzz::for_each_message(data, size, [&](std::string_view m) { pinnacle_fuzz::check(d, d.on_message(m)); });
    return 0;
}

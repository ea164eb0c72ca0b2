// libFuzzer target: Coinbase Advanced Trade and Exchange decoders, one message per input line
// (both decoders see every line).
#include "fuzz_connect_common.hpp"
#include "pinnacle/connect/coinbase.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pinnacle::connect::coinbase_advanced_decoder a;
    pinnacle::connect::coinbase_exchange_decoder x;
    a.allow_fallback(pinnacle::connect::default_crypto_spec());
    x.allow_fallback(pinnacle::connect::default_crypto_spec());
    std::size_t conn = 0;
    pinnacle_fuzz::for_each_message(data, size, [&](std::string_view m) {
        pinnacle_fuzz::check(a, a.on_message(m, pinnacle::timestamp{}, conn++ % 3));
        pinnacle_fuzz::check(x, x.on_message(m));
    });
    return 0;
}

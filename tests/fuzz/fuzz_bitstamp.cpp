// libFuzzer target: Bitstamp decoder. Each input line is a WebSocket message, a REST order book
// snapshot for ethusd when it starts with "S ", or a REST book to verify ethusd against ("V ").
#include "fuzz_connect_common.hpp"
#include "pinnacle/connect/bitstamp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pinnacle::connect::bitstamp_decoder d;
    d.allow_fallback(pinnacle::connect::default_crypto_spec());
    pinnacle_fuzz::for_each_message(data, size, [&](std::string_view m) {
        if (m.substr(0, 2) == "S ") {
            pinnacle_fuzz::check(d, d.on_snapshot("ethusd", m.substr(2)));
        } else if (m.substr(0, 2) == "V ") {
            pinnacle_fuzz::check(d, d.on_verify_snapshot("ethusd", m.substr(2)));
        } else {
            pinnacle_fuzz::check(d, d.on_message(m));
        }
    });
    return 0;
}

#pragma once
// Helpers for the FIX tests: build a framed message from readable '|'-separated text.
#include "pinnacle/connect/fix/codec.hpp"

#include <array>
#include <cstdio>
#include <string>
#include <string_view>

namespace fix_test {

/// '|' -> SOH.
inline std::string soh(std::string_view text) {
    std::string s(text);
    for (char& c : s) {
        if (c == '|') c = pinnacle::fix::soh;
    }
    return s;
}

/// SOH -> '|', for messages in failure output.
inline std::string pipes(std::string_view text) {
    std::string s(text);
    for (char& c : s) {
        if (c == pinnacle::fix::soh) c = '|';
    }
    return s;
}

/// "8=<begin>|9=<len>|<body>10=<sum>|" with BodyLength and CheckSum computed; body is
/// '|'-separated and ends with '|'.
inline std::string frame(std::string_view body, std::string_view begin = "FIX.4.4") {
    const std::string b = soh(body);
    std::string m = "8=" + std::string(begin) + '\x01' + "9=" + std::to_string(b.size()) + '\x01' + b;
    unsigned sum = 0;
    for (char c : m) sum += static_cast<unsigned char>(c);
    char cs[8];
    std::snprintf(cs, sizeof cs, "%03u", sum % 256);
    return m + "10=" + cs + '\x01';
}

/// A valid FIX 4.4 header body prefix for MsgType `type`.
inline std::string hdr(std::string_view type) {
    return "35=" + std::string(type) + "|49=CLIENT|56=VENUE|34=12|52=20240507-21:35:38.774|";
}

} // namespace fix_test

#pragma once
// QuickFIX, behind a plain C++ interface: this header includes no QuickFIX header, so the C++20
// benchmark can call into quickfix_peer.cpp, which is compiled as -std=gnu++14 (QuickFIX 1.15.1's
// headers use dynamic exception specifications, removed in C++17).
#include <cstddef>
#include <memory>
#include <string>

namespace pinnacle_bench {

/// One FIX::Message and the FIX 4.4 FIX::DataDictionary it is parsed with. One thread.
class quickfix_peer {
public:
    /// Loads the QuickFIX data dictionary at `dictionary_xml`; throws on error.
    explicit quickfix_peer(const char* dictionary_xml);
    ~quickfix_peer();
    quickfix_peer(const quickfix_peer&) = delete;
    quickfix_peer& operator=(const quickfix_peer&) = delete;

    /// FIX::Message::setString(text, true, &dictionary): framing, BodyLength and CheckSum checks,
    /// groups by the dictionary. With `validate`, also DataDictionary::validate (required fields,
    /// enums, formats). False when QuickFIX throws.
    bool parse(const std::string& text, bool validate);

    /// FIX::Message::toString of the last parsed message into a reused string; returns its size.
    std::size_t to_string();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace pinnacle_bench

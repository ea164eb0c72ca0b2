#pragma once
/// @file connect/auth/crypto.hpp
/// The OpenSSL plumbing the signers and the credential store share: an error type, a buffer whose
/// memory is wiped (OPENSSL_cleanse) before it is freed, hex and base64 codecs (OpenSSL's
/// EVP_EncodeBlock / EVP_DecodeBlock, with the padding handled), HMAC and SHA-2 digests.
/// Everything here throws auth_error on failure; nothing here logs or prints.

#include "pinnacle/core/requires_cxx20.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

namespace pinnacle {
inline namespace v0 {
namespace connect {

/// A signing or credential failure: `what()` says what was wrong and where, never a secret.
class auth_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Allocator that wipes a block (OPENSSL_cleanse) before freeing it, so a secret left in a
/// container's old buffer after it grows does not linger in freed memory. Stateless.
template <class T>
struct cleansing_allocator {
    /// Element type.
    using value_type = T;
    /// Default construction (stateless).
    cleansing_allocator() noexcept = default;
    /// Rebinding construction (stateless).
    template <class U>
    explicit cleansing_allocator(const cleansing_allocator<U>&) noexcept {}
    /// `n` elements of raw storage. Throws std::bad_alloc.
    [[nodiscard]] T* allocate(std::size_t n) {
        if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw std::bad_alloc();
        return static_cast<T*>(::operator new(n * sizeof(T)));
    }
    /// Wipes then frees the `n` elements at `p`.
    void deallocate(T* p, std::size_t n) noexcept {
        OPENSSL_cleanse(p, n * sizeof(T));
        ::operator delete(p);
    }
    /// Every instance is interchangeable.
    template <class U>
    friend bool operator==(const cleansing_allocator&, const cleansing_allocator<U>&) noexcept {
        return true;
    }
};

/// Bytes of a secret (password, API secret, key material, plaintext): wiped when freed or
/// reallocated. A std::vector (no small-buffer optimisation): every byte lives in wiped storage.
using secret_bytes = std::vector<char, cleansing_allocator<char>>;

/// The bytes of `s` as a string_view (valid while `s` is unchanged).
[[nodiscard]] inline std::string_view view_of(const secret_bytes& s) noexcept { return {s.data(), s.size()}; }

/// A copy of `v` in wiped storage. Throws std::bad_alloc.
[[nodiscard]] inline secret_bytes secret_copy(std::string_view v) { return secret_bytes(v.begin(), v.end()); }

namespace auth_detail {

/// OpenSSL's length type is int: refuses anything longer than INT_MAX bytes, naming `what`.
[[nodiscard]] inline int int_size(std::size_t n, const char* what) {
    if (n > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw auth_error(std::string(what) + ": longer than " + std::to_string(std::numeric_limits<int>::max()) + " bytes");
    return static_cast<int>(n);
}

/// `p` as OpenSSL's unsigned byte pointer.
[[nodiscard]] inline const unsigned char* bytes(const char* p) noexcept { return reinterpret_cast<const unsigned char*>(p); }
/// `p` as OpenSSL's unsigned byte pointer.
[[nodiscard]] inline unsigned char* bytes(char* p) noexcept { return reinterpret_cast<unsigned char*>(p); }

/// The oldest queued OpenSSL error as text (and clears the queue), for messages.
[[nodiscard]] inline std::string openssl_error() {
    const unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (e == 0) return "no OpenSSL error queued";
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    return buf;
}

} // namespace auth_detail

/// Lower-case hex of `data` (2 characters per byte).
[[nodiscard]] inline std::string to_hex(std::string_view data) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(data.size() * 2);
    for (const char c : data) {
        const auto b = static_cast<unsigned char>(c);
        out += digits[b >> 4];
        out += digits[b & 0xF];
    }
    return out;
}

/// Standard base64 (RFC 4648 section 4, with '=' padding) of `data`, by EVP_EncodeBlock.
/// Throws auth_error when `data` is longer than OpenSSL accepts.
[[nodiscard]] inline std::string base64_encode(std::string_view data) {
    const int n = auth_detail::int_size(data.size(), "base64 input");
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(auth_detail::bytes(out.data()), auth_detail::bytes(data.data()), n);
    out.resize(static_cast<std::size_t>(written));
    return out;
}

/// base64url (RFC 4648 section 5) without padding, as JOSE (RFC 7515 section 2) requires.
[[nodiscard]] inline std::string base64url_encode(std::string_view data) {
    std::string out = base64_encode(data);
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (char& c : out) {
        if (c == '+') c = '-';
        else if (c == '/') c = '_';
    }
    return out;
}

/// Decodes standard base64 (RFC 4648 section 4) into wiped storage. The input must be padded to a
/// multiple of 4 characters with at most two '=' at the end and nothing but the 64-letter alphabet
/// before them (no whitespace). Throws auth_error naming `what` and the offending position.
/// EVP_DecodeBlock returns the padding bytes as zeros: they are removed here.
[[nodiscard]] inline secret_bytes base64_decode(std::string_view text, const char* what = "base64 text") {
    if (text.size() % 4 != 0)
        throw auth_error(std::string(what) + " is not base64: length " + std::to_string(text.size()) +
                         " is not a multiple of 4");
    std::size_t pad = 0;
    if (!text.empty() && text.back() == '=') ++pad;
    if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
    for (std::size_t i = 0; i + pad < text.size(); ++i) {
        const char c = text[i];
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (!ok) throw auth_error(std::string(what) + " is not base64: character " + std::to_string(i + 1) + " is not in the alphabet");
    }
    const int n = auth_detail::int_size(text.size(), what);
    secret_bytes out(text.size() / 4 * 3 + 1);
    const int written = EVP_DecodeBlock(auth_detail::bytes(out.data()), auth_detail::bytes(text.data()), n);
    if (written < 0) throw auth_error(std::string(what) + " is not base64 (" + auth_detail::openssl_error() + ")");
    out.resize(static_cast<std::size_t>(written) - pad);
    return out;
}

/// SHA-256 (FIPS 180-4) of `data`: 32 raw bytes.
[[nodiscard]] inline std::string sha256(std::string_view data) {
    std::string out(SHA256_DIGEST_LENGTH, '\0');
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), auth_detail::bytes(out.data()), &len, EVP_sha256(), nullptr) != 1)
        throw auth_error("SHA-256 failed: " + auth_detail::openssl_error());
    return out;
}

/// HMAC (RFC 2104) of `data` under `key` with digest `md` (EVP_sha256(), EVP_sha512()...), raw
/// bytes, into wiped storage (an HMAC may itself be key material).
[[nodiscard]] inline secret_bytes hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
    secret_bytes out(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    // A zero-length key is legal HMAC; OpenSSL wants a non-null pointer for it.
    static const char empty = 0;
    const char* k = key.empty() ? &empty : key.data();
    if (HMAC(md, k, auth_detail::int_size(key.size(), "HMAC key"), auth_detail::bytes(data.data()), data.size(),
             auth_detail::bytes(out.data()), &len) == nullptr)
        throw auth_error("HMAC failed: " + auth_detail::openssl_error());
    out.resize(len);
    return out;
}

} // namespace connect
} // namespace v0
} // namespace pinnacle

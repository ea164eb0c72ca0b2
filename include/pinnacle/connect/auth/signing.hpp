#pragma once
/// @file connect/auth/signing.hpp
/// Request signing for the crypto exchanges' private APIs, with OpenSSL only (HMAC, SHA-2,
/// ECDSA P-256, base64 through EVP): Binance HMAC-SHA256, Kraken API-Sign (HMAC-SHA512), and the
/// Coinbase Advanced Trade ES256 JWT. Pure functions of their inputs (the JWT takes the time and
/// may take the nonce), so they are tested against the exchanges' worked examples.
/// Errors are thrown as connect::auth_error, whose message never holds a secret.

#include "pinnacle/connect/auth/crypto.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

namespace pinnacle {
inline namespace v0 {

/// Binance SIGNED request signature: lower-case hex HMAC-SHA256 of `payload` (the query string,
/// or the request body, exactly as sent) under the API `secret`. Source: Binance Spot API, "Request
/// Security", SIGNED endpoint examples for HMAC keys
/// (https://developers.binance.com/docs/binance-spot-api-docs/rest-api/request-security).
/// Throws connect::auth_error when `secret` is empty.
[[nodiscard]] inline std::string binance_signature(std::string_view secret, std::string_view payload) {
    if (secret.empty()) throw connect::auth_error("Binance API secret is empty");
    const connect::secret_bytes mac = connect::hmac(EVP_sha256(), secret, payload);
    return connect::to_hex(connect::view_of(mac));
}

/// Kraken spot REST `API-Sign` header: base64(HMAC-SHA512(base64-decoded secret, `uri_path` +
/// SHA-256(`nonce` + `post_data`))). `uri_path` starts with "/0/private/", `post_data` is the
/// url-encoded body as sent (it holds the same nonce). Source: Kraken "Spot REST Authentication"
/// (https://docs.kraken.com/api/docs/guides/spot-rest-auth). Throws connect::auth_error when
/// `secret_base64` is empty or not padded standard base64 (the message gives the position, not
/// the secret).
[[nodiscard]] inline std::string kraken_signature(std::string_view secret_base64, std::string_view uri_path,
                                                  std::string_view nonce, std::string_view post_data) {
    if (secret_base64.empty()) throw connect::auth_error("Kraken API secret is empty");
    const connect::secret_bytes key = connect::base64_decode(secret_base64, "Kraken API secret");
    std::string inner(nonce);
    inner += post_data;
    std::string message(uri_path);
    message += connect::sha256(inner);
    const connect::secret_bytes mac = connect::hmac(EVP_sha512(), connect::view_of(key), message);
    return connect::base64_encode(connect::view_of(mac));
}

namespace connect {

namespace auth_detail {

/// unique_ptr deleters for the OpenSSL objects used here.
struct openssl_free {
    /// Frees a BIO.
    void operator()(BIO* p) const noexcept { BIO_free(p); }
    /// Frees a key.
    void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
    /// Frees a digest context.
    void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
    /// Frees an ECDSA signature.
    void operator()(ECDSA_SIG* p) const noexcept { ECDSA_SIG_free(p); }
    /// Frees (and wipes) a big number.
    void operator()(BIGNUM* p) const noexcept { BN_clear_free(p); }
};
/// Owning OpenSSL pointer.
template <class T>
using openssl_ptr = std::unique_ptr<T, openssl_free>;

/// A read-only memory BIO over `pem` (not copied). Throws auth_error.
[[nodiscard]] inline openssl_ptr<BIO> memory_bio(std::string_view pem, const char* what) {
    openssl_ptr<BIO> bio(BIO_new_mem_buf(pem.data(), int_size(pem.size(), what)));
    if (!bio) throw auth_error(std::string(what) + ": cannot read (" + openssl_error() + ")");
    return bio;
}

/// Throws unless `key` is an EC key on NIST P-256 (prime256v1), the only curve ES256 allows.
inline void require_p256(EVP_PKEY* key, const char* what) {
    if (EVP_PKEY_base_id(key) != EVP_PKEY_EC) throw auth_error(std::string(what) + " is not an EC key (ES256 needs P-256)");
    char group[64] = {};
    std::size_t len = 0;
    if (EVP_PKEY_get_group_name(key, group, sizeof group, &len) != 1 || std::string_view(group, len) != "prime256v1")
        throw auth_error(std::string(what) + " is not on curve P-256 (prime256v1), which ES256 requires");
}

/// base64url without padding (RFC 7515 section 2) back to bytes; throws auth_error naming `what`.
[[nodiscard]] inline secret_bytes base64url_decode(std::string_view text, const char* what) {
    if (text.size() % 4 == 1) throw auth_error(std::string(what) + " is not base64url: impossible length");
    std::string std64(text);
    for (char& c : std64) {
        if (c == '-') c = '+';
        else if (c == '_') c = '/';
        else if (c == '+' || c == '/' || c == '=') c = '!';  // not base64url: rejected below
    }
    while (std64.size() % 4 != 0) std64 += '=';
    return base64_decode(std64, what);
}

} // namespace auth_detail

/// What a Coinbase Advanced Trade request is: its method, host and path (no query string), e.g.
/// {"POST", "api.coinbase.com", "/api/v3/brokerage/orders"}.
struct coinbase_request {
    std::string_view method;  ///< upper-case HTTP method
    std::string_view host;    ///< host name, no scheme
    std::string_view path;    ///< path starting with '/', no query
};

/// Coinbase Advanced Trade (CDP API key) bearer token: an ES256 JWT (RFC 7519, RFC 7515) with
/// header {"alg":"ES256","kid":key_name,"nonce":...,"typ":"JWT"} and claims {"iss":"cdp",
/// "sub":key_name,"nbf":now_s,"exp":now_s+lifetime_s,"uri":"METHOD host/path"}, signed with the EC
/// P-256 private key in `private_key_pem` (SEC1 "EC PRIVATE KEY" or PKCS#8 PEM) and the signature in
/// JOSE form (raw r||s, 64 bytes; RFC 7518 section 3.4), all parts base64url without padding.
/// `now_s` is Unix time in seconds (the caller's clock); `nonce_hex` empty draws 16 random bytes
/// (RAND_bytes) as 32 hex digits. Source: Coinbase Developer Platform, Advanced Trade "API Key
/// Authentication" (https://docs.cdp.coinbase.com/coinbase-app/authentication-authorization/api-key-authentication).
/// Throws auth_error for an unreadable or non-P-256 key, an empty key name or a lifetime not in
/// [1, 3600] s.
[[nodiscard]] inline std::string coinbase_jwt(std::string_view key_name, std::string_view private_key_pem,
                                              const coinbase_request& request, std::int64_t now_s,
                                              std::string_view nonce_hex = {}, std::int64_t lifetime_s = 120) {
    using namespace auth_detail;
    if (key_name.empty()) throw auth_error("Coinbase key name is empty");
    if (lifetime_s < 1 || lifetime_s > 3600) throw auth_error("Coinbase JWT lifetime must be 1..3600 s");
    if (now_s < 0 || now_s > std::int64_t{1} << 40) throw auth_error("Coinbase JWT time is not a plausible Unix time in seconds");
    std::string nonce(nonce_hex);
    if (nonce.empty()) {
        unsigned char raw[16];
        if (RAND_bytes(raw, sizeof raw) != 1) throw auth_error("RAND_bytes failed: " + openssl_error());
        nonce = to_hex(std::string_view(reinterpret_cast<const char*>(raw), sizeof raw));
    }
    std::string header_json;
    std::string claims_json;
    try {
        nlohmann::ordered_json header;
        header["alg"] = "ES256";
        header["kid"] = std::string(key_name);
        header["nonce"] = nonce;
        header["typ"] = "JWT";
        nlohmann::ordered_json claims;
        claims["iss"] = "cdp";
        claims["sub"] = std::string(key_name);
        claims["nbf"] = now_s;
        claims["exp"] = now_s + lifetime_s;
        std::string uri(request.method);
        uri += ' ';
        uri += request.host;
        uri += request.path;
        claims["uri"] = uri;
        header_json = header.dump();
        claims_json = claims.dump();
    } catch (const nlohmann::json::exception& e) {
        throw auth_error(std::string("Coinbase JWT: key name, nonce or request is not valid UTF-8 (") + e.what() + ")");
    }
    const std::string signing_input = base64url_encode(header_json) + '.' + base64url_encode(claims_json);

    openssl_ptr<BIO> bio = memory_bio(private_key_pem, "Coinbase private key");
    openssl_ptr<EVP_PKEY> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) {
        ERR_clear_error();
        throw auth_error("Coinbase private key is not a PEM private key");
    }
    require_p256(key.get(), "Coinbase private key");
    openssl_ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
    std::size_t der_len = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &der_len, bytes(signing_input.data()), signing_input.size()) != 1)
        throw auth_error("ES256 signing failed: " + openssl_error());
    std::string der(der_len, '\0');
    if (EVP_DigestSign(ctx.get(), bytes(der.data()), &der_len, bytes(signing_input.data()), signing_input.size()) != 1)
        throw auth_error("ES256 signing failed: " + openssl_error());
    const unsigned char* p = bytes(der.data());
    openssl_ptr<ECDSA_SIG> sig(d2i_ECDSA_SIG(nullptr, &p, int_size(der_len, "ECDSA signature")));
    if (!sig) throw auth_error("ES256 signing produced no ECDSA signature: " + openssl_error());
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    std::string raw(64, '\0');
    if (BN_bn2binpad(r, bytes(raw.data()), 32) != 32 || BN_bn2binpad(s, bytes(raw.data() + 32), 32) != 32)
        throw auth_error("ES256 signature does not fit 2 x 32 bytes");
    return signing_input + '.' + base64url_encode(raw);
}

/// Checks an ES256 JWT's signature (JOSE r||s form) with the P-256 public key in
/// `public_key_pem` ("PUBLIC KEY" PEM), as the exchange does. Checks only the signature and that
/// the header says "alg":"ES256"; the claims are the caller's to read. Returns false for a wrong
/// or malformed token; throws auth_error only for an unusable public key.
[[nodiscard]] inline bool verify_es256_jwt(std::string_view token, std::string_view public_key_pem) {
    using namespace auth_detail;
    openssl_ptr<BIO> bio = memory_bio(public_key_pem, "ES256 public key");
    openssl_ptr<EVP_PKEY> key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!key) {
        ERR_clear_error();
        throw auth_error("ES256 public key is not a PEM public key");
    }
    require_p256(key.get(), "ES256 public key");
    const std::size_t dot1 = token.find('.');
    const std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) return false;
    secret_bytes header;
    secret_bytes raw;
    try {
        header = base64url_decode(token.substr(0, dot1), "JWT header");
        raw = base64url_decode(token.substr(dot2 + 1), "JWT signature");
        const auto h = nlohmann::json::parse(view_of(header));
        if (!h.is_object() || h.value("alg", std::string()) != "ES256") return false;
    } catch (const auth_error&) {
        return false;
    } catch (const nlohmann::json::exception&) {
        return false;
    }
    if (raw.size() != 64) return false;
    openssl_ptr<ECDSA_SIG> sig(ECDSA_SIG_new());
    openssl_ptr<BIGNUM> r(BN_bin2bn(bytes(raw.data()), 32, nullptr));
    openssl_ptr<BIGNUM> s(BN_bin2bn(bytes(raw.data() + 32), 32, nullptr));
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) throw auth_error("ECDSA_SIG: " + openssl_error());
    (void)r.release();  // owned by sig now
    (void)s.release();
    unsigned char* der = nullptr;
    const int der_len = i2d_ECDSA_SIG(sig.get(), &der);
    if (der_len <= 0) throw auth_error("ECDSA_SIG encoding: " + openssl_error());
    std::unique_ptr<unsigned char, void (*)(unsigned char*)> der_owner(der, [](unsigned char* q) { OPENSSL_free(q); });
    const std::string_view signing_input = token.substr(0, dot2);
    openssl_ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1)
        throw auth_error("ES256 verification setup failed: " + openssl_error());
    const int ok = EVP_DigestVerify(ctx.get(), der, static_cast<std::size_t>(der_len), bytes(signing_input.data()),
                                    signing_input.size());
    ERR_clear_error();
    return ok == 1;
}

} // namespace connect
} // namespace v0
} // namespace pinnacle

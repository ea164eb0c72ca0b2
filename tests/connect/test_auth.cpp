// pinnacle::connect auth/: request signing against the exchanges' own worked examples, the
// Coinbase ES256 JWT checked with the public key, base64 edge cases, and the credential store's
// round trip, wrong password, tampering and permissions. Reached through the umbrella
// pinnacle/connect.hpp, as users do. Store tests use a low PBKDF2 iteration count (an option
// that exists for tests) except one at the production default.

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "pinnacle/connect.hpp"

namespace pc = pinnacle::connect;

namespace {

// A P-256 key pair made for this test only (openssl ecparam -name prime256v1 -genkey).
constexpr std::string_view test_ec_private_pem = "-----BEGIN EC PRIVATE KEY-----\n"
                                                 "MHcCAQEEIB0H86BWYb2lF1k4jX379/bbkKv+wYMdbrBPJyZ2WGppoAoGCCqGSM49\n"
                                                 "AwEHoUQDQgAECti5FkpkykY/0jIP1UL99CGvFcbCrtUKNmIC7COGCyI5kE/K/hL9\n"
                                                 "iFIjTGfz+Xbuwvfxl0tuOqlXZEBnTaPWoQ==\n"
                                                 "-----END EC PRIVATE KEY-----\n";
constexpr std::string_view test_ec_public_pem = "-----BEGIN PUBLIC KEY-----\n"
                                                "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAECti5FkpkykY/0jIP1UL99CGvFcbC\n"
                                                "rtUKNmIC7COGCyI5kE/K/hL9iFIjTGfz+Xbuwvfxl0tuOqlXZEBnTaPWoQ==\n"
                                                "-----END PUBLIC KEY-----\n";

std::string decode_part(std::string_view b64url) {
    const pc::secret_bytes b = pc::auth_detail::base64url_decode(b64url, "test");
    return std::string(b.begin(), b.end());
}

std::vector<std::string> split_jwt(const std::string& t) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t dot = t.find('.', start);
        parts.push_back(t.substr(start, dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return parts;
}

// A fresh directory under the build's temp dir, removed at scope exit.
struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "pinnacle_auth_XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

pc::credential make(std::string name, std::string_view key, std::string_view secret) {
    return pc::credential{std::move(name), pc::secret_copy(key), pc::secret_copy(secret)};
}

pc::credential_store_options fast() {
    pc::credential_store_options o;
    o.iterations = 1000;
    o.min_iterations = 1000;
    return o;
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const std::filesystem::path& p, const std::string& data) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << data;
}

pc::credential_failure failure_of(const std::filesystem::path& p, std::string_view pw, const pc::credential_store_options& o) {
    try {
        (void)pc::read_credentials(p, pw, o);
    } catch (const pc::credential_error& e) {
        return e.failure();
    }
    FAIL("read_credentials succeeded");
    return pc::credential_failure::io;
}

} // namespace

TEST_CASE("binance_signature: the HMAC SHA256 example of Binance's SIGNED endpoint docs") {
    // Binance Spot API, Request Security, "SIGNED Endpoint Examples for POST /api/v3/order - HMAC Keys"
    // (https://developers.binance.com/docs/binance-spot-api-docs/rest-api/request-security).
    const std::string sig = pinnacle::binance_signature(
        "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j",
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559");
    CHECK(sig == "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
    // The same docs' second example: the payload with percent-encoded non-ASCII symbol.
    CHECK(pinnacle::binance_signature("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j",
                                      "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&"
                                      "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559") ==
          "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3");
    CHECK_THROWS_AS((void)pinnacle::binance_signature("", "a=1"), pc::auth_error);
}

TEST_CASE("kraken_signature: the API-Sign example of Kraken's Spot REST Authentication guide") {
    // https://docs.kraken.com/api/docs/guides/spot-rest-auth, "Examples".
    const std::string secret = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
    const std::string sig = pinnacle::kraken_signature(secret, "/0/private/AddOrder", "1616492376594",
                                                       "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25");
    CHECK(sig == "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==");
    // Path and nonce are both signed.
    CHECK(pinnacle::kraken_signature(secret, "/0/private/Balance", "1616492376594", "nonce=1616492376594") !=
          pinnacle::kraken_signature(secret, "/0/private/Balance", "1616492376595", "nonce=1616492376594"));

    SUBCASE("a secret that is not base64 is an auth_error naming the position, not the secret") {
        try {
            (void)pinnacle::kraken_signature("kQH5HW!8p1uG", "/0/private/AddOrder", "1", "nonce=1");
            FAIL("no error");
        } catch (const pc::auth_error& e) {
            const std::string what = e.what();
            CHECK(what.find("Kraken API secret is not base64: character 7") != std::string::npos);
            CHECK(what.find("kQH5") == std::string::npos);
        }
        CHECK_THROWS_AS((void)pinnacle::kraken_signature("abc", "/0/private/X", "1", ""), pc::auth_error);    // length
        CHECK_THROWS_AS((void)pinnacle::kraken_signature("ab=c", "/0/private/X", "1", ""), pc::auth_error);   // '=' inside
        CHECK_THROWS_AS((void)pinnacle::kraken_signature("a b=", "/0/private/X", "1", ""), pc::auth_error);   // space
        CHECK_THROWS_AS((void)pinnacle::kraken_signature("", "/0/private/X", "1", ""), pc::auth_error);       // empty
    }
}

TEST_CASE("base64: padding handled both ways (RFC 4648 section 10 vectors)") {
    const std::pair<std::string_view, std::string_view> vectors[] = {
        {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, enc] : vectors) {
        CHECK(pc::base64_encode(plain) == enc);
        CHECK(pc::view_of(pc::base64_decode(enc)) == plain);
    }
    CHECK(pc::base64url_encode("\xfb\xff") == "-_8");
    CHECK(decode_part("-_8") == "\xfb\xff");
    CHECK(pc::to_hex(std::string_view("\x00\xff\x10", 3)) == "00ff10");
}

TEST_CASE("coinbase_jwt: ES256 token with the documented header and claims, verified with the public key") {
    const pc::coinbase_request req{"POST", "api.coinbase.com", "/api/v3/brokerage/orders"};
    const std::string key_name = "organizations/org-id/apiKeys/key-id";
    const std::string token = pc::coinbase_jwt(key_name, test_ec_private_pem, req, 1'700'000'000, "00112233445566778899aabbccddeeff");
    const auto parts = split_jwt(token);
    REQUIRE(parts.size() == 3);
    for (const auto& p : parts) CHECK(p.find_first_of("+/=") == std::string::npos);  // base64url, unpadded
    const auto header = nlohmann::json::parse(decode_part(parts[0]));
    CHECK(header["alg"] == "ES256");
    CHECK(header["typ"] == "JWT");
    CHECK(header["kid"] == key_name);
    CHECK(header["nonce"] == "00112233445566778899aabbccddeeff");
    const auto claims = nlohmann::json::parse(decode_part(parts[1]));
    CHECK(claims["iss"] == "cdp");
    CHECK(claims["sub"] == key_name);
    CHECK(claims["nbf"] == 1'700'000'000);
    CHECK(claims["exp"] == 1'700'000'120);
    CHECK(claims["uri"] == "POST api.coinbase.com/api/v3/brokerage/orders");
    CHECK(decode_part(parts[2]).size() == 64);  // JOSE r||s, not DER

    CHECK(pc::verify_es256_jwt(token, test_ec_public_pem));
    // A changed claim, a changed signature and a truncated token all fail.
    std::string forged_claims = claims.dump();
    forged_claims.replace(forged_claims.find("POST"), 4, "GET ");
    CHECK_FALSE(pc::verify_es256_jwt(parts[0] + "." + pc::base64url_encode(forged_claims) + "." + parts[2], test_ec_public_pem));
    std::string bad_sig = token;
    bad_sig[bad_sig.size() - 5] = bad_sig[bad_sig.size() - 5] == 'A' ? 'B' : 'A';
    CHECK_FALSE(pc::verify_es256_jwt(bad_sig, test_ec_public_pem));
    CHECK_FALSE(pc::verify_es256_jwt(parts[0] + "." + parts[1], test_ec_public_pem));

    // A random nonce per token: two tokens differ, both verify.
    const std::string t1 = pc::coinbase_jwt(key_name, test_ec_private_pem, req, 1'700'000'000);
    const std::string t2 = pc::coinbase_jwt(key_name, test_ec_private_pem, req, 1'700'000'000);
    CHECK(t1 != t2);
    CHECK(pc::verify_es256_jwt(t1, test_ec_public_pem));

    // The PKCS#8 form of a key works too; a non-key and a non-P-256 key are clear errors.
    CHECK_THROWS_WITH_AS((void)pc::coinbase_jwt(key_name, "not a key", req, 1), "Coinbase private key is not a PEM private key", pc::auth_error);
    CHECK_THROWS_AS((void)pc::coinbase_jwt("", test_ec_private_pem, req, 1), pc::auth_error);
    CHECK_THROWS_AS((void)pc::verify_es256_jwt(token, "garbage"), pc::auth_error);
}

TEST_CASE("credential store: round trip, fresh salt and nonce per write, 0600") {
    temp_dir dir;
    const auto file = dir.path / "keys";
    const std::vector<pc::credential> in = {make("binance", "api-key-1", "secret-1"), make("kraken", "kkey", std::string(3000, 'x')),
                                            make("coinbase", "organizations/x/apiKeys/y", test_ec_private_pem)};
    pc::write_credentials(file, "correct horse", in, fast());
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const std::string first = read_file(file);
    CHECK(first.compare(0, 8, "PNCLKEYS") == 0);
    CHECK(first.find("secret-1") == std::string::npos);
    CHECK(first.find("api-key-1") == std::string::npos);

    const auto out = pc::read_credentials(file, "correct horse", fast());
    REQUIRE(out.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(out[i].exchange == in[i].exchange);
        CHECK(out[i].api_key == in[i].api_key);
        CHECK(out[i].secret == in[i].secret);
    }
    // Rewriting the same contents gives a different file (new salt and nonce), still readable.
    pc::write_credentials(file, "correct horse", out, fast());
    const std::string second = read_file(file);
    CHECK(second.size() == first.size());
    CHECK(second.substr(16, 28) != first.substr(16, 28));
    CHECK(pc::read_credentials(file, "correct horse", fast()).size() == 3);
    // No temporary is left behind.
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path), std::filesystem::directory_iterator()) == 1);
    // An empty store round-trips too.
    pc::write_credentials(file, "pw", {}, fast());
    CHECK(pc::read_credentials(file, "pw", fast()).empty());
}

TEST_CASE("credential store: wrong password, tampering and permissions are told apart") {
    temp_dir dir;
    const auto file = dir.path / "keys";
    pc::write_credentials(file, "right", {make("binance", "k", "s")}, fast());
    const std::string good = read_file(file);

    CHECK(failure_of(file, "wrong", fast()) == pc::credential_failure::wrong_password);

    // Any single flipped byte, header, ciphertext, tag or trailer: tampered (the SHA-256 trailer).
    for (const std::size_t at : {std::size_t{9}, std::size_t{20}, std::size_t{50}, std::size_t{85}, good.size() - 40, good.size() - 1}) {
        std::string bad = good;
        bad[at] = static_cast<char>(bad[at] ^ 0x01);
        write_file(file, bad);
        ::chmod(file.c_str(), 0600);
        CAPTURE(at);
        CHECK(failure_of(file, "right", fast()) == pc::credential_failure::tampered);
    }
    // A flipped ciphertext byte with the trailer recomputed (a deliberate forger): GCM catches it.
    {
        std::string bad = good.substr(0, good.size() - 32);
        bad[85] = static_cast<char>(bad[85] ^ 0x01);
        bad += pc::sha256(bad);
        write_file(file, bad);
        CHECK(failure_of(file, "right", fast()) == pc::credential_failure::tampered);
    }
    // Truncated, not a store.
    write_file(file, good.substr(0, 60));
    CHECK(failure_of(file, "right", fast()) == pc::credential_failure::tampered);
    write_file(file, "hello, not a store");
    CHECK(failure_of(file, "right", fast()) == pc::credential_failure::not_a_store);

    // Group- or world-readable: refused before anything is read.
    write_file(file, good);
    ::chmod(file.c_str(), 0644);
    try {
        (void)pc::read_credentials(file, "right", fast());
        FAIL("no error");
    } catch (const pc::credential_error& e) {
        CHECK(e.failure() == pc::credential_failure::permissions);
        CHECK(std::string(e.what()).find("permissions 0644") != std::string::npos);
    }
    ::chmod(file.c_str(), 0600);
    CHECK(pc::read_credentials(file, "right", fast()).size() == 1);
    CHECK(failure_of(dir.path / "absent", "right", fast()) == pc::credential_failure::not_found);

    // An iteration count below the accepted minimum (production default 600,000) is refused.
    CHECK(failure_of(file, "right", pc::credential_store_options{}) == pc::credential_failure::tampered);
    // Bad names and an empty password are refused on write.
    CHECK_THROWS_AS(pc::write_credentials(file, "pw", {make("Binance!", "k", "s")}, fast()), pc::credential_error);
    CHECK_THROWS_AS(pc::write_credentials(file, "", {}, fast()), pc::credential_error);
    auto low = fast();
    low.iterations = 999;
    CHECK_THROWS_AS(pc::write_credentials(file, "pw", {}, low), pc::credential_error);
}

TEST_CASE("credential store: the production default (600,000 PBKDF2 iterations) is written and read") {
    temp_dir dir;
    const auto file = dir.path / "keys";
    pc::write_credentials(file, "pw", {make("kraken", "k", "s")});
    const std::string data = read_file(file);
    const auto iterations = pc::store_detail::get_be(data.data() + 12, 4);
    CHECK(iterations == 600'000);
    const auto out = pc::read_credentials(file, "pw");
    REQUIRE(out.size() == 1);
    CHECK(pc::view_of(out[0].secret) == "s");
}

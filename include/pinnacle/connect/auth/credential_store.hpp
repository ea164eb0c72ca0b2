#pragma once
/// @file connect/auth/credential_store.hpp
/// An encrypted file of exchange API credentials (API key + secret per exchange name), sealed
/// with AES-256-GCM under a key derived from a master password by PBKDF2-HMAC-SHA256
/// (600,000 iterations by default, OWASP's 2023 figure for that PRF). POSIX (Linux, macOS).
///
/// File format, version 1 (integers big-endian; offsets in bytes):
///
///     0   8  magic "PNCLKEYS"
///     8   2  format version (1)
///    10   2  KDF id (1 = PBKDF2-HMAC-SHA256)
///    12   4  PBKDF2 iterations (written >= 600,000; read within [min, max] of the options)
///    16  16  salt (RAND_bytes, new on every write)
///    32  12  AES-GCM nonce (RAND_bytes, new on every write)
///    44  32  password verifier
///    76   4  ciphertext length N (at most 16 MiB)
///    80   N  ciphertext (AES-256-GCM; additional authenticated data: bytes 0..79, the header)
///  80+N  16  GCM tag
///  96+N  32  SHA-256 of bytes 0..95+N (an integrity check, not a MAC)
///
/// Keys: M = PBKDF2-HMAC-SHA256(password, salt, iterations, 32 bytes); the encryption key is
/// HMAC-SHA256(M, "pinnacle-keys v1 encryption key") and the verifier key
/// HMAC-SHA256(M, "pinnacle-keys v1 verifier key") (a KDF in counter mode with one block, NIST
/// SP 800-108); the verifier is HMAC-SHA256(verifier key, "pinnacle-keys v1 password verifier").
///
/// Telling a wrong password from a tampered file: GCM alone cannot (a wrong key and a changed
/// byte both fail the tag). So a read checks, in order: the SHA-256 trailer (any accidental or
/// naive change to any byte: "tampered", before any key is derived); the verifier (a mismatch means
/// the password is wrong: "wrong password"); then the GCM tag (a mismatch with the right password
/// means the ciphertext, tag or header was changed: "tampered"). An attacker who recomputes the
/// trailer after changing the salt, iteration count or verifier is reported as a wrong password:
/// without the password nothing can tell those apart, and either way nothing is decrypted. The
/// verifier lets a password guess be checked without the GCM step, but no faster: it still costs
/// the full PBKDF2.
///
/// Plaintext: u32 entry count, then per entry u8 name length, name ([a-z0-9._-], 1..64), u32 API
/// key length, API key, u32 secret length, secret (each at most 64 KiB; at most 1,024 entries).
///
/// Writes go to a temporary file created 0600 in the same directory (mkstemp), are fsync'ed,
/// renamed over the store and the directory fsync'ed. Reads refuse a file that is not a regular
/// file owned by the caller or whose mode grants any group or other permission (as ssh does for
/// private keys). Secrets (password, derived keys, plaintext) live in secret_bytes, wiped when
/// freed; no function here prints or logs, and error messages never hold a secret.
/// Thread-safety: the functions are reentrant; concurrent writers to one file race (last rename wins).

#include "pinnacle/connect/auth/crypto.hpp"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pinnacle {
inline namespace v0 {
namespace connect {

/// PBKDF2-HMAC-SHA256 iterations written by default and the least accepted on read by default.
inline constexpr std::uint32_t credential_store_min_iterations = 600'000;

/// What went wrong with a credential store; pinnacle_keys maps each to its own message.
enum class credential_failure : std::uint8_t {
    io,                ///< the file or its directory could not be read or written
    not_found,         ///< no file at the path
    permissions,       ///< not a regular file of ours, or readable/writable by group or others
    not_a_store,       ///< no "PNCLKEYS" magic: some other file
    unsupported,       ///< a format version or KDF this build does not know
    tampered,          ///< integrity check or GCM tag failed, or the structure is inconsistent
    wrong_password,    ///< the password verifier does not match
    invalid_argument,  ///< a bad exchange name, an oversized entry, bad options
};

/// A credential store failure: `failure` says which kind, `what()` says what and where (the path;
/// never a secret).
class credential_error : public auth_error {
public:
    /// An error of kind `f` with message `what`.
    credential_error(credential_failure f, const std::string& what) : auth_error(what), failure_(f) {}
    /// Which kind of failure.
    [[nodiscard]] credential_failure failure() const noexcept { return failure_; }

private:
    credential_failure failure_;
};

/// One exchange's credentials. `api_key` and `secret` are secrets (wiped when freed).
struct credential {
    std::string exchange;  ///< name, [a-z0-9._-], 1..64 characters (e.g. "binance")
    secret_bytes api_key;  ///< the API key (Coinbase: the key name)
    secret_bytes secret;   ///< the API secret (Kraken: base64; Coinbase: the EC private key PEM)
};

/// Tunables. The defaults are the production values; lower iteration counts exist only so unit
/// tests can run many round trips quickly (pinnacle_keys always uses the defaults).
struct credential_store_options {
    std::uint32_t iterations = credential_store_min_iterations;      ///< PBKDF2 iterations written
    std::uint32_t min_iterations = credential_store_min_iterations;  ///< least accepted on read
    std::uint32_t max_iterations = 10'000'000;  ///< most accepted on read (bounds the work a forged header can ask for)
    bool check_permissions = true;              ///< refuse files with group/other permissions on read
};

/// True when `name` is a valid exchange name: 1..64 characters of [a-z0-9._-].
[[nodiscard]] inline bool valid_exchange_name(std::string_view name) noexcept {
    if (name.empty() || name.size() > 64) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
}

namespace store_detail {

inline constexpr char magic[8] = {'P', 'N', 'C', 'L', 'K', 'E', 'Y', 'S'};
inline constexpr std::uint16_t version = 1;
inline constexpr std::uint16_t kdf_pbkdf2_sha256 = 1;
inline constexpr std::size_t salt_size = 16;
inline constexpr std::size_t nonce_size = 12;
inline constexpr std::size_t verifier_size = 32;
inline constexpr std::size_t header_size = 8 + 2 + 2 + 4 + salt_size + nonce_size + verifier_size + 4;  // 80
inline constexpr std::size_t tag_size = 16;
inline constexpr std::size_t trailer_size = 32;
inline constexpr std::size_t max_ciphertext = std::size_t{16} << 20;
inline constexpr std::size_t max_entries = 1024;
inline constexpr std::size_t max_field = std::size_t{64} << 10;

/// Appends `v` big-endian in `n` bytes.
template <class Buf>
inline void put_be(Buf& out, std::uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
/// Reads `n` bytes big-endian at `p`.
[[nodiscard]] inline std::uint64_t get_be(const char* p, int n) noexcept {
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}

/// The encryption and verifier keys of a password (one PBKDF2 run, then two HMACs).
struct derived_keys {
    secret_bytes encryption;  ///< AES-256 key, 32 bytes
    secret_bytes verifier;    ///< the stored verifier value, 32 bytes
};

/// Derives both keys. Throws credential_error(io) when OpenSSL fails.
[[nodiscard]] inline derived_keys derive(std::string_view password, const char* salt, std::uint32_t iterations) {
    secret_bytes master(32);
    if (PKCS5_PBKDF2_HMAC(password.data(), auth_detail::int_size(password.size(), "password"), auth_detail::bytes(salt),
                          static_cast<int>(salt_size), static_cast<int>(iterations), EVP_sha256(), 32,
                          auth_detail::bytes(master.data())) != 1)
        throw credential_error(credential_failure::io, "PBKDF2 failed: " + auth_detail::openssl_error());
    derived_keys k;
    k.encryption = hmac(EVP_sha256(), view_of(master), "pinnacle-keys v1 encryption key");
    const secret_bytes vkey = hmac(EVP_sha256(), view_of(master), "pinnacle-keys v1 verifier key");
    k.verifier = hmac(EVP_sha256(), view_of(vkey), "pinnacle-keys v1 password verifier");
    return k;
}

/// Owning EVP_CIPHER_CTX.
struct cipher_ctx {
    EVP_CIPHER_CTX* p = EVP_CIPHER_CTX_new();
    cipher_ctx() = default;
    cipher_ctx(const cipher_ctx&) = delete;
    cipher_ctx& operator=(const cipher_ctx&) = delete;
    ~cipher_ctx() { EVP_CIPHER_CTX_free(p); }
};

/// The plaintext serialisation of `entries` (format in the file comment). Throws credential_error.
[[nodiscard]] inline secret_bytes serialise(const std::vector<credential>& entries) {
    if (entries.size() > max_entries)
        throw credential_error(credential_failure::invalid_argument, "more than " + std::to_string(max_entries) + " credentials");
    secret_bytes out;
    put_be(out, entries.size(), 4);
    for (const credential& c : entries) {
        if (!valid_exchange_name(c.exchange))
            throw credential_error(credential_failure::invalid_argument,
                                   "exchange name '" + c.exchange + "' must be 1..64 characters of a-z 0-9 . _ -");
        if (c.api_key.size() > max_field || c.secret.size() > max_field)
            throw credential_error(credential_failure::invalid_argument,
                                   c.exchange + ": API key or secret longer than " + std::to_string(max_field) + " bytes");
        put_be(out, c.exchange.size(), 1);
        out.insert(out.end(), c.exchange.begin(), c.exchange.end());
        put_be(out, c.api_key.size(), 4);
        out.insert(out.end(), c.api_key.begin(), c.api_key.end());
        put_be(out, c.secret.size(), 4);
        out.insert(out.end(), c.secret.begin(), c.secret.end());
    }
    return out;
}

/// Parses a decrypted plaintext; an inconsistency means the file was forged with the right key.
[[nodiscard]] inline std::vector<credential> parse(const secret_bytes& plain, const std::string& where) {
    std::size_t at = 0;
    const auto need = [&](std::size_t n) {
        if (plain.size() - at < n)
            throw credential_error(credential_failure::tampered, where + ": decrypted contents end early at byte " + std::to_string(at));
    };
    need(4);
    const std::uint64_t count = get_be(plain.data(), 4);
    at = 4;
    if (count > max_entries) throw credential_error(credential_failure::tampered, where + ": decrypted contents claim " + std::to_string(count) + " entries");
    std::vector<credential> out;
    out.reserve(static_cast<std::size_t>(count));
    for (std::uint64_t i = 0; i < count; ++i) {
        credential c;
        need(1);
        const auto nlen = static_cast<std::size_t>(get_be(plain.data() + at, 1));
        at += 1;
        need(nlen);
        c.exchange.assign(plain.data() + at, nlen);
        at += nlen;
        if (!valid_exchange_name(c.exchange)) throw credential_error(credential_failure::tampered, where + ": entry " + std::to_string(i + 1) + " has an invalid name");
        for (secret_bytes* field : {&c.api_key, &c.secret}) {
            need(4);
            const auto len = static_cast<std::size_t>(get_be(plain.data() + at, 4));
            at += 4;
            if (len > max_field) throw credential_error(credential_failure::tampered, where + ": entry " + c.exchange + " has an oversized field");
            need(len);
            field->assign(plain.data() + at, plain.data() + at + len);
            at += len;
        }
        out.push_back(std::move(c));
    }
    if (at != plain.size()) throw credential_error(credential_failure::tampered, where + ": trailing bytes after the last entry");
    return out;
}

/// Writes all of `data` to `fd`; false on error (errno set).
[[nodiscard]] inline bool write_all(int fd, const char* data, std::size_t n) noexcept {
    while (n > 0) {
        const ssize_t w = ::write(fd, data, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

/// The system's text for errno `e`.
[[nodiscard]] inline std::string errno_text(int e) { return std::strerror(e); }

} // namespace store_detail

/// Reads and decrypts the store at `path` with `password`. Throws credential_error: not_found,
/// permissions (group/other bits set, not a regular file, not ours), io, not_a_store, unsupported,
/// tampered (integrity check, GCM tag or structure), wrong_password (verifier mismatch).
[[nodiscard]] inline std::vector<credential> read_credentials(const std::filesystem::path& path, std::string_view password,
                                                              const credential_store_options& options = {}) {
    using namespace store_detail;
    const std::string where = path.string();
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        const int e = errno;
        if (e == ENOENT) throw credential_error(credential_failure::not_found, where + ": no credential store here (create one with init)");
        if (e == ELOOP) throw credential_error(credential_failure::permissions, where + ": is a symbolic link; refusing to follow it");
        throw credential_error(credential_failure::io, where + ": cannot open: " + errno_text(e));
    }
    struct closer {
        int fd;
        ~closer() { ::close(fd); }
    } close_fd{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw credential_error(credential_failure::io, where + ": cannot stat: " + errno_text(errno));
    if (!S_ISREG(st.st_mode)) throw credential_error(credential_failure::permissions, where + ": not a regular file");
    if (options.check_permissions) {
        if (st.st_uid != ::geteuid()) throw credential_error(credential_failure::permissions, where + ": owned by another user");
        if ((st.st_mode & 077) != 0) {
            char mode[8];
            std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
            throw credential_error(credential_failure::permissions,
                                   where + ": permissions " + mode + " let other users read or change it; run chmod 600 on it");
        }
    }
    const auto max_file = header_size + max_ciphertext + tag_size + trailer_size;
    if (st.st_size < 0 || static_cast<std::uint64_t>(st.st_size) > max_file)
        throw credential_error(credential_failure::tampered, where + ": " + std::to_string(st.st_size) + " bytes is larger than any credential store");
    std::string file(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t got = 0;
    while (got < file.size()) {
        const ssize_t r = ::read(fd, file.data() + got, file.size() - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) throw credential_error(credential_failure::io, where + ": read failed: " + errno_text(errno));
        if (r == 0) break;
        got += static_cast<std::size_t>(r);
    }
    file.resize(got);

    if (file.size() < sizeof magic || std::memcmp(file.data(), magic, sizeof magic) != 0)
        throw credential_error(credential_failure::not_a_store, where + ": not a pinnacle credential store (no PNCLKEYS magic)");
    if (file.size() < header_size + tag_size + trailer_size)
        throw credential_error(credential_failure::tampered, where + ": truncated (" + std::to_string(file.size()) + " bytes)");
    const std::size_t body = file.size() - trailer_size;
    const std::string digest = sha256(std::string_view(file).substr(0, body));
    if (CRYPTO_memcmp(digest.data(), file.data() + body, trailer_size) != 0)
        throw credential_error(credential_failure::tampered,
                               where + ": integrity check failed: the file was corrupted or tampered with (SHA-256 trailer mismatch)");
    const auto ver = static_cast<std::uint16_t>(get_be(file.data() + 8, 2));
    const auto kdf = static_cast<std::uint16_t>(get_be(file.data() + 10, 2));
    if (ver != version) throw credential_error(credential_failure::unsupported, where + ": format version " + std::to_string(ver) + " is not supported (this build reads 1)");
    if (kdf != kdf_pbkdf2_sha256) throw credential_error(credential_failure::unsupported, where + ": KDF id " + std::to_string(kdf) + " is not supported");
    const auto iterations = static_cast<std::uint32_t>(get_be(file.data() + 12, 4));
    if (iterations < options.min_iterations || iterations > options.max_iterations)
        throw credential_error(credential_failure::tampered, where + ": PBKDF2 iteration count " + std::to_string(iterations) + " is outside [" +
                                                                 std::to_string(options.min_iterations) + ", " + std::to_string(options.max_iterations) + "] (forged or tampered header)");
    const char* salt = file.data() + 16;
    const char* nonce = salt + salt_size;
    const char* verifier = nonce + nonce_size;
    const auto ct_len = static_cast<std::size_t>(get_be(verifier + verifier_size, 4));
    if (ct_len != body - header_size - tag_size)
        throw credential_error(credential_failure::tampered, where + ": ciphertext length field does not match the file size");

    const derived_keys keys = derive(password, salt, iterations);
    if (CRYPTO_memcmp(keys.verifier.data(), verifier, verifier_size) != 0)
        throw credential_error(credential_failure::wrong_password, where + ": wrong password (the password verifier does not match)");

    cipher_ctx ctx;
    secret_bytes plain(ct_len + 16);
    int len = 0;
    int total = 0;
    const char* ct = file.data() + header_size;
    std::string tag(file.data() + header_size + ct_len, tag_size);
    const bool ok = ctx.p != nullptr &&
                    EVP_DecryptInit_ex(ctx.p, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
                    EVP_CIPHER_CTX_ctrl(ctx.p, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce_size), nullptr) == 1 &&
                    EVP_DecryptInit_ex(ctx.p, nullptr, nullptr, auth_detail::bytes(keys.encryption.data()), auth_detail::bytes(nonce)) == 1 &&
                    EVP_DecryptUpdate(ctx.p, nullptr, &len, auth_detail::bytes(file.data()), static_cast<int>(header_size)) == 1 &&
                    EVP_DecryptUpdate(ctx.p, auth_detail::bytes(plain.data()), &len, auth_detail::bytes(ct), static_cast<int>(ct_len)) == 1 &&
                    (total = len, EVP_CIPHER_CTX_ctrl(ctx.p, EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_size), tag.data()) == 1) &&
                    EVP_DecryptFinal_ex(ctx.p, auth_detail::bytes(plain.data()) + total, &len) == 1;
    ERR_clear_error();
    if (!ok)
        throw credential_error(credential_failure::tampered,
                               where + ": authentication failed with the right password: the header, ciphertext or tag was tampered with");
    plain.resize(static_cast<std::size_t>(total + len));
    return parse(plain, where);
}

/// Encrypts `entries` with `password` (fresh salt and nonce) and replaces the store at `path`
/// atomically: a 0600 temporary in the same directory, fsync, rename, fsync of the directory.
/// The directory must exist. Throws credential_error: invalid_argument (names, sizes, an empty
/// password, iterations below options.min_iterations), io.
inline void write_credentials(const std::filesystem::path& path, std::string_view password, const std::vector<credential>& entries,
                              const credential_store_options& options = {}) {
    using namespace store_detail;
    const std::string where = path.string();
    if (password.empty()) throw credential_error(credential_failure::invalid_argument, "the master password must not be empty");
    if (options.iterations < options.min_iterations || options.iterations > options.max_iterations)
        throw credential_error(credential_failure::invalid_argument, "PBKDF2 iterations " + std::to_string(options.iterations) + " outside [" +
                                                                         std::to_string(options.min_iterations) + ", " + std::to_string(options.max_iterations) + "]");
    const secret_bytes plain = serialise(entries);
    if (plain.size() > max_ciphertext) throw credential_error(credential_failure::invalid_argument, "credentials exceed 16 MiB");

    unsigned char salt[salt_size];
    unsigned char nonce[nonce_size];
    if (RAND_bytes(salt, sizeof salt) != 1 || RAND_bytes(nonce, sizeof nonce) != 1)
        throw credential_error(credential_failure::io, "RAND_bytes failed: " + auth_detail::openssl_error());
    const derived_keys keys = derive(password, reinterpret_cast<const char*>(salt), options.iterations);

    std::string file;
    file.reserve(header_size + plain.size() + tag_size + trailer_size);
    file.append(magic, sizeof magic);
    put_be(file, version, 2);
    put_be(file, kdf_pbkdf2_sha256, 2);
    put_be(file, options.iterations, 4);
    file.append(reinterpret_cast<const char*>(salt), salt_size);
    file.append(reinterpret_cast<const char*>(nonce), nonce_size);
    file.append(keys.verifier.data(), verifier_size);
    put_be(file, plain.size(), 4);
    file.resize(header_size + plain.size() + tag_size);

    cipher_ctx ctx;
    int len = 0;
    int total = 0;
    auto* out = auth_detail::bytes(file.data() + header_size);
    const bool ok = ctx.p != nullptr &&
                    EVP_EncryptInit_ex(ctx.p, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
                    EVP_CIPHER_CTX_ctrl(ctx.p, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce_size), nullptr) == 1 &&
                    EVP_EncryptInit_ex(ctx.p, nullptr, nullptr, auth_detail::bytes(keys.encryption.data()), nonce) == 1 &&
                    EVP_EncryptUpdate(ctx.p, nullptr, &len, auth_detail::bytes(file.data()), static_cast<int>(header_size)) == 1 &&
                    EVP_EncryptUpdate(ctx.p, out, &len, auth_detail::bytes(plain.data()), static_cast<int>(plain.size())) == 1 &&
                    (total = len, EVP_EncryptFinal_ex(ctx.p, out + total, &len) == 1) &&
                    static_cast<std::size_t>(total + len) == plain.size() &&
                    EVP_CIPHER_CTX_ctrl(ctx.p, EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_size), file.data() + header_size + plain.size()) == 1;
    if (!ok) throw credential_error(credential_failure::io, "AES-256-GCM encryption failed: " + auth_detail::openssl_error());
    file += sha256(file);

    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::string tmpl = (dir / (path.filename().string() + ".tmpXXXXXX")).string();
    const int fd = ::mkstemp(tmpl.data());  // mode 0600
    if (fd < 0) throw credential_error(credential_failure::io, where + ": cannot create a temporary file beside it: " + errno_text(errno));
    const auto fail = [&](const char* step) {
        const int e = errno;
        ::close(fd);
        ::unlink(tmpl.c_str());
        throw credential_error(credential_failure::io, where + ": " + step + " failed: " + errno_text(e));
    };
    if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0) fail("chmod 600 of the temporary");
    if (!write_all(fd, file.data(), file.size())) fail("writing the temporary");
    if (::fsync(fd) != 0) fail("fsync of the temporary");
    if (::close(fd) != 0) {
        const int e = errno;
        ::unlink(tmpl.c_str());
        throw credential_error(credential_failure::io, where + ": closing the temporary failed: " + errno_text(e));
    }
    if (::rename(tmpl.c_str(), path.c_str()) != 0) {
        const int e = errno;
        ::unlink(tmpl.c_str());
        throw credential_error(credential_failure::io, where + ": rename over the store failed: " + errno_text(e));
    }
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)::fsync(dfd);  // best effort: the rename is durable once the directory is synced
        ::close(dfd);
    }
}

} // namespace connect
} // namespace v0
} // namespace pinnacle

// pinnacle_keys: manages the encrypted exchange credential store (pinnacle/connect/auth/credential_store.hpp).
//
//   pinnacle_keys [--store FILE] [--password-fd N] [--secret-fd N] init | add EXCHANGE | list | remove EXCHANGE | rotate-password
//
// The master password, API key and API secret are read from the terminal without echo, or from
// file descriptors for automation: --password-fd N gives the password as one line (rotate-password:
// the old password on the first line, the new one on the second), --secret-fd N gives the API key
// on the first line and the secret as the rest up to end of file (a multi-line PEM key fits). One
// descriptor may serve both: the password lines come first. The store defaults to
// $XDG_CONFIG_HOME/pinnacle/keys, else ~/.config/pinnacle/keys. Nothing secret is ever printed:
// `list` prints exchange names only. Exit 0 on success, 2 on any error (usage, wrong password,
// tampered file, permissions, I/O), with the reason on stderr.

#include "pinnacle/connect/auth/credential_store.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

namespace pc = pinnacle::connect;

namespace {

constexpr std::size_t max_password = 1024;
constexpr std::size_t max_key = 4096;
constexpr std::size_t max_secret = 64 * 1024;

/// A usage or input error: printed as "pinnacle_keys: <what>", exit 2.
struct cli_error {
    std::string what;
};

void usage(std::FILE* to) {
    std::fputs("usage: pinnacle_keys [--store FILE] [--password-fd N] [--secret-fd N] COMMAND\n"
               "commands:\n"
               "  init               create an empty store protected by a new master password\n"
               "  add EXCHANGE       store an API key and secret for EXCHANGE (a-z 0-9 . _ -)\n"
               "  list               print the exchanges that have credentials (names only)\n"
               "  remove EXCHANGE    delete EXCHANGE's credentials\n"
               "  rotate-password    re-encrypt the store under a new master password\n"
               "options:\n"
               "  --store FILE       the store (default $XDG_CONFIG_HOME/pinnacle/keys or ~/.config/pinnacle/keys)\n"
               "  --password-fd N    read the password line(s) from descriptor N instead of the terminal\n"
               "  --secret-fd N      read the API key (first line) and secret (rest) from descriptor N\n",
               to);
}

/// Reads one byte; false at end of file. Throws cli_error on a read error.
bool read_byte(int fd, char& c, const char* what) {
    for (;;) {
        const ssize_t r = ::read(fd, &c, 1);
        if (r == 1) return true;
        if (r == 0) return false;
        if (errno != EINTR) throw cli_error{std::string("cannot read the ") + what + ": " + std::strerror(errno)};
    }
}

/// One line from `fd` (byte by byte, so the rest stays for the next reader), without its "\n"
/// or "\r\n". Throws cli_error when nothing is there or the line is longer than `max`.
pc::secret_bytes read_line(int fd, std::size_t max, const char* what) {
    pc::secret_bytes line;
    char c = 0;
    bool any = false;
    while (read_byte(fd, c, what)) {
        any = true;
        if (c == '\n') break;
        if (line.size() == max) throw cli_error{std::string("the ") + what + " is longer than " + std::to_string(max) + " bytes"};
        line.push_back(c);
    }
    if (!any) throw cli_error{std::string("no ") + what + " to read (end of input)"};
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

/// Everything left on `fd`, without one final newline. Throws cli_error past `max` bytes.
pc::secret_bytes read_rest(int fd, std::size_t max, const char* what) {
    pc::secret_bytes data;
    char c = 0;
    while (read_byte(fd, c, what)) {
        if (data.size() == max) throw cli_error{std::string("the ") + what + " is longer than " + std::to_string(max) + " bytes"};
        data.push_back(c);
    }
    if (!data.empty() && data.back() == '\n') data.pop_back();
    if (!data.empty() && data.back() == '\r') data.pop_back();
    return data;
}

/// The controlling terminal, for prompts without echo.
class terminal {
public:
    terminal() : fd_(::open("/dev/tty", O_RDWR | O_CLOEXEC)) {
        if (fd_ < 0) throw cli_error{"no terminal to ask on: pass --password-fd N (and --secret-fd N for add)"};
    }
    terminal(const terminal&) = delete;
    terminal& operator=(const terminal&) = delete;
    ~terminal() { ::close(fd_); }

    /// Prints `prompt`, reads a line with echo off (restored afterwards, even on error).
    pc::secret_bytes ask(const char* prompt, std::size_t max, const char* what) {
        (void)!::write(fd_, prompt, std::strlen(prompt));
        termios saved{};
        const bool tty = ::tcgetattr(fd_, &saved) == 0;
        if (tty) {
            termios quiet = saved;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            quiet.c_lflag |= ECHONL;
            ::tcsetattr(fd_, TCSAFLUSH, &quiet);
        }
        struct restore {
            int fd;
            bool tty;
            termios& saved;
            ~restore() {
                if (tty) ::tcsetattr(fd, TCSAFLUSH, &saved);
            }
        } r{fd_, tty, saved};
        return read_line(fd_, max, what);
    }

private:
    int fd_;
};

/// Where the credentials come from: descriptors, else the terminal (opened on first use).
struct inputs {
    int password_fd = -1;
    int secret_fd = -1;
    std::unique_ptr<terminal> tty;

    terminal& term() {
        if (!tty) tty = std::make_unique<terminal>();
        return *tty;
    }
    /// The current master password.
    pc::secret_bytes password(const char* prompt) {
        if (password_fd >= 0) return read_line(password_fd, max_password, "password");
        return term().ask(prompt, max_password, "password");
    }
    /// A new master password: asked twice on a terminal; must not be empty.
    pc::secret_bytes new_password() {
        pc::secret_bytes pw;
        if (password_fd >= 0) {
            pw = read_line(password_fd, max_password, "new password");
        } else {
            pw = term().ask("New master password: ", max_password, "new password");
            const pc::secret_bytes again = term().ask("Repeat the new master password: ", max_password, "new password");
            if (again != pw) throw cli_error{"the two new passwords differ; nothing changed"};
        }
        if (pw.empty()) throw cli_error{"the master password must not be empty"};
        return pw;
    }
    /// The API key and secret for `exchange`.
    void api_credentials(const std::string& exchange, pc::credential& c) {
        if (secret_fd >= 0) {
            c.api_key = read_line(secret_fd, max_key, "API key");
            c.secret = read_rest(secret_fd, max_secret, "API secret");
        } else {
            c.api_key = term().ask(("API key for " + exchange + ": ").c_str(), max_key, "API key");
            c.secret = term().ask(("API secret for " + exchange + ": ").c_str(), max_secret, "API secret");
        }
        if (c.api_key.empty() || c.secret.empty()) throw cli_error{"the API key and the secret must not be empty"};
    }
};

std::filesystem::path default_store() {
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg == '/') return std::filesystem::path(xdg) / "pinnacle" / "keys";
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home != '/') throw cli_error{"neither XDG_CONFIG_HOME nor HOME is set to an absolute path: pass --store FILE"};
    return std::filesystem::path(home) / ".config" / "pinnacle" / "keys";
}

/// Creates the store's directory (0700) when missing.
void ensure_directory(const std::filesystem::path& store) {
    const std::filesystem::path dir = store.parent_path();
    if (dir.empty()) return;
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec)) return;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw cli_error{dir.string() + ": cannot create the directory: " + ec.message()};
    ::chmod(dir.c_str(), S_IRWXU);
}

int parse_fd(const char* flag, const char* v) {
    char* end = nullptr;
    errno = 0;
    const long n = std::strtol(v, &end, 10);
    if (end == v || *end != '\0' || errno != 0 || n < 0 || n > 1'000'000) throw cli_error{std::string(flag) + " needs a file descriptor number, got '" + v + "'"};
    if (::fcntl(static_cast<int>(n), F_GETFD) < 0) throw cli_error{std::string(flag) + ": descriptor " + v + " is not open"};
    return static_cast<int>(n);
}

int run(int argc, char** argv) {
    std::filesystem::path store;
    inputs in;
    std::vector<std::string> words;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        const auto value = [&](const char* flag) -> const char* {
            if (i + 1 >= argc) throw cli_error{std::string(flag) + " needs a value"};
            return argv[++i];
        };
        if (a == "--help" || a == "-h") {
            usage(stdout);
            return 0;
        } else if (a == "--store") {
            store = value("--store");
        } else if (a == "--password-fd") {
            in.password_fd = parse_fd("--password-fd", value("--password-fd"));
        } else if (a == "--secret-fd") {
            in.secret_fd = parse_fd("--secret-fd", value("--secret-fd"));
        } else if (a.size() > 1 && a[0] == '-') {
            throw cli_error{"unknown option " + std::string(a)};
        } else {
            words.emplace_back(a);
        }
    }
    if (words.empty()) throw cli_error{"no command (init, add, list, remove, rotate-password)"};
    const std::string& cmd = words[0];
    const bool takes_exchange = cmd == "add" || cmd == "remove";
    if (cmd != "init" && cmd != "list" && cmd != "rotate-password" && !takes_exchange) throw cli_error{"unknown command '" + cmd + "'"};
    if (words.size() != (takes_exchange ? 2U : 1U))
        throw cli_error{cmd + (takes_exchange ? " takes one EXCHANGE argument" : " takes no argument")};
    std::string exchange;
    if (takes_exchange) {
        exchange = words[1];
        if (!pc::valid_exchange_name(exchange)) throw cli_error{"exchange name '" + exchange + "' must be 1..64 characters of a-z 0-9 . _ -"};
    }
    if (store.empty()) store = default_store();

    if (cmd == "init") {
        std::error_code ec;
        if (std::filesystem::exists(std::filesystem::symlink_status(store, ec)))
            throw cli_error{store.string() + ": already exists; nothing changed (use rotate-password to change its password)"};
        const pc::secret_bytes pw = in.new_password();
        ensure_directory(store);
        pc::write_credentials(store, pc::view_of(pw), {});
        std::printf("created an empty credential store at %s\n", store.c_str());
        return 0;
    }
    const pc::secret_bytes pw = in.password("Master password: ");
    std::vector<pc::credential> entries = pc::read_credentials(store, pc::view_of(pw));
    const auto it = std::find_if(entries.begin(), entries.end(), [&](const pc::credential& c) { return c.exchange == exchange; });
    if (cmd == "list") {
        for (const pc::credential& c : entries) std::printf("%s\n", c.exchange.c_str());
        return 0;
    }
    if (cmd == "add") {
        if (it != entries.end()) throw cli_error{exchange + " already has credentials; remove it first to replace them"};
        pc::credential c;
        c.exchange = exchange;
        in.api_credentials(exchange, c);
        entries.push_back(std::move(c));
        std::sort(entries.begin(), entries.end(), [](const pc::credential& a, const pc::credential& b) { return a.exchange < b.exchange; });
        pc::write_credentials(store, pc::view_of(pw), entries);
        std::printf("added credentials for %s\n", exchange.c_str());
        return 0;
    }
    if (cmd == "remove") {
        if (it == entries.end()) throw cli_error{"no credentials for " + exchange + " in " + store.string()};
        entries.erase(it);
        pc::write_credentials(store, pc::view_of(pw), entries);
        std::printf("removed credentials for %s\n", exchange.c_str());
        return 0;
    }
    // rotate-password
    const pc::secret_bytes fresh = in.new_password();
    pc::write_credentials(store, pc::view_of(fresh), entries);
    std::printf("re-encrypted %s under the new password\n", store.c_str());
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    // No core dump could hold a secret.
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    try {
        return run(argc, argv);
    } catch (const cli_error& e) {
        std::fprintf(stderr, "pinnacle_keys: %s\n", e.what.c_str());
        if (e.what.find("command") != std::string::npos || e.what.find("option") != std::string::npos) usage(stderr);
        return 2;
    } catch (const pc::credential_error& e) {
        const char* label = "";
        switch (e.failure()) {
        case pc::credential_failure::tampered: label = "tampered or corrupted store: "; break;
        case pc::credential_failure::permissions: label = "unsafe permissions: "; break;
        default: break;
        }
        std::fprintf(stderr, "pinnacle_keys: %s%s\n", label, e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "pinnacle_keys: %s\n", e.what());
        return 2;
    }
}

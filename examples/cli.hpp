#pragma once
// Command-line parsing shared by the example programs: every bad value is a bad_flag naming the
// flag and what it needed; the programs print it with their usage and exit 2.

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>

namespace pinnacle_examples {

/// A flag or value the program cannot use; `what` says which and why.
struct bad_flag {
    std::string what;
};

/// A finite number, or bad_flag.
inline double parse_double(std::string_view flag, const char* v) {
    char* end = nullptr;
    errno = 0;
    const double d = std::strtod(v, &end);
    if (end == v || *end != '\0' || errno != 0 || !std::isfinite(d))
        throw bad_flag{std::string(flag) + " needs a number, got '" + v + "'"};
    return d;
}

/// A whole number in [lo, hi], or bad_flag.
inline long long parse_int(std::string_view flag, const char* v, long long lo, long long hi) {
    char* end = nullptr;
    errno = 0;
    const long long n = std::strtoll(v, &end, 10);
    if (end == v || *end != '\0' || errno != 0 || n < lo || n > hi)
        throw bad_flag{std::string(flag) + " needs a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                       ", got '" + v + "'"};
    return n;
}

/// An unsigned whole number in [lo, hi] with no sign (strtoull would wrap "-1"), or bad_flag.
inline unsigned long long parse_unsigned(std::string_view flag, const char* v, unsigned long long lo, unsigned long long hi) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long n = std::strtoull(v, &end, 10);
    if (*v < '0' || *v > '9' || end == v || *end != '\0' || errno != 0 || n < lo || n > hi)
        throw bad_flag{std::string(flag) + " needs a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                       ", got '" + v + "'"};
    return n;
}

} // namespace pinnacle_examples

#pragma once
/// @file
/// Repeating groups of a parsed message (FIX 4.4 Vol. 1 "Repeating Groups"): the fields after a
/// NumInGroup field form `count` instances, each starting with the group's delimiter field; an
/// instance may hold nested groups. group_reader walks the instances of one group as spans of
/// the parsed fields (zero copy), using the dictionary to know where an instance ends.
/// Standard library only; no allocation.

#include "pinnacle/connect/fix/codec.hpp"
#include "pinnacle/connect/fix/validate.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

namespace pinnacle::inline v0::fix {

namespace detail {

/// The group opened by `count_tag` directly in section `s`, or nullptr.
constexpr const group_def* find_group(const dictionary& d, const section_def& s, std::uint32_t count_tag) noexcept {
    for (const group_def& g : d.groups.subspan(s.groups_begin, s.groups_count)) {
        if (g.count_tag == count_tag) return &g;
    }
    return nullptr;
}

/// Index just past the instance of section `s` that starts at `i` (a second `delimiter`, or the
/// first field that is neither a member nor inside a nested group, ends it).
constexpr std::size_t skip_instance(const dictionary& d, const section_def& s, std::uint32_t delimiter,
                                    std::span<const field> f, std::size_t i) noexcept {
    bool first = true;
    while (i < f.size() && s.members.contains(f[i].tag) && (first || f[i].tag != delimiter)) {
        first = false;
        const group_def* g = find_group(d, s, f[i].tag);
        ++i;
        if (g == nullptr) continue;
        while (i < f.size() && f[i].tag == g->delimiter) i = skip_instance(d, d.sections[g->section], g->delimiter, f, i);
    }
    return i;
}

} // namespace detail

/// The instances of one repeating group. Construct it over a message validated against `d` (or
/// over an instance of an enclosing group, with that group's section), then call next() until it
/// returns false. Bounds: at most the parsed fields. Thread-safety: one thread.
class group_reader {
public:
    /// Reads the group opened by `count_tag` in the body of message `m` held in `f`; count() is 0
    /// when the message has no such group or does not carry the field.
    constexpr group_reader(const dictionary& d, const message_def& m, std::span<const field> f, std::uint32_t count_tag) noexcept
        : group_reader(d, d.sections[m.body], f, count_tag) {}

    /// Reads the group opened by `count_tag` inside section `parent` (e.g. a nested group inside
    /// an instance span returned by next(); pass that group's section, d.sections[g.section]).
    constexpr group_reader(const dictionary& d, const section_def& parent, std::span<const field> f, std::uint32_t count_tag) noexcept
        : d_(d), f_(f), group_(detail::find_group(d, parent, count_tag)) {
        if (group_ == nullptr) return;
        for (std::size_t i = 0; i < f.size(); ++i) {
            if (f[i].tag != count_tag) continue;
            for (char c : f[i].value) {
                if (c < '0' || c > '9' || count_ > f.size()) {
                    count_ = 0;
                    return;
                }
                count_ = count_ * 10 + static_cast<std::size_t>(c - '0');
            }
            pos_ = i + 1;
            return;
        }
    }

    /// NumInGroup as carried by the message (0 when absent or not a number below the field count).
    [[nodiscard]] constexpr std::size_t count() const noexcept { return count_; }

    /// The group's definition (nullptr when `count_tag` opens no group there).
    [[nodiscard]] constexpr const group_def* definition() const noexcept { return group_; }

    /// The next instance's fields (delimiter first, nested groups included); false after the last
    /// instance or when the fields do not start with the delimiter (an invalid message).
    constexpr bool next(std::span<const field>& instance) noexcept {
        if (group_ == nullptr || done_ >= count_ || pos_ >= f_.size() || f_[pos_].tag != group_->delimiter) return false;
        const std::size_t end = detail::skip_instance(d_, d_.sections[group_->section], group_->delimiter, f_, pos_);
        instance = f_.subspan(pos_, end - pos_);
        pos_ = end;
        ++done_;
        return true;
    }

private:
    const dictionary& d_;
    std::span<const field> f_;
    const group_def* group_;
    std::size_t count_ = 0;
    std::size_t pos_ = 0;
    std::size_t done_ = 0;
};

} // namespace pinnacle::inline v0::fix

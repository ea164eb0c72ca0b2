// Repeating groups read instance by instance, nested groups included.
#include "fix_test_util.hpp"
#include "pinnacle/connect/fix/fix44.hpp"
#include "pinnacle/connect/fix/groups.hpp"

#include <doctest/doctest.h>

#include <array>
#include <string>

using namespace pinnacle::fix;

TEST_CASE("group_reader walks the Parties of a NewOrderSingle, nested PartySubIDs included") {
    const std::string m = fix_test::frame(fix_test::hdr("D") +
                                          "11=o|453=3|448=BRKR|447=D|452=1|802=2|523=a|803=1|523=b|803=2|448=DESK|452=3|"
                                          "448=TRDR|452=11|55=AAPL|54=1|60=20240507-21:35:38.774|38=100|40=2|");
    std::array<field, 64> fields{};
    const parse_result r = fix44::parse(m, fields);
    REQUIRE(r.ok());
    const std::span<const field> f(fields.data(), r.field_count);
    REQUIRE(fix44::validate(f).ok());
    const message_def& nos = *fix44::dict.find_message("D");

    group_reader parties(fix44::dict, nos, f, fix44::tag::NoPartyIDs);
    CHECK(parties.count() == 3);
    std::span<const field> inst;
    REQUIRE(parties.next(inst));
    REQUIRE(inst.size() == 8);
    CHECK(inst[0].value == "BRKR");
    CHECK(inst.back().value == "2");  // the last PartySubIDType of the nested group
    {
        const section_def& party = fix44::dict.sections[parties.definition()->section];
        group_reader subs(fix44::dict, party, inst, fix44::tag::NoPartySubIDs);
        CHECK(subs.count() == 2);
        std::span<const field> sub;
        REQUIRE(subs.next(sub));
        CHECK(sub.size() == 2);
        CHECK(sub[0].value == "a");
        REQUIRE(subs.next(sub));
        CHECK(sub[0].value == "b");
        CHECK_FALSE(subs.next(sub));
    }
    REQUIRE(parties.next(inst));
    CHECK(inst.size() == 2);
    CHECK(inst[0].value == "DESK");
    REQUIRE(parties.next(inst));
    CHECK(inst[0].value == "TRDR");
    CHECK(inst.size() == 2);  // Symbol (55) belongs to the message, not the group
    CHECK_FALSE(parties.next(inst));

    group_reader none(fix44::dict, nos, f, fix44::tag::NoAllocs);
    CHECK(none.count() == 0);
    CHECK_FALSE(none.next(inst));
    group_reader not_a_group(fix44::dict, nos, f, fix44::tag::Symbol);
    CHECK(not_a_group.definition() == nullptr);
}

// Validation against the FIX 4.4 dictionary: each SessionRejectReason (373) the codec can decide.
#include "fix_test_util.hpp"
#include "pinnacle/connect/fix/fix44.hpp"

#include <doctest/doctest.h>

#include <array>
#include <string>

using namespace pinnacle::fix;
using fix_test::frame;
using fix_test::hdr;

namespace {

// The reject_reason values are the dictionary's SessionRejectReason values.
namespace v = fix44::value;
static_assert(static_cast<int>(reject_reason::invalid_tag_number) == v::SessionRejectReason_INVALID_TAG_NUMBER);
static_assert(static_cast<int>(reject_reason::required_tag_missing) == v::SessionRejectReason_REQUIRED_TAG_MISSING);
static_assert(static_cast<int>(reject_reason::tag_not_defined_for_message) ==
              v::SessionRejectReason_TAG_NOT_DEFINED_FOR_THIS_MESSAGE_TYPE);
static_assert(static_cast<int>(reject_reason::undefined_tag) == v::SessionRejectReason_UNDEFINED_TAG);
static_assert(static_cast<int>(reject_reason::tag_without_value) == v::SessionRejectReason_TAG_SPECIFIED_WITHOUT_A_VALUE);
static_assert(static_cast<int>(reject_reason::value_incorrect) == v::SessionRejectReason_VALUE_IS_INCORRECT);
static_assert(static_cast<int>(reject_reason::incorrect_data_format) == v::SessionRejectReason_INCORRECT_DATA_FORMAT_FOR_VALUE);
static_assert(static_cast<int>(reject_reason::comp_id_problem) == v::SessionRejectReason_COMP_ID_PROBLEM);
static_assert(static_cast<int>(reject_reason::sending_time_accuracy) == v::SessionRejectReason_SENDING_TIME_ACCURACY_PROBLEM);
static_assert(static_cast<int>(reject_reason::invalid_msg_type) == v::SessionRejectReason_INVALID_MSG_TYPE);
static_assert(static_cast<int>(reject_reason::tag_appears_more_than_once) == v::SessionRejectReason_TAG_APPEARS_MORE_THAN_ONCE);
static_assert(static_cast<int>(reject_reason::tag_out_of_order) == v::SessionRejectReason_TAG_SPECIFIED_OUT_OF_REQUIRED_ORDER);
static_assert(static_cast<int>(reject_reason::group_fields_out_of_order) == v::SessionRejectReason_REPEATING_GROUP_FIELDS_OUT_OF_ORDER);
static_assert(static_cast<int>(reject_reason::incorrect_num_in_group) ==
              v::SessionRejectReason_INCORRECT_NUM_IN_GROUP_COUNT_FOR_REPEATING_GROUP);

std::array<field, 256> fields;

validation check(const std::string& body) {
    const std::string m = frame(body);
    const parse_result r = fix44::parse(m, fields);
    REQUIRE_MESSAGE(r.ok(), fix_test::pipes(m), ": ", to_string(r.status));
    return fix44::validate(std::span<const field>(fields.data(), r.field_count));
}

const std::string nos = "11=ord-1|55=AAPL|54=1|60=20240507-21:35:38.774|38=100|40=2|44=185.25|";

} // namespace

TEST_CASE("well-formed messages of every kind the codec types are valid") {
    CHECK(check(hdr("D") + nos).ok());
    CHECK(check(hdr("A") + "98=0|108=30|141=Y|").ok());
    CHECK(check(hdr("0") + "112=x|").ok());
    CHECK(check(hdr("1") + "112=x|").ok());
    CHECK(check(hdr("2") + "7=1|16=0|").ok());
    CHECK(check(hdr("3") + "45=7|371=44|372=D|373=5|58=bad price|").ok());
    CHECK(check(hdr("4") + "123=Y|36=20|").ok());
    CHECK(check(hdr("5") + "58=bye|").ok());
    CHECK(check(hdr("F") + "41=ord-1|11=ord-2|55=AAPL|54=1|60=20240507-21:35:38.774|38=100|").ok());
    CHECK(check(hdr("G") + "41=ord-1|11=ord-3|55=AAPL|54=1|60=20240507-21:35:38.774|38=200|40=2|44=185.5|").ok());
    CHECK(check(hdr("8") + "37=o1|11=ord-1|17=e1|150=F|39=1|55=AAPL|54=1|38=100|44=185.25|32=40|31=185.25|151=60|14=40|6=185.25|"
                           "60=20240507-21:35:38.775|").ok());
    CHECK(check(hdr("9") + "37=o1|11=ord-2|41=ord-1|39=0|434=1|102=1|").ok());
    CHECK(check(hdr("j") + "45=7|372=D|380=3|").ok());
    // Optional header fields, a header group, the signature in the trailer.
    CHECK(check(hdr("0") + "43=Y|122=20240507-21:35:00.000|627=1|628=HOP|").ok());
}

TEST_CASE("1: a required field is missing (RefTagID names it)") {
    const validation r = check(hdr("D") + "11=ord-1|55=AAPL|54=1|38=100|40=2|");
    CHECK(r.reason == reject_reason::required_tag_missing);
    CHECK(r.ref_tag == 60);
    CHECK(check("35=0|49=A|56=B|52=20240507-21:35:38.774|").ref_tag == 34);  // MsgSeqNum in the header
}

TEST_CASE("2: a known tag that this message type does not carry") {
    const validation r = check(hdr("0") + "112=x|44=1.5|");
    CHECK(r.reason == reject_reason::tag_not_defined_for_message);
    CHECK(r.ref_tag == 44);
    CHECK(r.field_index == 8);
}

TEST_CASE("3: a tag the dictionary does not define") {
    const validation r = check(hdr("0") + "5001=x|");
    CHECK(r.reason == reject_reason::undefined_tag);
    CHECK(r.ref_tag == 5001);
    CHECK(check(hdr("0") + "999=x|").reason == reject_reason::undefined_tag);  // inside the table, unused
}

TEST_CASE("4: a tag without a value") {
    const validation r = check(hdr("D") + "11=|55=AAPL|54=1|60=20240507-21:35:38.774|38=100|40=2|");
    CHECK(r.reason == reject_reason::tag_without_value);
    CHECK(r.ref_tag == 11);
}

TEST_CASE("5: a value outside the field's enumeration") {
    CHECK(check(hdr("D") + "11=o|55=AAPL|54=Z|60=20240507-21:35:38.774|38=100|40=2|").ref_tag == 54);
    CHECK(check(hdr("D") + "11=o|55=AAPL|54=Z|60=20240507-21:35:38.774|38=100|40=2|").reason == reject_reason::value_incorrect);
    CHECK(check(hdr("3") + "45=7|373=42|").reason == reject_reason::value_incorrect);  // an INT enumeration
    CHECK(check(hdr("A") + "98=0|108=30|141=X|").reason == reject_reason::incorrect_data_format);  // BOOLEAN is Y/N
}

TEST_CASE("6: a value that is not of the field's data type") {
    struct bad {
        const char* body;
        unsigned tag;
    };
    const bad cases[] = {
        {"11=o|55=AAPL|54=1|60=20240507-21:35:38.774|38=1x0|40=2|", 38},           // QTY
        {"11=o|55=AAPL|54=1|60=20240507-21:35:38.774|38=100|40=2|44=1.2.3|", 44},  // PRICE
        {"11=o|55=AAPL|54=1|60=2024-05-07 21:35|38=100|40=2|", 60},                // UTCTIMESTAMP
        {"11=o|55=AAPL|54=1|60=20241307-21:35:38|38=100|40=2|", 60},               // month 13
        {"11=o|55=AAPL|54=12|60=20240507-21:35:38|38=100|40=2|", 54},              // CHAR of 2 bytes
    };
    for (const bad& c : cases) {
        const validation r = check(hdr("D") + c.body);
        CHECK_MESSAGE(r.reason == reject_reason::incorrect_data_format, c.body);
        CHECK_MESSAGE(r.ref_tag == c.tag, c.body);
    }
    CHECK(check("35=0|49=A|56=B|34=-1|52=20240507-21:35:38.774|").reason == reject_reason::incorrect_data_format);
}

TEST_CASE("11: an unknown MsgType") {
    const validation r = check("35=ZZ|49=A|56=B|34=1|52=20240507-21:35:38.774|");
    CHECK(r.reason == reject_reason::invalid_msg_type);
    CHECK(r.ref_tag == 35);
    CHECK(r.message == nullptr);
    CHECK(check("35=~|49=A|56=B|34=1|52=20240507-21:35:38.774|").reason == reject_reason::invalid_msg_type);
}

TEST_CASE("13: a tag repeated in one section") {
    const validation r = check(hdr("D") + "11=o|55=AAPL|54=1|60=20240507-21:35:38.774|38=100|40=2|55=MSFT|");
    CHECK(r.reason == reject_reason::tag_appears_more_than_once);
    CHECK(r.ref_tag == 55);
}

TEST_CASE("14: header fields after the body, body fields after the trailer") {
    const validation r = check(hdr("D") + "11=o|55=AAPL|54=1|60=20240507-21:35:38.774|38=100|40=2|43=Y|");
    CHECK(r.reason == reject_reason::tag_out_of_order);
    CHECK(r.ref_tag == 43);
    const validation t = check(hdr("0") + "93=3|89=sig|112=x|");
    CHECK(t.reason == reject_reason::tag_out_of_order);
    CHECK(t.ref_tag == 112);
}

TEST_CASE("repeating groups: instances, nesting, 15 and 16") {
    const std::string parties2 = "453=2|448=BRKR|447=D|452=1|448=DESK|447=D|452=3|";
    CHECK(check(hdr("D") + "11=o|" + parties2 + "55=AAPL|54=1|60=20240507-21:35:38.774|38=100|40=2|").ok());
    SUBCASE("nested: a party with sub-ids") {
        CHECK(check(hdr("D") + "11=o|453=1|448=BRKR|447=D|452=1|802=2|523=a|803=1|523=b|803=2|55=AAPL|54=1|"
                               "60=20240507-21:35:38.774|38=100|40=2|").ok());
    }
    SUBCASE("16: fewer instances than NumInGroup") {
        const validation r = check(hdr("D") + "11=o|453=3|448=BRKR|452=1|448=DESK|452=3|55=AAPL|54=1|60=20240507-21:35:38.774|38=100|40=2|");
        CHECK(r.reason == reject_reason::incorrect_num_in_group);
        CHECK(r.ref_tag == 453);
    }
    SUBCASE("16: more instances than NumInGroup") {
        const validation r = check(hdr("D") + "11=o|453=1|448=BRKR|452=1|448=DESK|452=3|55=AAPL|54=1|60=20240507-21:35:38.774|38=100|40=2|");
        CHECK(r.reason == reject_reason::incorrect_num_in_group);
        CHECK(r.ref_tag == 453);
    }
    SUBCASE("15: an instance that does not start with the delimiter") {
        const validation r = check(hdr("D") + "11=o|453=2|448=BRKR|452=1|452=3|448=DESK|55=AAPL|54=1|60=20240507-21:35:38.774|38=100|40=2|");
        CHECK(r.reason == reject_reason::group_fields_out_of_order);
        CHECK(r.ref_tag == 452);
    }
    SUBCASE("15: a field twice in one instance starts an instance without its delimiter") {
        const validation r = check(hdr("D") + "11=o|453=1|448=BRKR|452=1|452=3|55=AAPL|54=1|60=20240507-21:35:38.774|38=100|40=2|");
        CHECK(r.reason == reject_reason::group_fields_out_of_order);
        CHECK(r.ref_tag == 452);
    }
    SUBCASE("a group member outside its group is not defined for the message") {
        const validation r = check(hdr("D") + "11=o|448=BRKR|55=AAPL|54=1|60=20240507-21:35:38.774|38=100|40=2|");
        CHECK(r.reason == reject_reason::tag_not_defined_for_message);
        CHECK(r.ref_tag == 448);
    }
}

TEST_CASE("data formats, one by one") {
    CHECK(well_formed(field_type::utc_timestamp, "20240507-21:35:38"));
    CHECK(well_formed(field_type::utc_timestamp, "20240507-21:35:38.123456789"));
    CHECK_FALSE(well_formed(field_type::utc_timestamp, "20240507-21:35:38.12"));
    CHECK_FALSE(well_formed(field_type::utc_timestamp, "20240507-24:35:38"));
    CHECK(well_formed(field_type::utc_time_only, "23:59:60"));
    CHECK(well_formed(field_type::local_mkt_date, "20240229"));
    CHECK_FALSE(well_formed(field_type::local_mkt_date, "2024022"));
    CHECK(well_formed(field_type::month_year, "202406"));
    CHECK(well_formed(field_type::month_year, "202406w2"));
    CHECK_FALSE(well_formed(field_type::month_year, "202413"));
    CHECK(well_formed(field_type::price, "-0.5"));
    CHECK(well_formed(field_type::price, "12."));
    CHECK_FALSE(well_formed(field_type::price, "."));
    CHECK_FALSE(well_formed(field_type::price, "1e5"));
    CHECK(well_formed(field_type::int_, "-12"));
    CHECK_FALSE(well_formed(field_type::seqnum, "-12"));
    CHECK(well_formed(field_type::dayofmonth, "31"));
    CHECK_FALSE(well_formed(field_type::dayofmonth, "32"));
    CHECK_FALSE(well_formed(field_type::dayofmonth, "0"));
    CHECK(well_formed(field_type::boolean, "Y"));
    CHECK_FALSE(well_formed(field_type::boolean, "y"));
}

TEST_CASE("the generated dictionary agrees with the FIX 4.4 specification on spot checks") {
    // Spec numbers typed here on purpose: the generator must reproduce them from the XML.
    static_assert(fix44::tag::ClOrdID == 11 && fix44::tag::MsgSeqNum == 34 && fix44::tag::SessionRejectReason == 373);
    static_assert(fix44::value::Side_BUY == '1' && fix44::value::ExecType_TRADE == 'F');
    static_assert(fix44::value::MsgType_EXECUTION_REPORT == "8");
    CHECK(fix44::dict.find_message("8")->name == "ExecutionReport");
    CHECK(fix44::dict.find_message("AE")->name == "TradeCaptureReport");
    CHECK_FALSE(fix44::dict.find_message("8")->admin);
    CHECK(fix44::dict.find_message("A")->admin);
    CHECK(fix44::dict.field_of(96).type == field_type::data);
    CHECK(fix44::dict.field_of(95).data_tag == 96);
    CHECK(fix44::dict.field_of(93).data_tag == 89);
    CHECK(fix44::is_length_tag(95));
    CHECK_FALSE(fix44::is_length_tag(96));
}

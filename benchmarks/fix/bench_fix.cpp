/// @file bench_fix.cpp
/// FIX 4.4 codec against QuickFIX 1.15.1 on the same messages, in the same run: parse + validate
/// an ExecutionReport (ours: parse_message + validate against the generated FIX44 dictionary;
/// QuickFIX: Message::setString with the FIX44.xml DataDictionary, then DataDictionary::validate),
/// and encode a NewOrderSingle (ours: header + body from integers, ns timestamps and tick prices
/// into a caller buffer; QuickFIX: Message::toString of the same message already parsed).
/// Results and the commands that made them: docs/PERFORMANCE.md, section "FIX".

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "pinnacle/connect/fix/fix44.hpp"
#include "pinnacle/connect/fix/messages.hpp"

#if defined(PINNACLE_HAVE_QUICKFIX)
#include "quickfix_peer.hpp"
#endif

namespace {

namespace fix = pinnacle::fix;
namespace f44 = pinnacle::fix::fix44;
namespace tag = pinnacle::fix::fix44::tag;

constexpr std::int64_t sending_ns = 1715117738774000000;  // 2024-05-07 21:35:38.774 UTC

// The ExecutionReport both parsers read: a partial fill, 21 fields, 230 bytes.
std::string execution_report() {
    std::array<char, 512> buf{};
    fix::encoder e(buf, "FIX.4.4");
    e.start("8").add(tag::SenderCompID, "VENUE").add(tag::TargetCompID, "CLIENT").add_int(tag::MsgSeqNum, 1042)
        .add_timestamp(tag::SendingTime, sending_ns);
    f44::execution_report er{};
    er.order_id = "OID-000000817";
    er.cl_ord_id = "CLID-0000004711";
    er.exec_id = "EXEC-0000012345";
    er.exec_type = f44::value::ExecType_TRADE;
    er.ord_status = f44::value::OrdStatus_PARTIALLY_FILLED;
    er.symbol = "AAPL";
    er.side = f44::value::Side_BUY;
    er.order_qty = "500";
    er.price = "185.25";
    er.last_qty = "200";
    er.last_px = "185.25";
    er.leaves_qty = "300";
    er.cum_qty = "200";
    er.avg_px = "185.25";
    er.transact_time = "20240507-21:35:38.775";
    er.write(e);
    return std::string(e.finish());
}

// Encodes the NewOrderSingle of the encode benchmarks from integers (seq, ns, ticks, lots).
std::string_view encode_new_order_single(fix::encoder& e, std::uint32_t seq, std::int64_t now_ns) {
    e.start("D").add(tag::SenderCompID, "CLIENT").add(tag::TargetCompID, "VENUE").add_int(tag::MsgSeqNum, seq)
        .add_timestamp(tag::SendingTime, now_ns).add(tag::ClOrdID, "CLID-0000004711").add(tag::Symbol, "AAPL")
        .add(tag::Side, f44::value::Side_BUY).add_timestamp(tag::TransactTime, now_ns).add_decimal(tag::OrderQty, 500, 0)
        .add(tag::OrdType, f44::value::OrdType_LIMIT).add_decimal(tag::Price, 1852500, 4)
        .add(tag::TimeInForce, f44::value::TimeInForce_DAY);
    return e.finish();
}

// The same NewOrderSingle with SenderCompID and TargetCompID from a field_block formatted once
// (the session's header template); every other field is formatted from integers as above.
std::string_view encode_new_order_single_template(fix::encoder& e, const fix::field_block& comp_ids, std::uint32_t seq,
                                                  std::int64_t now_ns) {
    e.start("D").add_raw(comp_ids.view()).add_int(tag::MsgSeqNum, seq)
        .add_timestamp(tag::SendingTime, now_ns).add(tag::ClOrdID, "CLID-0000004711").add(tag::Symbol, "AAPL")
        .add(tag::Side, f44::value::Side_BUY).add_timestamp(tag::TransactTime, now_ns).add_decimal(tag::OrderQty, 500, 0)
        .add(tag::OrdType, f44::value::OrdType_LIMIT).add_decimal(tag::Price, 1852500, 4)
        .add(tag::TimeInForce, f44::value::TimeInForce_DAY);
    return e.finish();
}

void BM_pinnacle_parse_validate_execution_report(benchmark::State& state) {
    const std::string msg = execution_report();
    std::array<fix::field, 64> fields{};
    for (auto _ : state) {
        benchmark::DoNotOptimize(msg.data());
        const fix::parse_result r = f44::parse(msg, fields);
        const fix::validation v = f44::validate(std::span<const fix::field>(fields.data(), r.field_count));
        if (!r.ok() || !v.ok()) state.SkipWithError("ExecutionReport did not parse and validate");
        benchmark::DoNotOptimize(v);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(msg.size()));
}
BENCHMARK(BM_pinnacle_parse_validate_execution_report);

// The same work through fix44::make_decoder(): framing and validation in one pass over the
// layout learned from the first (identical) message; the general path answers anything else.
void BM_pinnacle_decode_execution_report(benchmark::State& state) {
    const std::string msg = execution_report();
    std::array<fix::field, 64> fields{};
    fix::layout_decoder d = f44::make_decoder();
    if (d.decode(msg, fields).fast) state.SkipWithError("the first message cannot take the fast path");
    for (auto _ : state) {
        benchmark::DoNotOptimize(msg.data());
        const fix::decode_result r = d.decode(msg, fields);
        if (!r.ok() || !r.fast) state.SkipWithError("ExecutionReport did not decode on the fast path");
        benchmark::DoNotOptimize(r);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(msg.size()));
}
BENCHMARK(BM_pinnacle_decode_execution_report);

void BM_pinnacle_parse_execution_report(benchmark::State& state) {
    const std::string msg = execution_report();
    std::array<fix::field, 64> fields{};
    for (auto _ : state) {
        benchmark::DoNotOptimize(msg.data());
        const fix::parse_result r = f44::parse(msg, fields);
        benchmark::DoNotOptimize(r);
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_pinnacle_parse_execution_report);

void BM_pinnacle_parse_validate_read_execution_report(benchmark::State& state) {
    const std::string msg = execution_report();
    std::array<fix::field, 64> fields{};
    for (auto _ : state) {
        benchmark::DoNotOptimize(msg.data());
        const fix::parse_result r = f44::parse(msg, fields);
        const std::span<const fix::field> f(fields.data(), r.field_count);
        const fix::validation v = f44::validate(f);
        f44::execution_report er{};
        const f44::read_result rr = f44::execution_report::read(f, er);
        if (!r.ok() || !v.ok() || !rr.ok()) state.SkipWithError("ExecutionReport did not read");
        benchmark::DoNotOptimize(er);
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_pinnacle_parse_validate_read_execution_report);

void BM_pinnacle_encode_new_order_single(benchmark::State& state) {
    std::array<char, 512> buf{};
    fix::encoder e(buf, "FIX.4.4");
    std::uint32_t seq = 1;
    std::int64_t now = sending_ns;
    for (auto _ : state) {
        const std::string_view m = encode_new_order_single(e, seq++, now);
        now += 1000;
        benchmark::DoNotOptimize(m.data());
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_pinnacle_encode_new_order_single);

void BM_pinnacle_encode_new_order_single_template(benchmark::State& state) {
    std::array<char, 512> buf{};
    fix::encoder e(buf, "FIX.4.4");
    fix::field_block comp_ids;
    comp_ids.add(tag::SenderCompID, "CLIENT").add(tag::TargetCompID, "VENUE");
    {
        std::array<char, 512> other{};
        fix::encoder plain(other, "FIX.4.4");
        if (encode_new_order_single_template(e, comp_ids, 7, sending_ns) != encode_new_order_single(plain, 7, sending_ns)) {
            state.SkipWithError("the template encodes a different message");
        }
    }
    std::uint32_t seq = 1;
    std::int64_t now = sending_ns;
    for (auto _ : state) {
        const std::string_view m = encode_new_order_single_template(e, comp_ids, seq++, now);
        now += 1000;
        benchmark::DoNotOptimize(m.data());
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_pinnacle_encode_new_order_single_template);

#if defined(PINNACLE_HAVE_QUICKFIX)
pinnacle_bench::quickfix_peer& peer() {
    static pinnacle_bench::quickfix_peer p(PINNACLE_FIX44_XML);
    return p;
}

void BM_quickfix_parse_execution_report(benchmark::State& state) {
    const std::string msg = execution_report();
    for (auto _ : state) {
        if (!peer().parse(msg, false)) state.SkipWithError("QuickFIX did not parse the ExecutionReport");
    }
}
BENCHMARK(BM_quickfix_parse_execution_report);

void BM_quickfix_parse_validate_execution_report(benchmark::State& state) {
    const std::string msg = execution_report();
    for (auto _ : state) {
        if (!peer().parse(msg, true)) state.SkipWithError("QuickFIX did not validate the ExecutionReport");
    }
}
BENCHMARK(BM_quickfix_parse_validate_execution_report);

void BM_quickfix_to_string_new_order_single(benchmark::State& state) {
    std::array<char, 512> buf{};
    fix::encoder e(buf, "FIX.4.4");
    const std::string msg(encode_new_order_single(e, 1, sending_ns));
    if (!peer().parse(msg, true)) {
        state.SkipWithError("QuickFIX did not parse the NewOrderSingle");
        return;
    }
    for (auto _ : state) benchmark::DoNotOptimize(peer().to_string());
}
BENCHMARK(BM_quickfix_to_string_new_order_single);
#endif

} // namespace

BENCHMARK_MAIN();

// The journal: CRC32C, append/read across segments, torn and corrupt tails cut on open, appends
// without allocation, and the recorder's journal/resume/verify cycle on a real LOBSTER sample.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "pinnacle/apps/lobster_backtest.hpp"
#include "pinnacle/journal/codec.hpp"
#include "pinnacle/journal/crc32c.hpp"
#include "pinnacle/journal/journal.hpp"
#include "pinnacle/journal/recorder.hpp"
#include "pinnacle/journal/snapshot.hpp"
#include "pinnacle/journal/state_hash.hpp"

using namespace pinnacle;
namespace fs = std::filesystem;

namespace {

// A fresh directory under the build tree's temp area, removed at the end of the test.
struct temp_dir {
    fs::path path;
    explicit temp_dir(const char* name) : path(fs::temp_directory_path() / ("pinnacle_journal_test_" + std::string(name) + "_" + std::to_string(::getpid()))) {
        fs::remove_all(path);
    }
    ~temp_dir() { fs::remove_all(path); }
    [[nodiscard]] std::string str() const { return path.string(); }
};

// Writes n records of growing payloads (1..40 bytes) into dir; returns the payloads.
std::vector<std::string> write_records(const std::string& dir, std::size_t n, std::size_t segment = 4096) {
    journal_options o;
    o.segment_size = segment;
    journal_writer w(dir, o);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i) {
        std::string p(1 + i % 40, static_cast<char>('a' + i % 26));
        REQUIRE(w.append(record_type::market_event, timestamp{static_cast<std::int64_t>(1000 + i)}, p.data(),
                         static_cast<std::uint32_t>(p.size())) == journal_status::ok);
        out.push_back(p);
    }
    return out;
}

std::vector<journal_record> read_all(const std::string& dir, journal_stats& st, std::vector<std::string>* payloads = nullptr) {
    journal_reader rd(dir);
    std::vector<journal_record> out;
    journal_record r;
    while (rd.next(r)) {
        out.push_back(r);
        if (payloads) payloads->emplace_back(reinterpret_cast<const char*>(r.payload), r.length);
    }
    st = rd.stats();
    return out;
}

std::string seg(const std::string& dir, int i) {
    char name[40];
    std::snprintf(name, sizeof name, "/segment-%08d.pnj", i);
    return dir + name;
}

const std::string aapl_msg = std::string(PINNACLE_TEST_DATA_DIR) + "/AAPL_2012-06-21_34200000_57600000_message_10.csv";
const std::string aapl_ob = std::string(PINNACLE_TEST_DATA_DIR) + "/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv";

} // namespace

TEST_CASE("CRC32C: the Castagnoli check value, and SSE4.2 agrees with the table") {
    CHECK(crc32c("123456789", 9) == 0xE3069283U);
    CHECK(crc32c("", 0) == 0U);
    std::mt19937_64 rng(7);
    std::vector<unsigned char> buf(1000);
    for (auto& b : buf) b = static_cast<unsigned char>(rng());
    for (std::size_t n : {std::size_t{1}, std::size_t{7}, std::size_t{8}, std::size_t{33}, std::size_t{1000}})
        CHECK(crc32c(buf.data(), n) == crc32c_portable(buf.data(), n));
    CHECK(crc32c_extend(crc32c(buf.data(), 10), buf.data() + 10, 90) == crc32c(buf.data(), 100));
}

TEST_CASE("journal: records come back in order across segments, with their sequence numbers") {
    temp_dir d("roundtrip");
    const auto payloads = write_records(d.str(), 500);
    journal_stats st;
    std::vector<std::string> got;
    const auto recs = read_all(d.str(), st, &got);
    REQUIRE(recs.size() == 500);
    CHECK(st.segments > 5);
    CHECK_FALSE(st.torn_tail);
    CHECK(st.crc_errors == 0);
    for (std::size_t i = 0; i < recs.size(); ++i) {
        CHECK(recs[i].seq == i + 1);
        CHECK(recs[i].ts.ns() == static_cast<std::int64_t>(1000 + i));
        CHECK(got[i] == payloads[i]);
    }
    // Reopening appends after the last record.
    journal_options o;
    o.segment_size = 4096;
    journal_writer w(d.str(), o);
    CHECK(w.last_seq() == 500);
    CHECK_FALSE(w.opened().truncated);
    const char x = 'x';
    REQUIRE(w.append(record_type::timer, timestamp{9}, &x, 1) == journal_status::ok);
    CHECK(w.last_seq() == 501);
}

TEST_CASE("journal: appends do not allocate") {
    temp_dir d("noalloc");
    journal_options o;
    o.segment_size = std::size_t{1} << 20;
    journal_writer w(d.str(), o);
    unsigned char p[market_event_payload] = {};
    pinnacle_test::alloc_scope scope;
    for (int i = 0; i < 10000; ++i) (void)w.append(record_type::market_event, timestamp{i}, p, sizeof p);
    CHECK(scope.count() == 0);
}

TEST_CASE("journal: a truncated tail is detected and cut on open, never replayed") {
    temp_dir d("truncated");
    write_records(d.str(), 60);
    journal_stats st;
    read_all(d.str(), st);
    const std::uint64_t last = st.segments - 1;
    // Cut the last segment in the middle of its last record.
    const std::string path = seg(d.str(), static_cast<int>(last));
    std::uint64_t in_last = 0;
    std::size_t end = 0;
    {
        std::ifstream f(path, std::ios::binary);
        std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(f)), {});
        std::uint64_t first = 0;
        std::memcpy(&first, bytes.data() + 32, 8);
        const segment_scan s = scan_segment(bytes.data(), bytes.size(), last, first, [](const journal_record&) {});
        in_last = s.records;
        end = s.end;
    }
    REQUIRE(in_last >= 2);
    fs::resize_file(path, end - 5);
    read_all(d.str(), st);
    CHECK(st.torn_tail);
    CHECK(st.crc_errors == 0);
    CHECK(st.records == 59);
    journal_options o;
    o.segment_size = 4096;
    {
        journal_writer w(d.str(), o);
        CHECK(w.opened().truncated);
        CHECK(w.last_seq() == 59);
        const char x = 'y';
        REQUIRE(w.append(record_type::timer, timestamp{1}, &x, 1) == journal_status::ok);
    }
    std::vector<std::string> got;
    const auto recs = read_all(d.str(), st, &got);
    CHECK_FALSE(st.torn_tail);
    REQUIRE(recs.size() == 60);
    CHECK(got.back() == "y");
}

TEST_CASE("journal: a flipped bit is a CRC error; the tail from there is cut") {
    temp_dir d("bitflip");
    write_records(d.str(), 30, std::size_t{1} << 16);
    const std::string path = seg(d.str(), 0);
    // Record 20's payload: headers are 32 bytes, payloads padded to 8.
    std::size_t off = journal_format::segment_header_size;
    for (std::size_t i = 0; i < 19; ++i) off += record_span(1 + i % 40);
    {
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(static_cast<std::streamoff>(off + 32));
        char c = 0;
        f.read(&c, 1);
        c = static_cast<char>(c ^ 0x10);
        f.seekp(static_cast<std::streamoff>(off + 32));
        f.write(&c, 1);
    }
    journal_stats st;
    read_all(d.str(), st);
    CHECK(st.records == 19);
    CHECK(st.crc_errors == 1);
    CHECK(st.torn_tail);
    journal_options o;
    o.segment_size = std::size_t{1} << 16;
    journal_writer w(d.str(), o);
    CHECK(w.opened().truncated);
    CHECK(w.last_seq() == 19);
}

TEST_CASE("journal: a damaged segment header drops that segment and the ones after it") {
    temp_dir d("badheader");
    write_records(d.str(), 300);
    journal_stats st;
    read_all(d.str(), st);
    REQUIRE(st.segments >= 4);
    {
        std::fstream f(seg(d.str(), 2), std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(0);
        f.write("X", 1);
    }
    const auto before = read_all(d.str(), st);
    CHECK(st.torn_tail);
    journal_options o;
    o.segment_size = 4096;
    journal_writer w(d.str(), o);
    CHECK(w.last_seq() == before.size());
    CHECK(w.opened().segments_removed >= 2);
    CHECK_FALSE(fs::exists(seg(d.str(), 3)));
}

TEST_CASE("journal: bad options and unreadable directories are clear errors") {
    journal_options o;
    o.segment_size = 1000;
    CHECK_THROWS_WITH_AS(journal_writer("/tmp/pinnacle_never_created", o), doctest::Contains("multiple of 4096"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(journal_reader("/nonexistent/pinnacle/journal"), doctest::Contains("not a journal directory"), std::runtime_error);
    CHECK(parse_sync_policy("none").has_value());
    CHECK(parse_sync_policy("decisions")->mode == sync_mode::decisions);
    CHECK(parse_sync_policy("records:100")->every == 100);
    CHECK_FALSE(parse_sync_policy("records:0").has_value());
    CHECK_FALSE(parse_sync_policy("records:x").has_value());
    CHECK_FALSE(parse_sync_policy("sometimes").has_value());
}

TEST_CASE("codec: market events, reports and decisions round-trip") {
    market_event e;
    e.ts = timestamp{123};
    e.id = order_id{42};
    e.px = price{5'000'100};
    e.size = qty{300};
    e.type = event_type::execute;
    e.side = side::sell;
    e.flags = 3;
    unsigned char buf[decision_payload];
    encode_market_event(e, buf);
    market_event back;
    REQUIRE(decode_market_event(buf, market_event_payload, timestamp{123}, back));
    CHECK(back.id == e.id);
    CHECK(back.px == e.px);
    CHECK(back.size == e.size);
    CHECK(back.type == e.type);
    CHECK(back.side == e.side);
    CHECK(back.flags == 3);
    CHECK_FALSE(decode_market_event(buf, 10, timestamp{0}, back));
    execution_report x;
    x.cl_ord_id = order_id{7};
    x.type = exec_type::fill;
    x.last_qty = qty{100};
    x.fee = notional{-2000};
    x.maker = true;
    encode_report(x, buf);
    execution_report xb;
    REQUIRE(decode_report(buf, report_payload, timestamp{5}, xb));
    CHECK(xb.cl_ord_id == x.cl_ord_id);
    CHECK(xb.last_qty == x.last_qty);
    CHECK(xb.fee == x.fee);
    CHECK(xb.maker);
    decision_state d;
    d.orders_sent = 9;
    d.ask_px = -5;
    d.flags = 6;
    encode_decision(d, buf);
    decision_state db;
    REQUIRE(decode_decision(buf, decision_payload, db));
    CHECK(db == d);
}

TEST_CASE("recorder: journal a backtest, resume re-checks every record, verify catches a changed record") {
    temp_dir d("recorder");
    const lobster_day day = load_lobster_day(aapl_msg, aapl_ob);
    lobster_backtest_config cfg;
    cfg.kill_switch_at = duration{(11LL * 3600) * 1'000'000'000LL};
    auto run = [&](journal_recorder& rec) {
        avellaneda_stoikov_config as = cfg.strategy;
        as.session = day.session;
        return run_lobster_backtest(day, cfg, avellaneda_stoikov(as), fifo_queue{}, no_report_observer{}, no_progress{}, &rec);
    };
    journal_recorder plain(recorder_mode::hash_only, {});
    const backtest_report base = run(plain);
    REQUIRE(plain.has_final_hash());

    recorder_options ro;
    ro.dir = d.str();
    ro.journal.segment_size = 1 << 16;
    ro.snapshot_every = 200;
    ro.session = "test";
    std::uint64_t written = 0;
    {
        journal_recorder rec(recorder_mode::write, ro);
        const backtest_report r = run(rec);
        REQUIRE_FALSE(rec.failed());
        CHECK(rec.final_hash() == plain.final_hash());  // journaling does not change the run
        CHECK(r.same_outcome(base));
        written = rec.records_appended();
        CHECK(written > day.messages.size());
    }
    bool snapshot = false;
    for (const auto& e : fs::directory_iterator(d.path)) snapshot |= e.path().extension() == ".pns";
    CHECK(snapshot);
    {
        recorder_options full = ro;
        full.use_snapshots = false;
        journal_recorder again(recorder_mode::write, full);  // a resume of a finished run, no snapshots: all re-checked
        (void)run(again);
        REQUIRE_FALSE(again.failed());
        CHECK(again.records_checked() == written);
        CHECK(again.records_appended() == 0);
        CHECK(again.hashes_checked() >= 2);
        CHECK(again.final_hash() == plain.final_hash());
    }
    {
        ro.session = "other arguments";
        journal_recorder other(recorder_mode::verify, ro);
        (void)run(other);
        CHECK(other.failed());
        CHECK(std::string(other.error()).find("session_start") != std::string::npos);
        ro.session = "test";
    }
    // Change one market event's size and fix its CRC: a verify names that record.
    journal_reader rd(d.str());
    journal_record rec;
    std::uint64_t target = 0;
    while (rd.next(rec))
        if (rec.type == record_type::market_event && rec.seq > 100) {
            target = rec.seq;
            break;
        }
    REQUIRE(target > 0);
    {
        // Find it in the files and rewrite it.
        bool done = false;
        for (int i = 0; !done && fs::exists(seg(d.str(), i)); ++i) {
            std::fstream f(seg(d.str(), i), std::ios::in | std::ios::out | std::ios::binary);
            std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(f)), {});
            std::size_t off = journal_format::segment_header_size;
            while (off + 32 <= bytes.size()) {
                record_header h;
                std::memcpy(&h, bytes.data() + off, sizeof h);
                if (h.seq == 0) break;
                if (h.seq == target) {
                    bytes[off + 32 + 16] ^= 1;  // size field
                    h.crc = record_crc(h, bytes.data() + off + 32);
                    std::memcpy(bytes.data() + off, &h, sizeof h);
                    f.seekp(0);
                    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
                    done = true;
                    break;
                }
                off += record_span(h.length);
            }
        }
        REQUIRE(done);
    }
    journal_recorder check(recorder_mode::verify, ro);
    (void)run(check);
    REQUIRE(check.failed());
    CHECK(std::string(check.error()).find("diverged at record " + std::to_string(target)) != std::string::npos);
}

TEST_CASE("snapshot: archives round-trip values, vectors and rings; a short body is an error") {
    snapshot_writer w;
    std::vector<std::int64_t> v{1, -2, 3};
    ring_buffer<std::int32_t> ring(4);
    for (std::int32_t i = 0; i < 6; ++i) {
        if (ring.full()) ring.pop();
        REQUIRE(ring.push(i) == status::ok);
    }
    w.value(std::uint32_t{7});
    w.vec(v);
    ring.persist(w);
    snapshot_reader r(w.bytes().data(), w.bytes().size());
    std::uint32_t a = 0;
    std::vector<std::int64_t> v2;
    ring_buffer<std::int32_t> ring2(4);
    r.value(a);
    r.vec(v2);
    ring2.persist(r);
    CHECK(r.done());
    CHECK(a == 7);
    CHECK(v2 == v);
    REQUIRE(ring2.size() == 4);
    CHECK(ring2.front() == 2);
    CHECK(ring2.back() == 5);
    snapshot_reader shortr(w.bytes().data(), 6);
    shortr.value(a);
    CHECK_THROWS_AS(shortr.vec(v2), std::runtime_error);
    ring_buffer<std::int32_t> tiny(2);
    snapshot_reader r3(w.bytes().data() + 4 + 8 + 24, w.bytes().size() - 36);
    CHECK_THROWS_AS(tiny.persist(r3), std::runtime_error);  // 4 elements do not fit a ring of 2
}

TEST_CASE("l3_book: persist keeps every level, the anonymous lots and each order's FIFO place and seq") {
    l3_book a(l3_book_config{1024, 64});
    REQUIRE(a.add_anonymous(side::buy, price{100}, qty{7}) == status::ok);
    REQUIRE(a.add(order_id{1}, side::buy, price{100}, qty{5}) == status::ok);
    REQUIRE(a.add(order_id{2}, side::buy, price{100}, qty{3}) == status::ok);
    REQUIRE(a.add(order_id{3}, side::sell, price{105}, qty{4}) == status::ok);
    REQUIRE(a.add(order_id{4}, side::buy, price{99}, qty{2}) == status::ok);
    REQUIRE(a.remove(order_id{1}) == status::ok);
    snapshot_writer w;
    a.persist(w);
    l3_book b(l3_book_config{1024, 64});
    REQUIRE(b.add(order_id{9}, side::sell, price{200}, qty{1}) == status::ok);  // overwritten
    snapshot_reader r(w.bytes().data(), w.bytes().size());
    b.persist(r);
    CHECK(r.done());
    CHECK(b.next_seq() == a.next_seq());
    snapshot_writer w2;
    b.persist(w2);
    CHECK(w2.bytes() == w.bytes());
    CHECK(b.level(side::buy, 0).size == qty{10});
    CHECK(b.find(order_id{2})->seq == a.find(order_id{2})->seq);
    CHECK(b.find(order_id{9}) == nullptr);
}

TEST_CASE("recorder: resume loads the newest valid snapshot and re-checks only the tail; damaged ones fall back") {
    temp_dir d("snapshots");
    const lobster_day day = load_lobster_day(aapl_msg, aapl_ob);
    lobster_backtest_config cfg;
    cfg.kill_switch_at = duration{34'230LL * 1'000'000'000LL};  // 09:30:30, mid-sample
    cfg.timer_period = duration{1'000'000'000};  // periodic ticks must resume on their grid
    auto run = [&](journal_recorder& rec) {
        avellaneda_stoikov_config as = cfg.strategy;
        as.session = day.session;
        return run_lobster_backtest(day, cfg, avellaneda_stoikov(as), fifo_queue{}, no_report_observer{}, no_progress{}, &rec);
    };
    recorder_options ro;
    ro.dir = d.str();
    ro.journal.segment_size = 1 << 16;
    ro.snapshot_every = 0;
    ro.snapshot_every_ns = 5'000'000'000;  // every 5 s of event time (the sample spans 49 s)
    ro.session = "test";
    std::uint64_t written = 0;
    backtest_report report;
    std::uint64_t hash = 0;
    {
        journal_recorder rec(recorder_mode::write, ro);
        report = run(rec);
        REQUIRE_FALSE(rec.failed());
        written = rec.records_appended();
        hash = rec.final_hash();
    }
    std::vector<std::string> snaps = list_snapshots(d.str());
    REQUIRE(snaps.size() == 3);  // pruned to snapshots_kept
    auto seq_of = [](const std::string& name) { return std::stoull(name.substr(9, 20)); };
    {
        journal_recorder again(recorder_mode::write, ro);  // resume a finished run from its newest snapshot
        const backtest_report r = run(again);
        REQUIRE_FALSE(again.failed());
        CHECK(again.restored_from() == seq_of(snaps.back()));
        CHECK(again.records_checked() == 1 + written - seq_of(snaps.back()));  // session_start and the tail
        CHECK(again.records_appended() == 0);
        CHECK(again.final_hash() == hash);
        CHECK(r.same_outcome(report));
    }
    // The newest snapshot's best bid moved one tick, CRC fixed: it loads, but its state hash does not
    // match the stored one: a loud error, then the previous snapshot is used.
    {
        const std::string path = d.str() + "/" + snaps.back();
        std::string why;
        auto f = read_snapshot_file(path, why);
        REQUIRE(f);
        std::int64_t px = 0;
        std::memcpy(&px, f->body.data() + 8, 8);
        ++px;
        std::memcpy(f->body.data() + 8, &px, 8);
        REQUIRE(write_snapshot_file(d.str(), f->header, f->body, false, 3).empty());
        journal_recorder again(recorder_mode::write, ro);
        (void)run(again);
        INFO(std::string(again.error()));
        REQUIRE_FALSE(again.failed());
        CHECK(again.restored_from() == seq_of(snaps[1]));
        CHECK(again.final_hash() == hash);
    }
    // Every snapshot damaged (loads, wrong hash): restart_needed, and a run without snapshots recovers.
    for (const std::string& n : snaps) {
        std::string why;
        auto f = read_snapshot_file(d.str() + "/" + n, why);
        REQUIRE(f);
        std::int64_t px = 0;
        std::memcpy(&px, f->body.data() + 8, 8);
        px += 3;
        std::memcpy(f->body.data() + 8, &px, 8);
        REQUIRE(write_snapshot_file(d.str(), f->header, f->body, false, 3).empty());
    }
    {
        journal_recorder again(recorder_mode::write, ro);
        (void)run(again);
        CHECK(again.restart_needed());
    }
    {
        recorder_options full = ro;
        full.use_snapshots = false;
        journal_recorder again(recorder_mode::write, full);
        const backtest_report r = run(again);
        REQUIRE_FALSE(again.failed());
        CHECK(again.restored_from() == 0);
        CHECK(again.records_checked() == written);
        CHECK(again.final_hash() == hash);
        CHECK(r.same_outcome(report));
    }
    // A bad CRC is refused before loading: no restart needed, the run re-executes from the start.
    for (const std::string& n : list_snapshots(d.str())) {
        std::fstream f(d.str() + "/" + n, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(60);
        f.put('\x5a');
    }
    {
        journal_recorder again(recorder_mode::write, ro);
        (void)run(again);
        REQUIRE_FALSE(again.failed());
        CHECK_FALSE(again.restart_needed());
        CHECK(again.restored_from() == 0);
        CHECK(again.final_hash() == hash);
    }
}

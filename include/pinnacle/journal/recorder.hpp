#pragma once
/// @file journal/recorder.hpp
/// journal_recorder: journals one engine run (inputs, timer ticks, operator actions, reports,
/// decisions, periodic state hashes and snapshots) and recovers it. Recovery loads the newest
/// snapshot whose CRC and state hash verify (restore()), then re-executes only the journal tail
/// after it, checking every record the run produces against the journal (the first difference is
/// a loud error naming the record), then appends after the last valid record. Without a usable
/// snapshot the run re-executes from the start the same way. See docs/persistence.md.

#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "pinnacle/core/events.hpp"
#include "pinnacle/core/types.hpp"
#include "pinnacle/journal/codec.hpp"
#include "pinnacle/journal/journal.hpp"
#include "pinnacle/journal/snapshot.hpp"
#include "pinnacle/journal/state_hash.hpp"
#include "pinnacle/venue/orders.hpp"

namespace pinnacle {
inline namespace v0 {

/// What a journal_recorder does with the records a run produces.
enum class recorder_mode : std::uint8_t {
    hash_only, ///< No journal: only the final state hash is computed.
    write,     ///< Journal the run; records already in the directory are re-checked first (resume).
    verify,    ///< Check the run against an existing journal, never write; stop where it ends (replay).
};

/// Settings of a journal_recorder.
struct recorder_options {
    std::string dir;                    ///< Journal directory (write, verify).
    journal_options journal{};          ///< Segment size and durability policy (write).
    std::uint64_t snapshot_every = 100'000; ///< State hash record and snapshot every N market events (0: not by count).
    std::int64_t snapshot_every_ns = 0; ///< ... and/or every T ns of event time (0: not by time); either due triggers one.
    bool use_snapshots = true;          ///< write mode: resume from the newest valid snapshot (restore()); false: re-execute from the start.
    std::size_t snapshots_kept = 3;     ///< Snapshot files kept (older ones are deleted; >= 1).
    std::string session;                ///< Payload of the session_start record (e.g. the run's arguments).
};

/// Journals a run and checks re-executions against it. Thread-safety: one thread (the engine's).
/// The per-record entry points are noexcept and do not allocate while journaling; a failure
/// (I/O error, divergence) is remembered, stop_requested() turns true and error() says what and where.
class journal_recorder {
public:
    /// Starts recording in `mode`. write: opens the journal (cutting a torn tail) and writes or
    /// checks the session_start record. verify: opens the journal for reading. Throws
    /// std::runtime_error (path and reason) when the directory cannot be opened or created.
    journal_recorder(recorder_mode mode, recorder_options opt) : mode_(mode), opt_(std::move(opt)) {
        if (opt_.snapshots_kept == 0) opt_.snapshots_kept = 1;
        scratch_.reserve(std::size_t{1} << 20);
        if (mode_ == recorder_mode::hash_only) return;
        if (mode_ == recorder_mode::write) writer_ = std::make_unique<journal_writer>(opt_.dir, opt_.journal);
        reader_ = std::make_unique<journal_reader>(opt_.dir);
        if (writer_ && writer_->last_seq() == 0) reader_done_ = true;  // nothing to re-check
        next_snapshot_ = opt_.snapshot_every;
        if (mode_ == recorder_mode::write && !reader_done_ && opt_.use_snapshots) snapshots_ = list_snapshots(opt_.dir);
        emit(record_type::session_start, timestamp{0}, opt_.session.data(), static_cast<std::uint32_t>(opt_.session.size()));
    }

    /// Tells the recorder which kill switch and breaker the run uses (their state is hashed).
    void attach(const kill_switch* ks, const circuit_breaker* breaker) noexcept {
        risk_.ks = ks;
        risk_.breaker = breaker;
    }

    /// Tells the recorder how to save the whole run's state into a snapshot: `(*f)(ar)` with a
    /// snapshot_writer (the same callable loads it in restore()). `f` must outlive the recorder's
    /// use; without it no snapshot file is written (state hash records still are).
    template <class F>
    void attach_state(F* f) noexcept {
        state_ctx_ = f;
        save_state_ = [](void* c, snapshot_writer& w) { (*static_cast<F*>(c))(w); };
    }

    /// What restore() did.
    enum class restore_result : std::uint8_t {
        none,     ///< No snapshot to use (fresh journal, none written, or all failed before loading): re-execute from the start.
        restored, ///< The state was loaded from a verified snapshot; the journal tail follows.
        restart,  ///< Every snapshot failed after one was loaded: the objects are dirty; rebuild them and run without snapshots.
    };

    /// Resume from the newest valid snapshot (write mode with an existing journal). For each snapshot,
    /// newest first: checks its CRC, that the journal holds its record (a state_hash record with the
    /// same hash), loads it with `load(reader)` into the run's objects, and requires the state hash of
    /// `mm` at the snapshot's time to equal the one stored; a failure is a loud error on stderr and the
    /// previous snapshot is tried. On success the journal is positioned after the snapshot's record, so
    /// only the tail is re-checked. Call once, after session_start, before the run.
    template <class Engine, class F>
    restore_result restore(const Engine& mm, F& load) {
        bool loaded_any = false;
        for (auto it = snapshots_.rbegin(); it != snapshots_.rend(); ++it) {
            const std::string path = opt_.dir + "/" + *it;
            std::string why;
            auto snap = read_snapshot_file(path, why);
            if (!snap) {
                std::fprintf(stderr, "journal: snapshot %s unusable: %s; trying the previous one\n", it->c_str(), why.c_str());
                continue;
            }
            const snapshot_header& h = snap->header;
            if (!journal_has_hash(h)) {
                std::fprintf(stderr, "journal: snapshot %s: the journal has no state_hash record %" PRIu64 " with its hash; trying the previous one\n",
                             it->c_str(), h.seq);
                continue;
            }
            loaded_any = true;
            try {
                snapshot_reader ar(snap->body.data(), snap->body.size());
                load(ar);
                if (!ar.done()) ar.fail("bytes left over after the last field");
            } catch (const std::exception& e) {
                std::fprintf(stderr, "journal: snapshot %s cannot be loaded: %s; trying the previous one\n", it->c_str(), e.what());
                continue;
            }
            const std::uint64_t got = state_hash(mm, timestamp{h.ts}, risk_, scratch_);
            if (got != h.hash || static_cast<std::uint64_t>(mm.counters().events) != h.events) {
                std::fprintf(stderr, "journal: STATE HASH MISMATCH: snapshot %s stores %016" PRIx64 " but its loaded state hashes to %016" PRIx64
                                     "; trying the previous one\n", it->c_str(), h.hash, got);
                continue;
            }
            // Position the reader after the snapshot's record: only the tail is re-checked.
            journal_record r;
            while (reader_->next(r) && r.seq < h.seq) {}
            restored_seq_ = h.seq;
            last_ts_ = timestamp{h.ts};
            last_hash_ = h.hash;
            has_last_hash_ = true;
            ++hashes_checked_;
            last_decision_ = decision_of(mm);
            last_events_ = h.events;
            next_snapshot_ = h.events + opt_.snapshot_every;
            next_snapshot_ts_ = opt_.snapshot_every_ns > 0 ? h.ts + opt_.snapshot_every_ns : INT64_MAX;
            if (h.seq == writer_->last_seq()) reader_done_ = true;
            return restore_result::restored;
        }
        restart_ = loaded_any;
        return loaded_any ? restore_result::restart : restore_result::none;
    }

    /// True when restore() returned restart: the run must be rebuilt and re-run with use_snapshots = false.
    [[nodiscard]] bool restart_needed() const noexcept { return restart_; }
    /// Sequence number of the snapshot's record restore() resumed from (0: none).
    [[nodiscard]] std::uint64_t restored_from() const noexcept { return restored_seq_; }

    /// A market event, before the engine sees it.
    void on_input(const market_event& e) noexcept {
        if (e.ts > last_ts_) last_ts_ = e.ts;
        unsigned char buf[market_event_payload];
        encode_market_event(e, buf);
        emit(record_type::market_event, e.ts, buf, sizeof buf);
    }
    /// A timer tick at `t` (ns), before the engine sees it.
    void on_timer(timestamp t) noexcept {
        if (t > last_ts_) last_ts_ = t;
        emit(record_type::timer, t, nullptr, 0);
    }
    /// The kill switch fired at `t` (operator action).
    void on_kill_switch(timestamp t) noexcept {
        unsigned char buf[8] = {};
        const auto code = static_cast<std::uint32_t>(operator_action::kill_switch);
        std::memcpy(buf, &code, sizeof code);
        emit(record_type::operator_action, t, buf, sizeof buf);
    }
    /// A report the engine just booked.
    void on_report(const execution_report& r) noexcept {
        unsigned char buf[report_payload];
        encode_report(r, buf);
        emit(record_type::report, r.ts, buf, sizeof buf);
    }

    /// After each engine step (event, reports, timer) at `now` (ns): a decision record when the
    /// engine sent or refused something, and a state hash (+ snapshot) every snapshot_every events.
    template <class Engine>
    void after_step(timestamp now, const Engine& mm) noexcept {
        if (mode_ == recorder_mode::hash_only) return;
        if (now.ns() == INT64_MAX) now = last_ts_;
        const auto& c = mm.counters();
        const decision_state d = decision_of(mm);
        if (!(d == last_decision_)) {
            const bool sent = d.orders_sent != last_decision_.orders_sent || d.cancels_sent != last_decision_.cancels_sent ||
                              d.cancel_alls != last_decision_.cancel_alls;
            last_decision_ = d;
            unsigned char buf[decision_payload];
            encode_decision(d, buf);
            emit(record_type::decision, now, buf, sizeof buf);
            if (sent && writer_ && appending() && opt_.journal.sync.mode == sync_mode::decisions) writer_->sync();
        }
        // Snapshots only right after a market event (a restored run resumes at the next one).
        const bool event_step = c.events != last_events_;
        last_events_ = c.events;
        if (!event_step) return;
        if (next_snapshot_ts_ == 0) next_snapshot_ts_ = opt_.snapshot_every_ns > 0 ? now.ns() + opt_.snapshot_every_ns : INT64_MAX;
        const bool by_count = opt_.snapshot_every > 0 && c.events >= next_snapshot_;
        const bool by_time = now.ns() >= next_snapshot_ts_;
        if (by_count || by_time) {
            if (opt_.snapshot_every > 0) next_snapshot_ = c.events + opt_.snapshot_every;
            if (opt_.snapshot_every_ns > 0) next_snapshot_ts_ = now.ns() + opt_.snapshot_every_ns;
            hash_record(record_type::state_hash, now, mm);
        }
    }

    /// After the run: the final state hash (journaled as the end record).
    /// After the run: the final state hash (journaled as the end record).
    template <class Engine>
    void at_end(const Engine& mm) noexcept {
        if (mode_ == recorder_mode::hash_only) {
            try {
                final_hash_ = state_hash(mm, last_ts_, risk_, scratch_);
                has_final_ = true;
            } catch (...) {
                fail("out of memory while hashing the final state");
            }
            return;
        }
        hash_record(record_type::end, last_ts_, mm);
        if (has_last_hash_ && !failed_ && !(mode_ == recorder_mode::verify && stop_)) {
            final_hash_ = last_hash_;
            has_final_ = true;
        }
        if (writer_ && !failed_) writer_->sync();
    }

    /// True once the run should stop: a failure, or (verify) the journal has no more records.
    [[nodiscard]] bool stop_requested() const noexcept { return failed_ || stop_; }
    /// True when the run failed (I/O error or divergence); error() says why.
    [[nodiscard]] bool failed() const noexcept { return failed_; }
    /// What failed, naming the record ("" when nothing did).
    [[nodiscard]] const char* error() const noexcept { return error_; }
    /// The final state hash (valid when has_final_hash()).
    [[nodiscard]] std::uint64_t final_hash() const noexcept { return final_hash_; }
    /// True when the run reached its end and hashed the final state.
    [[nodiscard]] bool has_final_hash() const noexcept { return has_final_; }
    /// The hash this run computed at the last state_hash or end record it wrote or checked.
    [[nodiscard]] std::uint64_t last_hash() const noexcept { return last_hash_; }
    /// Records checked against the journal (re-execution).
    [[nodiscard]] std::uint64_t records_checked() const noexcept { return checked_; }
    /// Records appended.
    [[nodiscard]] std::uint64_t records_appended() const noexcept { return appended_; }
    /// State hash records (and end records) whose hash matched the journal's.
    [[nodiscard]] std::uint64_t hashes_checked() const noexcept { return hashes_checked_; }
    /// The journal's scan (verify/resume): what was found when reading it.
    [[nodiscard]] const journal_stats* journal_found() const noexcept { return reader_ ? &reader_->stats() : nullptr; }
    /// The writer (write mode), e.g. to ask what opening it cut off.
    [[nodiscard]] const journal_writer* writer() const noexcept { return writer_.get(); }

private:
    [[nodiscard]] bool appending() const noexcept { return reader_done_; }

    template <class Engine>
    [[nodiscard]] static decision_state decision_of(const Engine& mm) noexcept {
        const auto& c = mm.counters();
        decision_state d;
        d.orders_sent = c.orders_sent;
        d.cancels_sent = c.cancels_sent;
        d.risk_rejects = c.risk_rejects;
        d.cancel_alls = c.cancel_alls;
        d.hedges = c.hedges;
        d.venue_refusals = c.venue_refusals;
        const auto bid = mm.quote_on(side::buy);
        const auto ask = mm.quote_on(side::sell);
        if (bid.active) {
            d.bid_id = bid.id.value();
            d.bid_px = bid.px.ticks();
            d.bid_size = bid.size.lots();
            d.flags |= 1U;
        }
        if (ask.active) {
            d.ask_id = ask.id.value();
            d.ask_px = ask.px.ticks();
            d.ask_size = ask.size.lots();
            d.flags |= 2U;
        }
        if (mm.halted()) d.flags |= 4U;
        return d;
    }

    // True when the journal holds record h.seq as a state_hash record with hash h.hash and h.events.
    bool journal_has_hash(const snapshot_header& h) const {
        if (!writer_ || h.seq == 0 || h.seq > writer_->last_seq()) return false;
        journal_reader rd(opt_.dir);
        journal_record r;
        while (rd.next(r)) {
            if (r.seq < h.seq) continue;
            if (r.type != record_type::state_hash || r.length < state_hash_payload || r.ts.ns() != h.ts) return false;
            std::uint64_t hash = 0;
            std::uint64_t events = 0;
            std::memcpy(&hash, r.payload, 8);
            std::memcpy(&events, r.payload + 8, 8);
            return hash == h.hash && events == h.events;
        }
        return false;
    }

    template <class Engine>
    void hash_record(record_type type, timestamp now, const Engine& mm) noexcept {
        std::uint64_t h = 0;
        try {
            h = state_hash(mm, now, risk_, scratch_);
        } catch (...) {
            fail("out of memory while hashing the state");
            return;
        }
        unsigned char buf[state_hash_payload];
        encode_state_hash(h, static_cast<std::uint64_t>(mm.counters().events), buf);
        const bool was_appending = appending();
        if (!emit(type, now, buf, sizeof buf)) return;
        last_hash_ = h;
        has_last_hash_ = true;
        if (!was_appending) ++hashes_checked_;
        else if (writer_ && type == record_type::state_hash) write_snapshot(writer_->last_seq(), mm.counters().events, now, h);
    }

    // Checks the record against the journal while it has records, else appends it (write mode).
    // Returns true when the record was checked equal or appended.
    bool emit(record_type type, timestamp ts, const void* payload, std::uint32_t len) noexcept {
        if (failed_ || stop_ || mode_ == recorder_mode::hash_only) return false;
        if (!reader_done_) {
            journal_record r;
            bool got = false;
            try {
                got = reader_->next(r);
            } catch (const std::exception& e) {
                return fail(e.what());
            }
            if (got) {
                ++checked_;
                if (r.type != type || r.ts != ts || r.length != len || (len > 0 && std::memcmp(r.payload, payload, len) != 0))
                    return diverged(r, type, ts, payload, len);
                return true;
            }
            reader_done_ = true;
            if (mode_ == recorder_mode::verify) {
                stop_ = true;
                return false;
            }
        }
        if (!writer_) return false;
        const journal_status st = writer_->append(type, ts, payload, len);
        if (st != journal_status::ok)
            return fail(st == journal_status::too_large ? "journal record too large" : "journal I/O error: cannot create a new segment");
        ++appended_;
        return true;
    }

    bool diverged(const journal_record& r, record_type type, timestamp ts, const void* payload, std::uint32_t len) noexcept {
        failed_ = true;
        if ((r.type == record_type::state_hash || r.type == record_type::end) && r.type == type && r.length >= 8 && len >= 8) {
            std::uint64_t theirs = 0;
            std::uint64_t ours = 0;
            std::memcpy(&theirs, r.payload, 8);
            std::memcpy(&ours, payload, 8);
            std::snprintf(error_, sizeof error_,
                          "state hash mismatch at record %" PRIu64 " (%s): journal %016" PRIx64 ", this run %016" PRIx64, r.seq,
                          to_string(r.type).data(), theirs, ours);
        } else if (r.type == record_type::session_start) {
            std::snprintf(error_, sizeof error_,
                          "record 1 (session_start): the journal was written with other arguments; resume with the same inputs and flags");
        } else {
            std::snprintf(error_, sizeof error_,
                          "replay diverged at record %" PRIu64 ": journal has %s at ts %" PRId64 " (%u bytes), this run produced %s at ts %" PRId64
                          " (%u bytes)",
                          r.seq, to_string(r.type).data(), r.ts.ns(), r.length, to_string(type).data(), ts.ns(), len);
        }
        return false;
    }

    bool fail(const char* why) noexcept {
        failed_ = true;
        std::snprintf(error_, sizeof error_, "%s", why);
        return false;
    }

    // snapshot-<seq>.pns (journal/snapshot.hpp): the attached state saved through its persist hooks.
    // A snapshot is a checkpoint (the journal stays the truth): failing to write one does not stop the run.
    void write_snapshot(std::uint64_t seq, std::size_t events, timestamp ts, std::uint64_t hash) noexcept {
        if (save_state_ == nullptr) return;
        try {
            snap_.clear();
            save_state_(state_ctx_, snap_);
            (void)write_snapshot_file(opt_.dir, snapshot_header{seq, static_cast<std::uint64_t>(events), ts.ns(), hash}, snap_.bytes(),
                                      opt_.journal.sync.mode != sync_mode::none, opt_.snapshots_kept);
        } catch (...) {
        }
    }

    recorder_mode mode_;
    recorder_options opt_;
    std::unique_ptr<journal_writer> writer_;
    std::unique_ptr<journal_reader> reader_;
    external_risk_state risk_{};
    state_buffer scratch_;
    decision_state last_decision_{};
    timestamp last_ts_{INT64_MIN};
    std::uint64_t next_snapshot_ = 0;
    std::int64_t next_snapshot_ts_ = 0;  // 0: set at the first event
    std::uint64_t last_events_ = 0;
    std::uint64_t restored_seq_ = 0;
    std::vector<std::string> snapshots_;
    snapshot_writer snap_;
    void* state_ctx_ = nullptr;
    void (*save_state_)(void*, snapshot_writer&) = nullptr;
    std::uint64_t checked_ = 0;
    std::uint64_t appended_ = 0;
    std::uint64_t hashes_checked_ = 0;
    std::uint64_t last_hash_ = 0;
    std::uint64_t final_hash_ = 0;
    bool has_last_hash_ = false;
    bool has_final_ = false;
    bool reader_done_ = false;
    bool restart_ = false;
    bool failed_ = false;
    bool stop_ = false;
    char error_[320] = {};
};

} // namespace v0
} // namespace pinnacle

// Fuzzes the journal's segment scanner and payload decoders (journal/journal.hpp, codec.hpp):
// the input is the bytes after a valid segment header (the seeds are slices of real segments),
// and also scanned raw, header included. Whatever the bytes, the scan must stay in bounds, stop
// at the first invalid record and hand out only records whose CRC32C matched.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "pinnacle/journal/codec.hpp"
#include "pinnacle/journal/journal.hpp"

using namespace pinnacle;

namespace {
void check_records(const unsigned char* data, std::size_t size, std::uint64_t first_seq) {
    std::uint64_t expect = first_seq;
    const segment_scan s = scan_segment(data, size, 0, first_seq, [&](const journal_record& r) {
        if (r.seq != expect++) __builtin_trap();
        if (r.payload < data || r.payload + r.length > data + size) __builtin_trap();
        market_event e;
        execution_report x;
        decision_state d;
        std::uint64_t h = 0;
        std::uint64_t n = 0;
        (void)decode_market_event(r.payload, r.length, r.ts, e);
        (void)decode_report(r.payload, r.length, r.ts, x);
        (void)decode_decision(r.payload, r.length, d);
        (void)decode_state_hash(r.payload, r.length, h, n);
    });
    if (s.end > size) __builtin_trap();
    if (s.next_seq != first_seq + s.records) __builtin_trap();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::uint64_t first_seq = 1;
    if (size >= 16) std::memcpy(&first_seq, data + 8, 8);  // a record header's seq field
    segment_header h;
    std::memcpy(h.magic, journal_format::magic, sizeof h.magic);
    h.version = journal_format::version;
    h.header_size = journal_format::segment_header_size;
    h.size = 4096;
    h.first_seq = first_seq;
    h.crc = segment_crc(h);
    std::vector<unsigned char> seg(sizeof h + size);
    std::memcpy(seg.data(), &h, sizeof h);
    if (size > 0) std::memcpy(seg.data() + sizeof h, data, size);
    check_records(seg.data(), seg.size(), first_seq);
    check_records(data, size, 1);  // raw: the header itself is fuzzed too
    return 0;
}

// Uses the installed pinnacle::journal: writes a few records to a journal in a temporary
// directory, reads them back (CRC-checked) and hashes with xxHash3 (libxxhash). Exit 0 on success.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "pinnacle/journal/journal.hpp"
#include "pinnacle/journal/snapshot.hpp"
#include "pinnacle/journal/state_hash.hpp"

int main() {
    using namespace pinnacle;
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("pinnacle_find_package_journal_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    {
        journal_options o;
        o.segment_size = 1 << 16;
        journal_writer w(dir.string(), o);
        for (int i = 0; i < 100; ++i)
            if (w.append(record_type::timer, timestamp{1000 + i}, nullptr, 0) != journal_status::ok) return 1;
    }
    journal_reader r(dir.string());
    journal_record rec;
    int n = 0;
    while (r.next(rec)) ++n;
    snapshot_writer sw;
    sw.value(n);
    const std::string h = to_hex(xxh3_64(sw.bytes().data(), sw.bytes().size()));
    std::filesystem::remove_all(dir);
    std::printf("journal consumer: %d records, hash %s\n", n, h.c_str());
    return n == 100 && h.size() == 16 ? 0 : 1;
}

// Compiled as -std=gnu++14 (see quickfix_peer.hpp): the only file of the benchmark that includes QuickFIX.
#include "quickfix_peer.hpp"

#include <quickfix/DataDictionary.h>
#include <quickfix/Message.h>

namespace pinnacle_bench {

struct quickfix_peer::impl {
    explicit impl(const char* path) : dictionary(path) {}
    FIX::DataDictionary dictionary;
    FIX::Message message;
    std::string out;
};

quickfix_peer::quickfix_peer(const char* dictionary_xml) : impl_(new impl(dictionary_xml)) {}
quickfix_peer::~quickfix_peer() = default;

bool quickfix_peer::parse(const std::string& text, bool validate) {
    try {
        impl_->message.setString(text, true, &impl_->dictionary);
        if (validate) impl_->dictionary.validate(impl_->message);
        return true;
    } catch (const FIX::Exception&) {
        return false;
    }
}

std::size_t quickfix_peer::to_string() {
    impl_->message.toString(impl_->out);
    return impl_->out.size();
}

} // namespace pinnacle_bench

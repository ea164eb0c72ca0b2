#include "quoter/quoter.hpp"

pinnacle::price quote_ask(pinnacle::price mid, std::int64_t half_spread) { return mid + pinnacle::price{half_spread}; }

// Mistake: comparing a price with a quantity (e.g. a size limit checked against a price).
// Ordering is defined only between values of the same type.
#include "pinnacle/core/types.hpp"

using pinnacle::price;
using pinnacle::qty;

int main() {
    const price px{100};
    const qty size{300};
    const qty limit{1'000};
    const bool within = size <= limit;
#ifdef PINNACLE_EXPECT_COMPILE_ERROR
    const bool wrong = px <= limit;  // error: no ordering between price and qty
    (void)wrong;
#endif
    return within && px > price{0} ? 0 : 1;
}

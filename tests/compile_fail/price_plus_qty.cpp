// Mistake: adding a quantity to a price. + and - exist only between values of the same type;
// the one mixed operation is price * qty, which gives a notional.
#include "pinnacle/core/types.hpp"

using pinnacle::price;
using pinnacle::qty;

int main() {
    const price px{1'234'500};
    const qty size{300};
    const price moved = px + price{100};
    const pinnacle::notional value = px * size;
#ifdef PINNACLE_EXPECT_COMPILE_ERROR
    const auto wrong = px + size;  // error: no operator+(price, qty)
    (void)wrong;
#endif
    return moved > px && value.tick_lots() == 370'350'000 ? 0 : 1;
}

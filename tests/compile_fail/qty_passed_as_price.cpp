// Mistake: passing a quantity where an API expects a price (arguments swapped at a call site).
#include "pinnacle/core/instrument.hpp"
#include "pinnacle/core/types.hpp"

using pinnacle::price;
using pinnacle::qty;

// A function in the style of the library's: a limit price in ticks, then a size in lots.
[[nodiscard]] constexpr pinnacle::notional cost(price px, qty size) noexcept { return px * size; }

int main() {
    const pinnacle::instrument inst = pinnacle::lobster_instrument("AMZN");
    const price px{1'234'500};
    const qty size{300};
    const double dollars = inst.to_currency(px);
    const pinnacle::notional value = cost(px, size);
#ifdef PINNACLE_EXPECT_COMPILE_ERROR
    const pinnacle::notional swapped = cost(size, px);  // error: qty is not a price
    (void)swapped;
#endif
    return dollars > 0 && value.tick_lots() > 0 ? 0 : 1;
}

// Mistake: building a price out of a quantity. `price` has no constructor from `qty`, and `qty`
// does not decay to an integer, so the lots cannot become ticks by accident.
#include <type_traits>

#include "pinnacle/core/types.hpp"

using pinnacle::price;
using pinnacle::qty;

static_assert(std::is_constructible_v<price, std::int64_t>);
static_assert(!std::is_constructible_v<price, qty>);

int main() {
    const qty size{300};
    const price px{size.lots()};  // fine: the conversion is spelled out
#ifdef PINNACLE_EXPECT_COMPILE_ERROR
    const price wrong{size};  // error: no price(qty)
    (void)wrong;
#endif
    return px.ticks() == 300 ? 0 : 1;
}

// Mistake: a bare integer used as a price. The constructor is explicit, so the unit (ticks) has to
// be named where the number enters.
#include <type_traits>

#include "pinnacle/core/types.hpp"

using pinnacle::price;

static_assert(!std::is_convertible_v<int, price>);
static_assert(!std::is_convertible_v<std::int64_t, price>);

[[nodiscard]] constexpr price improve(price px) noexcept { return px + price{1}; }

int main() {
    const price px = improve(price{100});
#ifdef PINNACLE_EXPECT_COMPILE_ERROR
    const price wrong = improve(100);  // error: 100 does not convert to price implicitly
    (void)wrong;
#endif
    return px.ticks() == 101 ? 0 : 1;
}

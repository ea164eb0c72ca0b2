// Tests for apps/as_monte_carlo.hpp: the Monte Carlo of Avellaneda and Stoikov (2008), section 4.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "pinnacle/apps/as_monte_carlo.hpp"

using namespace pinnacle;

namespace {

// The paper's setting with 1000 paths and the default seed: the table the docs and the example show.
// Computed once; every test reading it is about the same numbers.
const std::vector<as_mc_cell>& default_table() {
    static const std::vector<as_mc_cell> t = run_as_monte_carlo_table(as_monte_carlo_config{});
    return t;
}

// Row i of a table in the paper's order (gamma 0.1, 0.01, 0.5; inventory then symmetric).
constexpr std::size_t row(std::size_t gamma_index, as_mc_strategy s) {
    return 2 * gamma_index + (s == as_mc_strategy::symmetric ? 1 : 0);
}

bool same_estimate(const as_mc_estimate& a, const as_mc_estimate& b) {
    return a.mean == b.mean && a.sd == b.sd && a.se_mean == b.se_mean && a.se_sd == b.se_sd;
}

bool same_cell(const as_mc_cell& a, const as_mc_cell& b) {
    return a.gamma == b.gamma && a.strategy == b.strategy && a.paths == b.paths && a.steps == b.steps &&
           a.arrival_spread == b.arrival_spread && same_estimate(a.spread, b.spread) && same_estimate(a.profit, b.profit) &&
           same_estimate(a.final_q, b.final_q) && a.bid_fills == b.bid_fills && a.ask_fills == b.ask_fills &&
           a.crossed_fraction == b.crossed_fraction && a.capped_fraction == b.capped_fraction;
}

} // namespace

TEST_CASE("uniform01_from_bits and as_mc_bernoulli are exact functions of the 64 bits") {
    // The generator is the standard's: [rand.predef] fixes the 10000th output of a default mt19937_64.
    std::mt19937_64 g;
    g.discard(9999);
    CHECK(g() == 9981545732273789042ULL);

    CHECK(uniform01_from_bits(0) == 0.0);
    CHECK(uniform01_from_bits(std::uint64_t{1} << 11) == 0x1p-53);
    CHECK(uniform01_from_bits(std::uint64_t{1} << 63) == 0.5);
    CHECK(uniform01_from_bits(~std::uint64_t{0}) == 1.0 - 0x1p-53);
    CHECK(uniform01_from_bits(~std::uint64_t{0}) < 1.0);

    const std::uint64_t half = std::uint64_t{1} << 63;  // uniform exactly 0.5
    CHECK_FALSE(as_mc_bernoulli(half, 0.5));            // u < p, strictly
    CHECK(as_mc_bernoulli(half - 1, 0.5));
    CHECK(as_mc_bernoulli(~std::uint64_t{0}, 1.0));     // p >= 1 always fills: the cap at 1
    CHECK(as_mc_bernoulli(~std::uint64_t{0}, 3.7));
    CHECK_FALSE(as_mc_bernoulli(0, 0.0));               // p <= 0 never does
    CHECK_FALSE(as_mc_bernoulli(0, -1.0));
    CHECK_FALSE(as_mc_bernoulli(0, std::numeric_limits<double>::quiet_NaN()));
}

TEST_CASE("as_mc_steps, as_mc_check and bad settings") {
    CHECK(as_mc_steps(1.0, 0.005) == 200);
    CHECK(as_mc_steps(1.0, 0.1) == 10);
    CHECK(as_mc_steps(1.0, 0.003) == 0);  // 333.33 steps
    CHECK(as_mc_steps(1.0, 0.0) == 0);
    CHECK(as_mc_steps(-1.0, 0.005) == 0);
    CHECK(as_mc_steps(1.0, 2.0) == 0);

    CHECK(as_mc_check(as_monte_carlo_config{}).empty());
    as_monte_carlo_config c;
    c.paths = 1;
    CHECK(as_mc_check(c).find("paths") != std::string_view::npos);
    c = {};
    c.dt = 0.003;
    CHECK(as_mc_check(c).find("whole number of steps") != std::string_view::npos);
    c = {};
    c.k = 0.0;
    CHECK(as_mc_check(c).find(".k") != std::string_view::npos);
    c = {};
    c.sigma = std::numeric_limits<double>::infinity();
    CHECK(as_mc_check(c).find("sigma") != std::string_view::npos);
    c = {};
    c.a = -1.0;
    CHECK(as_mc_check(c).find(".a") != std::string_view::npos);
    c = {};
    c.order_size = 0;
    CHECK(as_mc_check(c).find("order_size") != std::string_view::npos);
    CHECK_FALSE(as_mc_check_gamma(0.0).empty());
    CHECK_FALSE(as_mc_check_gamma(std::numeric_limits<double>::quiet_NaN()).empty());
    CHECK(as_mc_check_gamma(0.1).empty());

    c = {};
    c.paths = 1;
    CHECK_THROWS_AS((void)run_as_monte_carlo_cell(c, 0.1, as_mc_strategy::inventory), std::invalid_argument);
    CHECK_THROWS_AS((void)run_as_monte_carlo_cell(as_monte_carlo_config{}, -0.1, as_mc_strategy::inventory),
                    std::invalid_argument);
}

TEST_CASE("same seed, same numbers; another seed, other numbers") {
    as_monte_carlo_config c;
    c.paths = 200;
    const std::vector<as_mc_cell> a = run_as_monte_carlo_table(c);
    const std::vector<as_mc_cell> b = run_as_monte_carlo_table(c);
    REQUIRE(a.size() == 6);
    REQUIRE(b.size() == 6);
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(same_cell(a[i], b[i]));

    c.seed = 2009;
    const std::vector<as_mc_cell> other = run_as_monte_carlo_table(c);
    REQUIRE(other.size() == 6);
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(other[i].profit.mean != a[i].profit.mean);
        CHECK(other[i].profit.sd != a[i].profit.sd);
        CHECK(other[i].bid_fills + other[i].ask_fills != a[i].bid_fills + a[i].ask_fills);
    }

    // A cell alone is the same as that cell in the table: each cell restarts the generator.
    CHECK(same_cell(run_as_monte_carlo_cell(c, 0.5, as_mc_strategy::symmetric), other[5]));
}

TEST_CASE("golden numbers: the same on every standard library") {
    // 20 paths, seed 1, gamma 0.1. Integers are exact; the profit is a sum of a few thousand
    // prices. A different standard library must give these too: nothing implementation-defined is used.
    as_monte_carlo_config c;
    c.paths = 20;
    c.seed = 1;
    const as_mc_cell inv = run_as_monte_carlo_cell(c, 0.1, as_mc_strategy::inventory);
    CHECK(inv.bid_fills * 20.0 == 943.0);
    CHECK(inv.ask_fills * 20.0 == 962.0);
    CHECK(inv.final_q.mean * 20.0 == doctest::Approx(-19.0).epsilon(1e-12));
    CHECK(inv.profit.mean == doctest::Approx(64.127621469426472).epsilon(1e-12));
    CHECK(inv.profit.sd == doctest::Approx(6.4942256973905348).epsilon(1e-12));
    const as_mc_cell sym = run_as_monte_carlo_cell(c, 0.1, as_mc_strategy::symmetric);
    CHECK(sym.bid_fills * 20.0 == 886.0);
    CHECK(sym.ask_fills * 20.0 == 933.0);
    CHECK(sym.profit.mean == doctest::Approx(65.846939377891857).epsilon(1e-12));
}

TEST_CASE("the paper's spread column is (2/gamma) ln(1 + gamma/k), to 2 decimals") {
    const as_monte_carlo_config c;
    const double expected[] = {1.29, 1.29, 1.33, 1.33, 1.15, 1.15};  // as printed in the paper
    const std::vector<as_mc_cell>& t = default_table();
    REQUIRE(t.size() == 6);
    for (std::size_t i = 0; i < t.size(); ++i) {
        CAPTURE(i);
        CHECK(std::round(t[i].arrival_spread * 100.0) / 100.0 == doctest::Approx(expected[i]).epsilon(1e-12));
        CHECK(std::round(t[i].arrival_spread * 100.0) / 100.0 == doctest::Approx(as_paper_table[i].spread).epsilon(1e-12));
        // The quoted spread we measure adds gamma sigma^2 (T - t), whose mean over t = 0, dt, ..,
        // T - dt is gamma sigma^2 (T + dt) / 2: 0.201, 0.0201 and 1.005 for the paper's gammas.
        const double time_term = t[i].gamma * c.sigma * c.sigma * (c.horizon + c.dt) / 2.0;
        CHECK(t[i].spread.mean == doctest::Approx(t[i].arrival_spread + time_term).epsilon(1e-12));
    }
    CHECK(t[4].spread.mean - t[4].arrival_spread == doctest::Approx(1.005).epsilon(1e-12));

    as_monte_carlo_config arrival;
    arrival.paths = 2;
    arrival.spread = as_mc_spread::arrival_only;
    for (const double g : as_paper_gammas) {
        const as_mc_cell cell = run_as_monte_carlo_cell(arrival, g, as_mc_strategy::symmetric);
        CHECK(cell.spread.mean == doctest::Approx(cell.arrival_spread).epsilon(1e-12));
    }
}

TEST_CASE("the paper's qualitative findings hold (1000 paths)") {
    const std::vector<as_mc_cell>& t = default_table();
    REQUIRE(t.size() == 6);
    for (std::size_t g = 0; g < 3; ++g) {
        const as_mc_cell& inv = t[row(g, as_mc_strategy::inventory)];
        const as_mc_cell& sym = t[row(g, as_mc_strategy::symmetric)];
        CAPTURE(inv.gamma);
        // "The inventory strategy has a P&L profile with much smaller variance ... and final
        // inventories with significantly less variance": much smaller, and beyond Monte Carlo error.
        CHECK(inv.profit.sd < 0.75 * sym.profit.sd);
        CHECK(inv.final_q.sd < 0.70 * sym.final_q.sd);
        CHECK(sym.profit.sd - inv.profit.sd > 3.0 * std::hypot(sym.profit.se_sd, inv.profit.se_sd));
        CHECK(sym.final_q.sd - inv.final_q.sd > 3.0 * std::hypot(sym.final_q.se_sd, inv.final_q.se_sd));
    }
    for (const as_mc_cell& c : t) {
        CAPTURE(c.gamma);
        CAPTURE(to_string(c.strategy));
        CHECK(c.profit.mean - 3.0 * c.profit.se_mean > 0.0);       // both strategies make money
        CHECK(std::fabs(c.final_q.mean) < 3.0 * c.final_q.se_mean); // and end flat on average
    }
    // More risk aversion: tighter inventory and less profit (paper: sd(q) 1.88 < 2.80 < 4.70,
    // profit 33.92 < 62.94 < 66.78 for gamma 0.5, 0.1, 0.01).
    const as_mc_cell& g01 = t[row(0, as_mc_strategy::inventory)];
    const as_mc_cell& g001 = t[row(1, as_mc_strategy::inventory)];
    const as_mc_cell& g05 = t[row(2, as_mc_strategy::inventory)];
    CHECK(g05.final_q.sd < g01.final_q.sd);
    CHECK(g01.final_q.sd < g001.final_q.sd);
    CHECK(g05.profit.mean < g01.profit.mean);
    CHECK(g01.profit.mean < g001.profit.mean);
}

TEST_CASE("our figures against the paper's, within 3 standard errors where they agree") {
    const std::vector<as_mc_cell>& t = default_table();
    REQUIRE(t.size() == 6);
    std::vector<as_mc_comparison> d;
    for (std::size_t i = 0; i < t.size(); ++i) d.push_back(as_mc_compare(t[i], as_paper_table[i]));
    constexpr auto inv = as_mc_strategy::inventory;
    constexpr auto sym = as_mc_strategy::symmetric;

    // Agreeing: every mean final q; sd(q) except gamma 0.5 symmetric; the gamma 0.1 and 0.01
    // symmetric profit sd and the gamma 0.01 inventory one; the gamma 0.1 symmetric mean profit.
    for (std::size_t i = 0; i < t.size(); ++i) {
        CAPTURE(i);
        CHECK(std::fabs(d[i].final_q.z) < 3.0);
        if (i != row(2, sym)) CHECK(std::fabs(d[i].sd_final_q.z) < 3.0);
    }
    CHECK(std::fabs(d[row(0, sym)].sd_profit.z) < 3.0);
    CHECK(std::fabs(d[row(1, inv)].sd_profit.z) < 3.0);
    CHECK(std::fabs(d[row(1, sym)].sd_profit.z) < 3.0);
    CHECK(std::fabs(d[row(0, sym)].profit.z) < 3.0);
    // An agreeing figure, checked by hand: gamma 0.1 symmetric profit 68.43 vs 67.21, se 0.43 and 0.42.
    CHECK(t[row(0, sym)].profit.mean == doctest::Approx(67.21).epsilon(0.03));

    // Disagreeing, explained in docs/avellaneda-stoikov.md: if one of these starts to agree, the
    // explanation there is out of date.
    CHECK(d[row(0, inv)].profit.z > 3.0);   // fills not seeing the move: ~ +2 over the paper
    CHECK(d[row(2, inv)].profit.z > 30.0);  // full spread: 48.6 vs 33.92
    CHECK(d[row(2, sym)].profit.z < -3.0);  // full spread: 58.8 vs 66.20
    CHECK(d[row(2, sym)].sd_final_q.z < -3.0);
}

TEST_CASE("the explanations: constant spread and fills after the move reproduce 23 of 24 figures") {
    // The reading of the paper in docs/avellaneda-stoikov.md: both strategies quote the constant
    // (2/gamma) ln(1 + gamma/k) (the paper's spread column), and the mid moves before the fills.
    as_monte_carlo_config c;
    c.spread = as_mc_spread::arrival_only;
    c.fill_distance = as_mc_fill_distance::next_mid;
    const std::vector<as_mc_cell> t = run_as_monte_carlo_table(c);
    REQUIRE(t.size() == 6);
    int agree = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const as_mc_comparison d = as_mc_compare(t[i], as_paper_table[i]);
        for (const double z : {d.profit.z, d.sd_profit.z, d.final_q.z, d.sd_final_q.z}) agree += std::fabs(z) < 3.0 ? 1 : 0;
    }
    CHECK(agree == 23);
    // The one left: gamma 0.5 inventory profit, 21.0 against 33.92 (no reading we tried gives it).
    CHECK(as_mc_compare(t[4], as_paper_table[4]).profit.z < -30.0);
    // gamma 0.5 symmetric, far off with the full spread, agrees in all four figures.
    const as_mc_comparison sym05 = as_mc_compare(t[5], as_paper_table[5]);
    CHECK(std::fabs(sym05.profit.z) < 3.0);
    CHECK(std::fabs(sym05.sd_profit.z) < 3.0);
    CHECK(std::fabs(sym05.final_q.z) < 3.0);
    CHECK(std::fabs(sym05.sd_final_q.z) < 3.0);
}

TEST_CASE("diagnostic switches do what they say") {
    as_monte_carlo_config c;
    c.paths = 200;
    // Distances from the reservation price make the inventory strategy's fills blind to q: it then
    // keeps as much inventory as the symmetric one (and as the paper's inventory strategy does not).
    c.fill_distance = as_mc_fill_distance::reservation;
    const as_mc_cell inv = run_as_monte_carlo_cell(c, 0.1, as_mc_strategy::inventory);
    const as_mc_cell sym = run_as_monte_carlo_cell(c, 0.1, as_mc_strategy::symmetric);
    CHECK(inv.final_q.sd == sym.final_q.sd);
    CHECK(inv.crossed_fraction > 0.0);

    // Quotes clamped at the mid are never beyond it when they fill, so no probability is capped
    // (delta >= 0 gives at most A dt = 0.7); they still count as crossed (counted before the clamp),
    // and clamping only ever widens the quoted spread beyond the model's.
    c = {};
    c.paths = 200;
    const double model_spread = avellaneda_stoikov::optimal_spread(0.5, c.sigma, 0.0, c.k) +
                                0.5 * c.sigma * c.sigma * (c.horizon + c.dt) / 2.0;
    c.crossing = as_mc_crossing::clamp_to_mid;
    const as_mc_cell clamped = run_as_monte_carlo_cell(c, 0.5, as_mc_strategy::inventory);
    CHECK(clamped.capped_fraction == 0.0);
    CHECK(clamped.crossed_fraction > 0.01);
    CHECK(clamped.spread.mean > model_spread + 0.01);
    c.crossing = as_mc_crossing::literal;
    const as_mc_cell literal = run_as_monte_carlo_cell(c, 0.5, as_mc_strategy::inventory);
    CHECK(literal.capped_fraction > 0.0);
    CHECK(literal.crossed_fraction > 0.01);
    CHECK(literal.spread.mean == doctest::Approx(model_spread).epsilon(1e-12));

    // No intensity, no fills: profit and inventory stay exactly 0.
    c = {};
    c.paths = 5;
    c.a = 0.0;
    const as_mc_cell idle = run_as_monte_carlo_cell(c, 0.1, as_mc_strategy::inventory);
    CHECK(idle.profit.mean == 0.0);
    CHECK(idle.profit.sd == 0.0);
    CHECK(idle.final_q.sd == 0.0);
    CHECK(idle.bid_fills == 0.0);
}

// simulate_market: the Monte Carlo of Avellaneda and Stoikov, "High-frequency trading in a limit
// order book", Quantitative Finance 8(3), 2008, section 4, printed beside the paper's table.
//
//   simulate_market [--paths N] [--seed S] [--json FILE] [diagnostic options]
//
// A figure of ours is marked '*' when it differs from the paper's by more than 3 standard errors
// of the difference (both are Monte Carlo estimates; see as_mc_compare). The spread is not marked:
// the paper's spread column is the exact (2/gamma) ln(1 + gamma/k), printed as "exact".
// Exit 0 on success (marks are findings, not failures), 2 on bad flags or an unwritable JSON file.

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "json_report.hpp"
#include "pinnacle/apps/as_monte_carlo.hpp"
#include "pinnacle/apps/output_file.hpp"

namespace {

using pinnacle_examples::bad_flag;
using pinnacle_examples::parse_double;
using pinnacle_examples::parse_unsigned;

constexpr const char* usage =
    "usage: simulate_market [--paths N] [--seed S] [--json FILE] [diagnostic options]\n"
    "  --paths N          paths per (gamma, strategy) cell, 2 to 1000000 (default 1000, as the paper)\n"
    "  --seed S           seed of the std::mt19937_64 generator, 0 to 2^64-1 (default 2008)\n"
    "  --json FILE        also write every figure, its standard error and the paper's as JSON\n"
    "diagnostic options (docs/avellaneda-stoikov.md; the defaults are the model as specified):\n"
    "  --spread R         full (default) or arrival-only: total spread without gamma sigma^2 (T-t)\n"
    "  --fill-distance F  quote-mid (default), next-mid (the mid moves before the fills) or\n"
    "                     reservation (delta measured from r instead of the mid)\n"
    "  --crossing C       literal (default) or clamp: a quote beyond the mid is moved to it\n"
    "  --dt D             time step, T/D a whole number (default 0.005; smaller -> continuous time)\n";

// One figure with its standard error and the paper's, marked when |z| > 3.
std::string figure(double ours, double se, double paper, double z, const char* fmt) {
    char buf[96];
    std::snprintf(buf, sizeof buf, fmt, ours, se, std::fabs(z) > 3.0 ? '*' : ' ', paper);
    return buf;
}

pinnacle_examples::json json_estimate(const pinnacle::as_mc_estimate& e) {
    return pinnacle_examples::json{{"mean", e.mean}, {"sd", e.sd}, {"se_mean", e.se_mean}, {"se_sd", e.se_sd}};
}

pinnacle_examples::json json_deviation(const pinnacle::as_mc_deviation& d) {
    return pinnacle_examples::json{{"diff", d.diff}, {"se", d.se}, {"z", d.z}};
}

} // namespace

int main(int argc, char** argv) {
    using namespace pinnacle;
    as_monte_carlo_config cfg;
    std::string json_path;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string_view a = argv[i];
            if (a == "--help" || a == "-h") {
                std::fputs(usage, stdout);
                return 0;
            }
            if (a.substr(0, 2) != "--") throw bad_flag{"unexpected argument '" + std::string(a) + "'"};
            if (a != "--paths" && a != "--seed" && a != "--json" && a != "--spread" && a != "--fill-distance" &&
                a != "--crossing" && a != "--dt")
                throw bad_flag{"unknown flag '" + std::string(a) + "'"};
            if (i + 1 >= argc) throw bad_flag{std::string(a) + " needs a value"};
            const char* v = argv[++i];
            const std::string_view value = v;
            if (a == "--paths") cfg.paths = static_cast<std::size_t>(parse_unsigned(a, v, 2, 1'000'000));
            else if (a == "--seed") cfg.seed = parse_unsigned(a, v, 0, ~0ULL);
            else if (a == "--dt") cfg.dt = parse_double(a, v);
            else if (a == "--json") {
                if (value.empty()) throw bad_flag{"--json needs a file name"};
                json_path = v;
            } else if (a == "--spread") {
                if (value == "full") cfg.spread = as_mc_spread::full;
                else if (value == "arrival-only") cfg.spread = as_mc_spread::arrival_only;
                else throw bad_flag{"--spread must be full or arrival-only, got '" + std::string(value) + "'"};
            } else if (a == "--fill-distance") {
                if (value == "quote-mid") cfg.fill_distance = as_mc_fill_distance::quote_mid;
                else if (value == "next-mid") cfg.fill_distance = as_mc_fill_distance::next_mid;
                else if (value == "reservation") cfg.fill_distance = as_mc_fill_distance::reservation;
                else throw bad_flag{"--fill-distance must be quote-mid, next-mid or reservation, got '" + std::string(value) + "'"};
            } else {
                if (value == "literal") cfg.crossing = as_mc_crossing::literal;
                else if (value == "clamp") cfg.crossing = as_mc_crossing::clamp_to_mid;
                else throw bad_flag{"--crossing must be literal or clamp, got '" + std::string(value) + "'"};
            }
        }
        if (const std::string_view why = as_mc_check(cfg); !why.empty()) throw bad_flag{std::string(why)};
    } catch (const bad_flag& e) {
        std::fprintf(stderr, "simulate_market: %s\n%s", e.what.c_str(), usage);
        return 2;
    }

    const std::vector<as_mc_cell> cells = run_as_monte_carlo_table(cfg);

    std::printf("simulate_market: Avellaneda & Stoikov (2008) section 4 Monte Carlo\n");
    std::printf("model   s0=%g T=%g sigma=%g dt=%g (%zu steps) k=%g A=%g order size %lld\n", cfg.s0, cfg.horizon, cfg.sigma,
                cfg.dt, as_mc_steps(cfg.horizon, cfg.dt), cfg.k, cfg.a, static_cast<long long>(cfg.order_size));
    std::printf("run     %zu paths per cell (paper: %zu), seed %llu, spread %s, fill distance %s, crossing %s\n", cfg.paths,
                as_paper_paths, static_cast<unsigned long long>(cfg.seed), std::string(to_string(cfg.spread)).c_str(),
                std::string(to_string(cfg.fill_distance)).c_str(), std::string(to_string(cfg.crossing)).c_str());
    std::printf("\n");
    std::printf("                   |       spread       |        profit        |      sd(profit)      |       final q        |        sd(q)         |  in %%\n");
    std::printf("gamma strategy     | exact  ours  paper |  ours   (se)   paper |  ours   (se)   paper |  ours  (se)    paper |  ours  (se)    paper | cross capped\n");

    std::size_t flagged = 0;
    std::string flagged_lines;
    pinnacle_examples::json json;
    json["model"] = "Avellaneda and Stoikov (2008), Quantitative Finance 8(3), section 4";
    json["config"] = pinnacle_examples::json{{"s0", cfg.s0}, {"T", cfg.horizon}, {"sigma", cfg.sigma}, {"dt", cfg.dt},
                                             {"steps", as_mc_steps(cfg.horizon, cfg.dt)}, {"k", cfg.k}, {"A", cfg.a},
                                             {"order_size", static_cast<long long>(cfg.order_size)}, {"paths", cfg.paths},
                                             {"seed", static_cast<unsigned long long>(cfg.seed)},
                                             {"spread", std::string(to_string(cfg.spread))},
                                             {"fill_distance", std::string(to_string(cfg.fill_distance))},
                                             {"crossing", std::string(to_string(cfg.crossing))}};
    pinnacle_examples::json cells_json = pinnacle_examples::json::array();

    for (std::size_t i = 0; i < cells.size(); ++i) {
        const as_mc_cell& c = cells[i];
        const as_paper_row& p = as_paper_table[i];
        const as_mc_comparison d = as_mc_compare(c, p);
        const std::string name(to_string(c.strategy));
        std::printf("%5.2f %-12s | %5.3f  %5.3f  %4.2f | %s | %s | %s | %s | %5.2f  %5.2f\n", c.gamma, name.c_str(),
                    c.arrival_spread, c.spread.mean, p.spread,
                    figure(c.profit.mean, c.profit.se_mean, p.profit, d.profit.z, "%6.2f (%4.2f)%c %6.2f").c_str(),
                    figure(c.profit.sd, c.profit.se_sd, p.sd_profit, d.sd_profit.z, "%6.2f (%4.2f)%c %6.2f").c_str(),
                    figure(c.final_q.mean, c.final_q.se_mean, p.final_q, d.final_q.z, "%6.2f (%4.2f)%c %6.3f").c_str(),
                    figure(c.final_q.sd, c.final_q.se_sd, p.sd_final_q, d.sd_final_q.z, "%6.2f (%4.2f)%c %6.2f").c_str(),
                    100.0 * c.crossed_fraction, 100.0 * c.capped_fraction);

        const struct {
            const char* name;
            double ours;
            double paper;
            const as_mc_deviation& dev;
        } figures[] = {{"profit", c.profit.mean, p.profit, d.profit},
                       {"sd_profit", c.profit.sd, p.sd_profit, d.sd_profit},
                       {"final_q", c.final_q.mean, p.final_q, d.final_q},
                       {"sd_final_q", c.final_q.sd, p.sd_final_q, d.sd_final_q}};
        pinnacle_examples::json flagged_here = pinnacle_examples::json::array();
        for (const auto& f : figures) {
            if (!(std::fabs(f.dev.z) > 3.0)) continue;
            ++flagged;
            char buf[192];
            std::snprintf(buf, sizeof buf, "  gamma %g %s %s: ours %.3f, paper %.3f, difference %+.3f = %+.1f se\n", c.gamma,
                          name.c_str(), f.name, f.ours, f.paper, f.dev.diff, f.dev.z);
            flagged_lines += buf;
            flagged_here.push_back(f.name);
        }

        pinnacle_examples::json cell;
        cell["gamma"] = c.gamma;
        cell["strategy"] = name;
        cell["paths"] = c.paths;
        cell["steps"] = c.steps;
        cell["arrival_spread"] = c.arrival_spread;
        cell["spread"] = json_estimate(c.spread);
        cell["profit"] = json_estimate(c.profit);
        cell["final_q"] = json_estimate(c.final_q);
        cell["bid_fills"] = c.bid_fills;
        cell["ask_fills"] = c.ask_fills;
        cell["crossed_fraction"] = c.crossed_fraction;
        cell["capped_fraction"] = c.capped_fraction;
        cell["paper"] = pinnacle_examples::json{{"spread", p.spread}, {"profit", p.profit}, {"sd_profit", p.sd_profit},
                                                {"final_q", p.final_q}, {"sd_final_q", p.sd_final_q}, {"paths", as_paper_paths}};
        cell["vs_paper"] = pinnacle_examples::json{{"profit", json_deviation(d.profit)}, {"sd_profit", json_deviation(d.sd_profit)},
                                                   {"final_q", json_deviation(d.final_q)}, {"sd_final_q", json_deviation(d.sd_final_q)}};
        cell["flagged"] = std::move(flagged_here);
        cells_json.push_back(std::move(cell));
    }
    json["cells"] = std::move(cells_json);
    json["flagged"] = flagged;

    std::printf("\nexact = (2/gamma) ln(1 + gamma/k), the paper's spread column; ours = quoted p_a - p_b averaged over\n"
                "steps and paths");
    if (cfg.spread == as_mc_spread::full)
        std::printf(", which adds gamma sigma^2 (T - t): %g x gamma on average over the steps", cfg.sigma * cfg.sigma * (cfg.horizon + cfg.dt) / 2.0);
    std::printf(".\n");
    std::printf("* = |ours - paper| > 3 se of the difference; se^2 = se_ours^2 + se_paper^2, the paper's figures being\n"
                "    %zu-path estimates too: se_paper of a mean = paper sd / sqrt(%zu), of an sd = our relative se of\n"
                "    the sd (delta method, with our kurtosis) scaled to %zu paths.\n",
                as_paper_paths, as_paper_paths, as_paper_paths);
    std::printf("cross = quotes beyond the mid they were set on; capped = fill draws where A e^{-k delta} dt > 1.\n");
    if (!flagged_lines.empty()) std::printf("\nmarked:\n%s", flagged_lines.c_str());
    std::printf("\nmarked=%zu of %zu\n", flagged, 4 * cells.size());

    if (!json_path.empty()) {
        // Crash-safe: temporary + fsync + rename (apps/output_file.hpp).
        if (const std::string err = pinnacle::write_file_atomically(json_path, pinnacle_examples::json_text(json)); !err.empty()) {
            std::fprintf(stderr, "simulate_market: %s\n", err.c_str());
            return 2;
        }
    }
    return 0;
}

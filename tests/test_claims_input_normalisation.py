"""Chapter 4's statements that depend on computed numbers, checked against the numbers its
snippets printed in this build."""

import json
import math
import re

import pytest

from conftest import percent, table


@pytest.fixture
def conditioning(output):
    """rows: inputs -> [lam_max, lam_min, kappa, 2/lam_max];
    steps: inputs -> dict(wc, best_frac, n, p_flat, estimate)."""
    text = output("input_normalisation/conditioning.txt")
    spectra, counts = text.split("\nGD steps from")
    rows = {r[0]: [float(c) for c in r[1:]] for r in table(spectra)[1:]}
    steps = {}
    for name, wc, frac, n, p_flat, estimate in table(counts)[1:]:
        steps[name] = dict(wc=int(wc), frac=1 - float(frac.split(" - ")[1]), n=int(n),
                           p_flat=float(p_flat), estimate=float(estimate))
    return text, rows, steps


def test_standardising_turns_millions_of_steps_into_a_handful(conditioning):
    _, rows, steps = conditioning
    raw, cen, sca, both = (rows[k] for k in ("raw", "centred only", "scaled only",
                                             "centred+scaled"))
    n = {k: v["n"] for k, v in steps.items()}
    assert n["raw"] > 1e6 and n["centred+scaled"] <= 10  # "millions" vs "a handful"
    assert 3.65e6 < n["raw"] < 3.75e6  # "3.7 million"
    assert 85_000 < n["scaled only"] < 95_000  # "about 90,000"
    assert 33_000 < n["centred only"] < 37_000  # "about 35,000"
    # each fix alone still far from the combination
    assert min(n["centred only"], n["scaled only"]) > 1000 * n["centred+scaled"]
    # only the combination is good; each fix alone is still bad
    assert both[2] < 3 and cen[2] > 1e4 and sca[2] > 1e4
    assert 1e5 <= sca[2] < 1e6  # "scaling alone leaves kappa in the hundreds of thousands"
    assert raw[2] > sca[2] > cen[2] > both[2]


def test_best_rate_count_is_the_flat_direction_bound(conditioning):
    _, _, steps = conditioning
    for name in ("raw", "centred only", "scaled only"):
        row = steps[name]
        assert abs(row["n"] / row["estimate"] - 1) < 1e-3, name  # "within a tenth of a percent"
        assert row["frac"] < 1  # below the limit
        assert row["n"] <= row["wc"], name  # the best rate beats the worst-case one


def test_worst_case_rate_is_near_the_kappa_over_4_ln_F_bound(conditioning):
    _, rows, steps = conditioning
    for name in ("raw", "scaled only"):  # starting error mostly along the steep direction
        bound = rows[name][2] / 4 * math.log(1e6)
        assert 0.9 * bound < steps[name]["wc"] < 1.02 * bound, name
    # "more than three times larger, 12.5 million"
    assert steps["raw"]["wc"] > 3 * steps["raw"]["n"]
    assert round(steps["raw"]["wc"] / 1e5) == 125


def test_stability_limit_is_2_over_lam_max(conditioning):
    _, rows, _ = conditioning
    for lam_max, _, _, limit in rows.values():
        assert abs(limit * lam_max / 2 - 1) < 0.01


def test_closed_form_matches_running_gd(conditioning):
    text, _, _ = conditioning
    assert "first 20000 steps" in text
    assert float(re.search(r"relative gap (\S+)", text)[1]) < 1e-6


def test_normalising_does_not_change_the_predictions(conditioning):
    text, _, _ = conditioning
    assert float(re.search(r"largest difference (\S+) kcal", text)[1]) <= 1e-9


def test_gradient_at_zero_pushes_hardest_where_least_is_needed(conditioning):
    text, _, _ = conditioning
    grad = [float(x) for x in re.search(r"gradient: \[(.*)\]", text)[1].split()]
    theta = [float(x) for x in re.search(r"theta\*: +\[(.*)\]", text)[1].split()]
    assert round(grad[1] / grad[0]) == 41  # "about 41 times"
    assert round(theta[0]) == 537 and round(theta[1], 1) == 10.3
    assert all(g < 0 for g in grad)  # same sign in all three coordinates
    assert theta[0] > 0 and theta[1] > 0 and round(theta[2]) == -66  # rise, rise, fall
    heights_min = float(re.search(r"height: .*min ([\d.]+) m", text)[1])
    weights_min = float(re.search(r"weight: .*min ([\d.]+) kg", text)[1])
    assert heights_min == 1.56 and weights_min == 29.6 and heights_min > 0


def test_weight_column_dominates_raw_hessian_diagonal(conditioning):
    text, _, _ = conditioning
    raw_block = text.split("raw: H")[1].split("eigenvalues")[0]
    numbers = [float(x) for x in re.findall(r"-?\d+\.?\d*(?:e[-+]\d+)?", raw_block)]
    hessian = numbers[-9:]  # the 3 x 3 matrix, row by row
    assert hessian[4] > 1000 * hessian[0]  # "more than a thousand times"
    scaled = text.split("scaled only: H")[1].split("eigenvalues")[0]
    diagonal = [float(x) for x in re.findall(r"[\d.]+", scaled)][0::4]
    assert [round(d) for d in diagonal] == [520, 44, 1]  # "520 against 44"
    assert 70 < float(re.search(r"weight: mean ([\d.]+)", text)[1]) < 72.5


def test_correlated_standardised_features_have_kappa_1_plus_r_over_1_minus_r(conditioning):
    text, rows, _ = conditioning
    r = float(re.search(r"correlation: ([\d.]+)", text)[1])
    assert abs(rows["centred+scaled"][2] - (1 + r) / (1 - r)) < 0.01


def test_contour_slice_is_not_the_full_problem(output, conditioning):
    text = output("input_normalisation/contours.txt")
    _, rows, _ = conditioning
    kappas = [float(k) for k in re.findall(r"kappa (\S+),", text)]
    assert kappas[0] == 8.35e4 and rows["raw"][2] == 3.62e6  # the two kappas quoted
    assert rows["raw"][2] > 10 * kappas[0]  # the slice hides most of the conditioning
    slow = re.search(r"slow direction: lam (\S+) along \(height, weight\) = "
                     r"\((\S+), (\S+)\)", text)
    lam, h, w = (float(x) for x in slow.groups())
    assert round(lam, 3) == 0.062 and abs(h) > 0.99 and abs(w) < 0.05  # weight on height
    steps = output("input_normalisation/step_size.txt")
    middle = [float(x) for x in re.search(r"middle \((.*)\)", steps)[1].split(",")]
    flat = [float(x) for x in re.search(r"flat +\((.*)\)", steps)[1].split(",")]
    # closer to the 3-D middle eigenvalue (0.083) than to the flattest (0.0014)
    assert abs(lam - 0.083) < abs(lam - 0.0014)
    assert abs(middle[0]) > 0.8  # the middle direction is mostly the height weight
    assert abs(flat[0]) > 0.4 and abs(flat[2]) > 0.8 and abs(flat[1]) < 0.01  # height vs bias
    assert flat[0] * flat[2] < 0  # a trade-off: one rises while the other falls
    # "mildly elliptical (kappa = 1.98, axis ratio sqrt(1.98) ~ 1.4)"
    assert kappas[1] == 1.98 and round(math.sqrt(kappas[1]), 1) == 1.4


def test_raw_gd_covers_a_tiny_share_and_standardised_gets_there(output):
    text = output("input_normalisation/contours.txt")
    shares = [percent(s) for s in re.findall(r"([\d.]+%) of the way", text)]
    left = [float(s) for s in re.findall(r"excess loss left: (\S+) of", text)]
    assert shares[0] < 0.005 and shares[1] > 0.999  # "about 0.1%" vs "reaches the minimum"
    assert 1e-4 < left[0] < 0.05  # the raw loss did fall, a small fraction is left
    assert left[1] < 1e-10


@pytest.fixture
def step_size(output):
    text = output("input_normalisation/step_size.txt")
    runs, split, shares = re.split(r"\n(?=excess loss|share of the excess)", text)
    below, above = runs.split("lr = 1.05")
    # rows: "start", "step 40, 0.5 x 2/lam_max", "step 40, 0.95 x 2/lam_max"
    parts = {(0 if r[0] == "start" else float(r[0].split()[2])): [float(c) for c in r[1:]]
             for r in table(split)[1:]}
    shares = {name: (percent(lo), percent(hi)) for name, lo, hi
              in re.findall(r"(steep|middle|flat)\s+(\S+%) to\s+(\S+%)", shares)}
    lams = {name: float(value) for name, value
            in re.findall(r"(steep|middle|flat) ([\d.e+-]+)[,;]", text)}
    loss_star = float(re.search(r"minimum loss ([\d.]+)", text)[1])
    return below, above, parts, shares, lams, loss_star


def test_oscillate_diverge_and_crawl(step_size):
    below, above, _, _, _, loss_star = step_size
    for part, grows in ((below, False), (above, True)):
        rows = [[float(c) for c in r] for r in table(part)[1:]]
        steep, middle, flat = ([r[i] for r in rows] for i in (1, 2, 3))
        assert all(a * b < 0 for a, b in zip(steep[:5], steep[1:5]))  # zigzag
        assert (abs(steep[-1]) > 10 * abs(steep[0])) == grows
        assert abs(flat[-1] / flat[0] - 1) < 1e-4  # "less than one part in ten thousand"
        assert 5e-4 < abs(middle[-1] / middle[0] - 1) < 2e-3  # "about one part in a thousand"
        if grows:
            assert rows[-1][4] > 1000 * rows[0][4]  # diverges
        else:
            assert rows[-1][4] > 3 * loss_star  # plateau well above the minimum


def test_plateau_is_mostly_the_middle_direction(step_size):
    below, _, parts, shares, lams, loss_star = step_size
    for steep, middle, flat, total in parts.values():
        assert middle > 50 * flat  # "about a hundred times larger"
        assert abs(steep + middle + flat - total) <= 2  # the split adds up
    start_steep, _, _, start_total = parts[0]
    assert round(start_steep / start_total, 3) == 0.994  # "99.4% ... along the steep direction"
    assert parts[0.5][0] == 0  # at 1/lam_max the steep error is gone
    assert parts[0.5][1:3] == [7613, 78]  # the caption's numbers
    assert abs(lams["middle"] / lams["flat"] - 58) < 1  # "about 58 times"
    assert abs(lams["middle"] - 0.083) < 0.001 and abs(lams["flat"] - 0.0014) < 0.0001
    start = [float(c) for c in table(below)[1]]
    assert start[2] > start[3]  # the starting error is larger along the middle one
    assert 50 < parts[0.5][1] / parts[0.5][2] < 200  # "about a hundred times"
    assert shares["middle"][0] > 0.9  # "more than 90%" on all five data seeds
    assert shares["middle"][0] > shares["flat"][1] and shares["middle"][0] > shares["steep"][1]
    # the first table's target (1e-6 of the start) is below the flat share: it is emptied too
    assert parts[0.5][2] > 1e-6 * (start[4] - loss_star)
    # the optimisers' target (1% of L*) is below the flat share; alt text "near 5 and 0.05"
    assert parts[0.5][2] > 0.01 * loss_star
    assert 3 < parts[0.5][1] / loss_star < 6 and 0.03 < parts[0.5][2] / loss_star < 0.07


@pytest.fixture
def optimisers(output):
    text = output("input_normalisation/optimisers.txt")
    rows = {}
    for name, winner, seed0, spread in table(text)[1:]:
        lo, hi = (int(x) for x in spread.split(" to "))
        rows[name] = dict(winner=winner, seed0=int(seed0), lo=lo, hi=hi)
    return text, rows


def test_momentum_and_adam_need_thousands_where_gd_needs_millions(optimisers):
    text, rows = optimisers
    gd, mom, adam = rows["GD"], rows["GD + momentum"], rows["Adam"]
    fine_lo, fine_hi = (int(x) for x in re.search(
        r"finer grid .*: (\d+) to (\d+) steps", text).groups())
    assert gd["lo"] > 1e6 and fine_lo > 1e6  # "millions"
    for fast in (mom, adam):
        assert 1000 < fast["lo"] and fast["hi"] < 10000  # "a few thousand"
        # "hundreds of times fewer" on every data set, with either grid for GD
        assert min(gd["lo"], fine_lo) > 100 * fast["hi"]
    assert max(mom["lo"], adam["lo"]) <= min(mom["hi"], adam["hi"])  # "ranges overlap"


def test_finer_grid_saves_gd_less_than_a_fifth(optimisers):
    text, _ = optimisers
    lo, hi = (float(x) for x in re.search(
        r"([\d.]+) to ([\d.]+) times the grid's count", text).groups())
    assert 0.8 < lo <= hi <= 1


def test_momentum_beta_and_adam_rate(optimisers):
    text, rows = optimisers
    betas = re.search(r"winning beta, seeds 0-4: (.*)", text)[1].split(", ")
    assert betas == ["0.999"] * 5  # "0.999 on all five data sets"
    lo, hi = (float(x) for x in re.search(r"lam_min: ([\d.]+) to ([\d.]+)", text).groups())
    assert round(lo, 3) == round(hi, 3) == 0.998  # "about 0.998"
    lr = float(rows["Adam"]["winner"].split()[1])
    assert 56 <= lr < 56.5  # "56"
    assert 1e4 <= lr / 1e-3 < 1e5  # "tens of thousands of times 1e-3"


def test_rmsprop_separates_adams_ingredients(optimisers):
    text, rows = optimisers
    gd, mom, rms, adam = (rows[k] for k in ("GD", "GD + momentum", "RMSprop", "Adam"))
    fine_lo = int(re.search(r"finer grid .*: (\d+) to", text)[1])
    assert 10_000 <= rms["lo"] and rms["hi"] < 100_000  # "tens of thousands"
    assert min(gd["lo"], fine_lo) > 20 * rms["hi"]  # "more than 20 times fewer than GD"
    assert rms["lo"] > 15 * adam["hi"]  # "more than 15 times as many as Adam"
    assert mom["hi"] < rms["lo"]  # "momentum alone buys more than the scaling alone"


def test_newton_and_standardising_change_the_bowl(optimisers):
    text, rows = optimisers
    assert rows["Newton"]["lo"] == rows["Newton"]["hi"] == 1  # "one step"
    std = rows["GD, standardised"]
    assert 3 <= std["lo"] and std["hi"] <= 4  # "three or four"
    assert std["hi"] < rows["GD + momentum"]["lo"] and std["hi"] < rows["Adam"]["lo"]
    assert "(37 values)" in text and "(0.9, 0.99, 0.999, 0.9999)" in text
    theta = [float(x) for x in re.search(r"theta\* = .*\[(.*)\]", text)[1].split()]
    assert round(max(abs(t) for t in theta)) == 537


def test_diagonal_rescaling_leaves_kappa_in_the_thousands(optimisers, conditioning):
    text, _ = optimisers
    _, cond_rows, _ = conditioning
    seed0, lo, hi = (float(x) for x in re.search(
        r"seed 0 (\d+), seeds 0-4 (\d+) to (\d+)", text).groups())
    assert 1000 <= lo <= seed0 <= hi < 10000  # "in the thousands"
    assert lo / 3 > 100 * cond_rows["centred+scaled"][2]  # even the best diagonal is far off


def test_centring_formula(output, conditioning):
    text, cond_rows, _ = conditioning
    rows = {float(r[0]): [float(c) for c in r[1:]]
            for r in table(output("input_normalisation/centring.txt"))[1:]}
    for mu, (kappa, exact, approx, _) in rows.items():
        assert exact == pytest.approx(kappa, rel=1e-3), mu  # kappa = lam_max^2, exactly
    assert rows[0.0][0] == pytest.approx(1) and rows[0.0][2] == 4  # "1, not 4"
    assert abs(rows[3.0][2] / rows[3.0][0] - 1) < 0.02  # "within 2% at mu = 3"
    assert abs(rows[1.0][2] / rows[1.0][0] - 1) > 0.2  # the approximation fails below 3
    for mu in (10.0, 22.7):
        assert abs(rows[mu][0] / rows[mu][2] - 1) < 0.01
    # "of the same order as the scaled only row"
    assert 0.5 < rows[22.7][0] / cond_rows["scaled only"][2] < 2
    # "a mean of about 22.8 of its standard deviations (the entry 22.7744 between height and
    # the bias in the 'scaled only' Hessian)"
    scaled = text.split("scaled only: H")[1].split("eigenvalues")[0]
    entries = [float(x) for x in re.findall(r"[\d.]+", scaled)]
    assert entries[2] == entries[6] == 22.7744 and round(entries[2], 1) == 22.8
    mean = float(re.search(r"height: mean ([\d.]+)", text)[1])
    std = float(re.search(r"height: mean [\d.]+ m, std ([\d.]+)", text)[1])
    assert abs(mean / std - entries[2]) < 0.05  # it is height's mean over its std
    # "the last row, mu = 22.7, a shade below height's 22.8"
    assert max(rows) == 22.7 and 0 < entries[2] - 22.7 < 0.1


@pytest.fixture
def bowl(output):
    """The explorable's snippet: rows (offset, divisor) -> [mean/std, kappa, 2/lam_max, w*, b*],
    steps (offset, divisor) -> {lr fraction: steps or None}, the default setting's readouts
    and the explorable's data."""
    text = output("input_normalisation/explore_bowl.txt")
    spectra, counts = text.split("\nGD steps from (w, b)")
    counts, defaults = counts.split("\nheight in metres, nothing subtracted")
    rows = {(float(r[0]), float(r[1])): [float(c) for c in r[2:]] for r in table(spectra)[1:]}
    head, *body = table(counts)
    fractions = [float(f) for f in head[2:]]
    steps = {(float(r[0]), float(r[1])): {f: None if c == "-" else float(c)
                                          for f, c in zip(fractions, r[2:])} for r in body}
    readouts = dict(line.split(": ", 1) for line in defaults.splitlines()[1:] if ": " in line)
    data = json.loads(output("input_normalisation/explore_bowl.explorable.json"))
    return text, rows, steps, readouts, data


def bowl_run(data, offset, divisor, fraction):
    """The explorable's setting: its path [(b, w) / |theta*|], its minimum, its curve."""
    values = [c["values"] for c in data["controls"]]
    i = min(range(len(values[0])), key=lambda k: abs(values[0][k] - offset))
    j = min(range(len(values[1])), key=lambda k: abs(values[1][k] - divisor))
    setting = data["settings"][f"{i},{j},{values[2].index(fraction)}"]
    return setting["path"], setting["star"][0][:2], setting["curve"]


def test_explorable_raw_metres(bowl):
    text, rows, steps, readouts, data = bowl
    assert round(rows[0.0, 1.0][1], -2) == 2800  # "kappa is about 2,800"
    assert readouts["distance to the minimum after 50 steps"] == "62.0% of |θ*|"
    assert readouts["steps until the excess loss is below 1e-06 of its start"] == "7,660"
    path, star, curve = bowl_run(data, 0.0, 1.0, 0.5)
    # the first step lands on the valley floor: the steep part of the excess loss is gone,
    # what is left (the flat part) barely changes between steps 1 and 2
    assert curve[0] < 0.01 and abs(curve[1] / curve[0] - 1) < 0.01
    gap = [math.dist(p, star) for p in path]
    assert gap[50] > 0.9 * gap[1]  # alt text: "then barely moves along it"
    assert star[0] < path[50][0] and star[1] > path[50][1]  # "at the upper left"


def test_explorable_centring_decouples_the_bias(bowl):
    text, rows, steps, readouts, data = bowl
    mean, std = (float(x) for x in re.search(r"height: mean ([\d.]+) m, std ([\d.]+) m",
                                             text).groups())
    kappa = rows[round(mean, 3), 1.0][1]
    assert kappa == 169 and abs(kappa * std**2 - 1) < 0.01  # "169 = 1/0.077^2"
    path, star, _ = bowl_run(data, mean, 1.0, 0.5)
    assert all(abs(b - star[0]) < 1e-3 for b, _ in path[1:])  # bias found in one step, kept
    assert path[50][1] < 0.3 * star[1]  # "the weight still crawls", "a short way"
    assert rows[round(mean, 3), round(std, 3)][1] == 1  # standardised: round bowl
    assert steps[round(mean, 3), round(std, 3)][0.5] == 1  # one step at half the limit
    path, star, _ = bowl_run(data, mean, std, 0.5)
    assert math.dist(path[1], star) < 1e-3  # alt text: "the first step lands on the minimum"


def test_explorable_scaling_without_centring(bowl):
    text, rows, steps, readouts, data = bowl
    std = float(re.search(r"std ([\d.]+) m", text)[1])
    metres, stds, cm = (rows[0.0, d] for d in (1.0, round(std, 3), 0.01))
    assert metres[0] == stds[0] == cm[0] == 22.8  # "22.8 of its standard deviations"
    mean = float(re.search(r"height: mean ([\d.]+)", text)[1])
    assert round(mean, 2) == 1.75 and round(mean / std) == 23  # "about 1.75", "about 23"
    assert round(stds[1], -4) == 2.7e5 and round(cm[1], -6) == 1.6e7
    assert 80 < stds[1] / metres[1] < 120  # "about a hundred times"
    assert metres[1] < stds[1] < cm[1]
    path, star, _ = bowl_run(data, 0.0, std, 0.5)
    assert star[0] < -0.9 and path[50][0] > -0.1  # alt text: "far to the right of the minimum"


def test_explorable_best_unit_is_the_root_mean_square(bowl):
    text, rows, _, _, _ = bowl
    rms, kappa, least = re.search(r"root mean square, ([\d.]+) m: kappa (\S+); least kappa "
                                  r"over [\d,]+ units from 1 mm to 100 m: (\S+)", text).groups()
    rms, kappa, least = float(rms), float(kappa), float(least)
    assert rms == 1.753 and kappa == 2.08e3  # "1.753 m", "kappa at 2,080"
    assert abs(least / kappa - 1) < 1e-3  # no unit of the scan does better
    metres = rows[0.0, 1.0][1]
    assert kappa < metres < 1.5 * kappa  # "no unit does much better than the metre"
    std = float(re.search(r"std ([\d.]+) m", text)[1])
    assert metres < rows[0.0, round(std, 3)][1] and metres < rows[0.0, 0.01][1]


def test_scaling_alone_helps_only_with_two_features(bowl, conditioning):
    text, rows, _, _, _ = bowl
    cond_text, cond_rows, _ = conditioning
    # two features: "scaled only" improves on raw, kappa 2.94e5 against 3.62e6
    assert cond_rows["raw"][2] == 3.62e6 and cond_rows["scaled only"][2] == 2.94e5
    assert cond_rows["scaled only"][2] < cond_rows["raw"][2]
    # "their diagonal entries of H, 5,184 against 3.07 raw, become 44 against 520"
    diagonals = {}
    for name in ("raw", "scaled only"):
        block = cond_text.split(f"{name}: H")[1].split("eigenvalues")[0]
        numbers = [float(x) for x in re.findall(r"-?\d+\.?\d*", block)][-9:]
        diagonals[name] = numbers[0::4]
    (h_raw, w_raw, _), (h_sca, w_sca, _) = diagonals["raw"], diagonals["scaled only"]
    assert round(w_raw) == 5184 and round(h_raw, 2) == 3.07
    assert round(w_sca) == 44 and round(h_sca) == 520
    assert max(h_sca, w_sca) / min(h_sca, w_sca) < max(h_raw, w_raw) / min(h_raw, w_raw) / 10
    # one feature: scaling by the std instead of metres makes kappa worse
    std = float(re.search(r"std ([\d.]+) m", text)[1])
    assert rows[0.0, round(std, 3)][1] > rows[0.0, 1.0][1]


def test_explorable_marks_start_and_minimum(bowl):
    _, _, _, _, data = bowl
    chart = data["charts"][0]
    assert chart["points"] == "star" and chart["path"] == "path"
    for setting in data["settings"].values():
        assert setting["path"][0] == [0, 0]  # "the larger dot ... at w = b = 0"
        assert len(setting["star"]) == 1 and setting["star"][0][2] == 1  # the orange dot


def test_explorable_learning_rate_does_less(bowl):
    _, _, steps, _, _ = bowl
    raw = steps[0.0, 1.0]
    assert raw[0.1] == 3.83e4 and raw[0.99] == 3.87e3  # "from 38,300 to 3,870"
    assert 9 < raw[0.1] / raw[0.99] < 11  # "about tenfold"
    assert all(s[1.05] is None for s in steps.values())  # "every version diverges"
    assert all(s[f] is not None for s in steps.values() for f in s if f < 1)

"""Chapter 4's statements that depend on computed numbers, checked against the numbers its
snippets printed in this build."""

import math
import re

import pytest

from conftest import percent, table


@pytest.fixture
def output(built_outputs):
    return lambda name: (built_outputs / name).read_text()


@pytest.fixture
def conditioning(output):
    text = output("input_normalisation/conditioning.txt")
    rows = {r[0]: [float(c) for c in r[1:]] for r in table(text)[1:]}
    return text, rows


def test_standardising_turns_millions_of_steps_into_a_handful(conditioning):
    _, rows = conditioning
    raw, cen, sca, both = (rows[k] for k in ("raw", "centred only", "scaled only",
                                             "centred+scaled"))
    assert raw[4] > 1e6 and both[4] <= 10  # "millions of steps" vs "a handful"
    # only the combination is good; each fix alone is still bad
    assert both[2] < 3 and cen[2] > 1e4 and sca[2] > 1e4
    assert 1e5 <= sca[2] < 1e6  # "scaling alone leaves kappa in the hundreds of thousands"
    assert raw[2] > sca[2] > cen[2] > both[2]


def test_steps_grow_like_kappa_over_4_times_ln_F(conditioning):
    _, rows = conditioning
    for name in ("raw", "centred only", "scaled only"):
        kappa, steps = rows[name][2], rows[name][4]
        bound = kappa / 4 * math.log(1e6)
        assert steps < 1.02 * bound, name  # "at most about"
        if name != "centred only":  # "close to it" in the two worst cases
            assert steps > 0.9 * bound, name


def test_stability_limit_is_2_over_lam_max(conditioning):
    _, rows = conditioning
    for lam_max, _, _, limit, _ in rows.values():
        assert abs(limit * lam_max / 2 - 1) < 0.01


def test_closed_form_matches_running_gd(conditioning):
    text, _ = conditioning
    assert float(re.search(r"relative gap (\S+)", text)[1]) < 1e-6


def test_weight_column_dominates_raw_hessian_diagonal(conditioning):
    text, _ = conditioning
    raw_block = text.split("raw: H")[1].split("eigenvalues")[0]
    numbers = [float(x) for x in re.findall(r"-?\d+\.?\d*(?:e[-+]\d+)?", raw_block)]
    hessian = numbers[-9:]  # the 3 x 3 matrix, row by row
    assert hessian[4] > 1000 * hessian[0]  # "more than a thousand times"
    assert 70 < float(re.search(r"weight: mean ([\d.]+)", text)[1]) < 72.5


def test_correlated_standardised_features_have_kappa_1_plus_r_over_1_minus_r(conditioning):
    text, rows = conditioning
    r = float(re.search(r"correlation: ([\d.]+)", text)[1])
    assert abs(rows["centred+scaled"][2] - (1 + r) / (1 - r)) < 0.01


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
    parts = {float(r[0].split()[0]): [float(c) for c in r[1:]] for r in table(split)[1:]}
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
    _, rows = optimisers
    gd, mom, adam = rows["GD"], rows["GD + momentum"], rows["Adam"]
    assert gd["lo"] > 1e6  # "millions"
    for fast in (mom, adam):
        assert 1000 < fast["lo"] and fast["hi"] < 10000  # "a few thousand"
        assert gd["lo"] > 100 * fast["hi"]  # "hundreds of times fewer" on every data set
    assert max(mom["lo"], adam["lo"]) <= min(mom["hi"], adam["hi"])  # "ranges overlap"
    assert mom["winner"].endswith("beta 0.999")
    assert 56 <= float(adam["winner"].split()[1]) < 56.5


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
    _, cond_rows = conditioning
    seed0, lo, hi = (float(x) for x in re.search(
        r"seed 0 (\d+), seeds 0-4 (\d+) to (\d+)", text).groups())
    assert 1000 <= lo <= seed0 <= hi < 10000  # "in the thousands"
    assert lo / 3 > 100 * cond_rows["centred+scaled"][2]  # even the best diagonal is far off


def test_centring_formula(output, conditioning):
    text, _ = conditioning
    rows = {float(r[0]): [float(c) for c in r[1:]]
            for r in table(output("input_normalisation/centring.txt"))[1:]}
    assert rows[0.0][0] == pytest.approx(1)
    for mu in (10.0, 22.7):
        assert abs(rows[mu][0] / rows[mu][1] - 1) < 0.01
    # "of the same order as the scaled only row"
    _, cond_rows = conditioning
    assert 0.5 < rows[22.7][0] / cond_rows["scaled only"][2] < 2
    # height's mean in units of its std is about 22.7
    mean = float(re.search(r"height: mean ([\d.]+)", text)[1])
    std = float(re.search(r"height: mean [\d.]+ m, std ([\d.]+)", text)[1])
    assert abs(mean / std - 22.7) < 0.3

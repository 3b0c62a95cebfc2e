"""Chapter 6's statements that depend on computed numbers, checked against the numbers its
snippets printed in this build."""

import math
import re

import pytest

from conftest import percent, table


@pytest.fixture
def output(built_outputs):
    return lambda name: (built_outputs / name).read_text()


def test_l2_in_the_loss_is_coupled_weight_decay_not_decoupled(output):
    rows = [r for r in table(output("l2_regularisation/sgd_weight_decay.txt"))[1:]]
    gap = {(a, b): float(d) for a, b, d in rows}
    for opt in ("SGD", "SGD+mom"):
        assert gap[(f"{opt}, (lam/2)sum p^2", f"{opt}, wd=lam")] < 1e-12
        assert gap[(f"{opt}, lam*sum p^2", f"{opt}, wd=2*lam")] < 1e-12
        assert gap[(f"{opt}, lam*sum p^2", f"{opt}, wd=lam")] > 1e-2  # "differs visibly"
    # decoupled = coupled for plain SGD, "far apart" with momentum
    assert gap[("SGD, wd=lam", "SGD, decoupled lam")] < 1e-12
    assert gap[("SGD+mom, wd=lam", "SGD+mom, decoupled lam")] > 0.1
    assert gap[("Adam, (lam/2)sum p^2", "Adam, wd=lam")] < 1e-12
    to_l2 = gap[("Adam, (lam/2)sum p^2", "AdamW, wd=lam")]
    assert to_l2 > 0.1  # "somewhere else entirely"
    assert gap[("AdamW, wd=lam", "Adam, decoupled lam")] == 0  # "difference 0"
    # "AdamW ends much closer to Adam with no penalty at all than to Adam + L2"
    assert gap[("Adam, no penalty", "AdamW, wd=lam")] < 0.2 * to_l2


def test_momentum_coupled_decay_is_faster_adamw_scales_by_lr(output):
    text = output("l2_regularisation/decay_per_step.txt")
    first, second = text.split("\n\n")
    runs = {r[0]: [float(c) for c in r[1:]] for r in table(first)[1:]}
    ref = runs["(1 - lr*lam)^t"]
    for name in ("SGD, weight_decay=lam", "SGD+mom, decoupled (SGDW)"):
        assert all(abs(a - b) < 1e-4 for a, b in zip(runs[name], ref))  # "lie on it"
    mom = runs["SGD+mom, weight_decay=lam"]
    assert abs((1 - ref[2]) - 0.0025) < 1e-4  # "eta*lam = 0.25%"
    assert 0.025 < 1 - mom[2] < 0.035  # "about 3% per step"
    assert 1 - mom[2] > 10 * (1 - ref[2])  # "more than ten times as fast"
    assert mom[1] < 0.1 < 0.7 < ref[1]  # the figure: far below the reference after 100 steps
    removed = {(r[0], float(r[1]), float(r[2])): float(r[3]) for r in table(second)[1:]}
    sgd = removed[("SGD", 0.1, 5e-4)]
    small = removed[("AdamW", 1e-3, 5e-4)]
    same = removed[("AdamW", 1e-3, 0.05)]
    assert math.isclose(sgd, 5e-5, rel_tol=0.02)
    assert math.isclose(small, sgd / 100, rel_tol=0.02)  # "100 times less"
    assert math.isclose(same, sgd, rel_tol=0.02)  # "the same shrink"
    assert float(re.search(r"default weight_decay: (\S+)", text)[1]) == 0.01


@pytest.fixture
def moons(output):
    text = output("l2_regularisation/moons.txt")
    rows = {}
    for r in [r for r in table(text)[1:] if len(r) == 7]:  # not the "slope: |...|" line
        lo, hi = map(float, r[3].split("-"))
        rows[float(r[0])] = dict(train=float(r[1]), val=float(r[2]), lo=lo, hi=hi,
                                 acc=percent(r[4]), sq=float(r[5]), slope=float(r[6]))
    best = re.search(r"seed by seed: (.+)", text)[1].split(", ")
    return rows, [float(b) for b in best]


def test_training_loss_rises_validation_loss_best_in_the_middle(moons):
    rows, best = moons
    lams = sorted(rows)
    train = [rows[k]["train"] for k in lams]
    val = [rows[k]["val"] for k in lams]
    assert train == sorted(train) and len(set(train)) == len(train)  # rises with every step
    assert train[0] < 0.01  # "almost zero"
    assert val[0] == max(val)  # lam = 0 is the worst on validation
    assert rows[0]["hi"] > 2 and rows[0]["lo"] > 0.9  # "above 2", "even the best above 0.9"
    middle = (0.01, 0.03, 0.1)
    worst_middle = max(rows[k]["hi"] for k in middle)
    assert worst_middle < 0.74 and worst_middle < rows[0]["lo"]  # "no seed worse than 0.74"
    assert set(best) <= set(middle)  # "anywhere from 0.01 to 0.1", seed by seed
    assert lams[val.index(min(val))] in middle  # lowest mean between 0.01 and 0.1
    assert rows[0.3]["val"] > max(rows[k]["val"] for k in middle)  # "rises again at 0.3"


def test_weights_and_slope_shrink_until_the_network_collapses(moons):
    rows, _ = moons
    assert rows[0]["sq"] > 10 * rows[0.01]["sq"]  # "more than an order of magnitude"
    assert rows[0]["slope"] > 10 * rows[0.1]["slope"]  # "more than a factor of ten"
    assert 23 < rows[0]["slope"] < 27 and rows[0.1]["slope"] < 2  # "about 25", "under 2"
    big = rows[0.3]
    assert big["sq"] == 0.0 and big["slope"] < 0.01  # every weight pulled to zero
    assert abs(big["train"] - math.log(2)) < 0.02 and abs(big["val"] - math.log(2)) < 0.02
    assert 0.45 < big["acc"] < 0.55  # "a coin toss"


def test_house_prices_l2_shrinks_what_data_cannot_pin_down(output):
    text = output("l2_regularisation/house_prices.txt")
    rows = {}
    for r in table(text)[1:]:
        if r[0] == "true":
            continue
        cells = [tuple(map(float, c.split("+-"))) for c in r[1:4]]
        rows[float(r[0])] = (cells, float(r[4]))
    (area, bed, hood), rmse0 = rows[0]
    assert abs(area[0] - 40) < 3 and abs(bed[0] - 10) < 3 and abs(hood[0] - 30) < 3
    assert 2 < area[1] / hood[1] < 4 and 2 < bed[1] / hood[1] < 4  # "about three times"
    (area_s, bed_s, hood_s), rmse_s = rows[0.03]
    assert area_s[1] < 0.7 * area[1] and bed_s[1] < 0.7 * bed[1]  # "cuts sharply"
    assert abs(area_s[0] - bed_s[0]) < abs(area[0] - bed[0])  # pulled together
    assert abs(hood_s[1] / hood[1] - 1) < 0.1  # "barely changes"
    assert rmse_s < rmse0  # "improves a little"
    assert rows[3][1] > rows[1][1] > rmse0  # larger lam: the test error climbs
    corr = float(re.search(r"correlate at (\S+) across", text)[1])
    assert corr < -0.8  # "strongly anticorrelated"
    assert percent(re.search(r"negative in (\S+) of", text)[1]) > 0.1  # "a good share"


def test_adamw_decays_all_alike_adam_l2_depends_on_gradient_size(output):
    text = output("l2_regularisation/adam_vs_adamw.txt")
    first, sweep = text.split("\n\n")
    pure = float(re.search(r"\^1000 = ([\d.]+)", first)[1])
    rows = {(float(r[0]), r[1]): [float(c) for c in r[2:]] for r in table(first)[1:]}
    for s in (0.01, 0.1, 1, 10):
        assert abs(rows[(s, "AdamW")][-1] - pure) < 0.03
    assert abs(rows[(0.01, "Adam + L2")][1]) < 0.01  # wiped out by step 300
    assert abs(rows[(0.1, "Adam + L2")][-1]) < 0.01
    assert rows[(10, "Adam + L2")][-1] > 0.9  # barely moves
    assert abs(rows[(1, "Adam + L2")][-1] - rows[(1, "AdamW")][-1]) < 0.03  # agree at RMS 1


def test_no_rescaled_lambda_makes_adam_l2_match_adamw(output):
    text = output("l2_regularisation/adam_vs_adamw.txt")
    first, sweep = text.split("\n\n")
    pure = float(re.search(r"\^1000 = ([\d.]+)", first)[1])
    scales = [0.01, 0.1, 1, 10]
    final = {float(r[0]): [float(c) for c in r[1:]] for r in table(sweep)[1:]}
    assert len(final) == 6 and min(final) == 0.01 and max(final) == 3  # "0.01 to 3"
    for means in final.values():  # "at most one group ends near AdamW's 0.37"
        assert sum(abs(m - pure) < 0.05 for m in means) <= 1
    for lam, s in ((0.01, 0.1), (0.1, 1), (1, 10)):  # the group that matches, at lam = s/10
        i = scales.index(s)
        assert abs(final[lam][i] - pure) < 0.02
        assert all(abs(m) < 0.05 for m in final[lam][:i])  # quieter: at zero
        assert all(m >= 0.89 for m in final[lam][i + 1:])  # noisier: 0.9 or more

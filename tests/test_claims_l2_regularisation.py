"""Chapter 6's statements that depend on computed numbers, checked against the numbers its
snippets printed in this build."""

import json
import math
import re

import pytest

from conftest import percent, table


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
    assert gap[("AdamW, wd=lam", "Adam, wd=lam, decoupled_wd")] == 0  # "and so is"
    # "AdamW ends much closer to Adam with no penalty at all than to Adam + L2"
    assert gap[("Adam, no penalty", "AdamW, wd=lam")] < 0.2 * to_l2


def test_momentum_speeds_up_coupled_decay_sgdw_is_weaker_l2_adamw_scales_by_lr(output):
    text = output("l2_regularisation/decay_per_step.txt")
    zero, data, one_step = text.split("\n\n")
    rows = {tuple(map(float, r[:3])): r[3:] for r in table(zero)[1:]}
    for key in ((0.01, 0.01, 0.9), (0.05, 0.01, 0.9)):  # well below the limit: the rule
        lr_lam, limit, rule, per_step, _ = rows[key]
        assert float(lr_lam) < 0.2 * float(limit)
        assert math.isclose(float(per_step), float(rule), rel_tol=0.05)
    lr_lam, limit, rule, per_step, low = rows[(0.05, 0.05, 0.9)]  # just below the limit
    assert float(lr_lam) < float(limit) and float(low) >= 0
    assert 0.033 < float(per_step) < 0.037 and float(per_step) > float(rule)  # 3.5% > 2.5%
    assert math.isclose(float(limit), 0.0026, abs_tol=5e-5)
    for key, lowest in (((0.1, 0.2, 0.9), -0.30), ((0.05, 0.05, 0.99), -0.73)):  # overshoot
        lr_lam, limit, _, per_step, low = rows[key]
        assert float(lr_lam) > float(limit) and per_step == "sign flips"
        assert abs(float(low) - lowest) < 0.006
    l2, weak = map(float, re.findall(r"= ([\d.]+)", data.splitlines()[1]))
    assert math.isclose(l2, 2 / 3, abs_tol=1e-4) and math.isclose(weak, 1 / 1.05, abs_tol=1e-4)
    final = {name.strip(): float(w) for name, w in  # "run | final w" lines, one "|" each
             (line.split("|") for line in data.splitlines()[4:])}
    assert final["SGD, weight_decay=lam"] == final["SGD+mom, weight_decay=lam"] == l2
    assert final["SGD+mom, decoupled (SGDW)"] == weak
    removed = {(r[0], float(r[2]), float(r[3])): [float(c) for c in r[4:]]
               for r in table(one_step)[1:]}
    sgd = removed[("SGD", 0.0, 5e-4)]
    mom = removed[("SGD", 0.9, 5e-4)]
    small = removed[("AdamW", 0.0, 5e-4)]
    same = removed[("AdamW", 0.0, 0.05)]
    big = removed[("AdamW", 0.0, 0.5)]
    assert math.isclose(sgd[0], 5e-5, rel_tol=0.02) and math.isclose(sgd[1], 5e-5, rel_tol=0.02)
    assert math.isclose(small[1], sgd[1] / 100, rel_tol=0.02)  # "100 times less"
    assert math.isclose(same[1], sgd[1], rel_tol=0.02)  # "the same shrink"
    assert math.isclose(mom[0], 5e-5, rel_tol=0.02)  # first step
    assert math.isclose(mom[1], 10 * sgd[1], rel_tol=0.02)  # "ten times more"
    assert math.isclose(big[1], mom[1], rel_tol=0.02)  # AdamW needs 0.5
    assert same[2] == 20000  # time scale
    assert float(re.search(r"default weight_decay: (\S+)", text)[1]) == 0.01


@pytest.fixture
def moons(output):
    text = output("l2_regularisation/moons.txt")
    main, more, ranges = text.split("\n\n")
    rows = {}
    for r in [r for r in table(main)[1:] if len(r) == 7]:  # not the "slope: |...|" line
        lo, hi = map(float, r[3].split("-"))
        rows[float(r[0])] = dict(train=float(r[1]), val=float(r[2]), lo=lo, hi=hi,
                                 acc=percent(r[4]), sq=float(r[5]), slope=float(r[6]))
    for r in table(more)[1:]:
        acc_lo, acc_hi = map(percent, r[2].split("-"))
        rows[float(r[0])].update(acc_lo=acc_lo, acc_hi=acc_hi, wrong=float(r[3]),
                                 half_val=float(r[4]), half_sq=float(r[5]))
        assert percent(r[1]) == rows[float(r[0])]["acc"]
    for r in table(ranges):
        rows[float(r[0].split("=")[1])].update(w_min=float(r[1]), w_max=float(r[2]))
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


def test_weights_and_slope_shrink_until_the_network_collapses(moons, output):
    rows, _ = moons
    assert rows[0]["sq"] > 10 * rows[0.01]["sq"]  # "more than an order of magnitude"
    assert rows[0]["slope"] > 10 * rows[0.1]["slope"]  # "more than a factor of ten"
    assert 23 < rows[0]["slope"] < 27 and rows[0.1]["slope"] < 2  # "about 25", "under 2"
    big = rows[0.3]
    assert big["sq"] == 0.0 and big["slope"] < 0.01  # every weight pulled to zero
    assert abs(big["train"] - math.log(2)) < 0.02 and abs(big["val"] - math.log(2)) < 0.02

    # "accuracy 48.9% to 51.1%: the share of the validation points in the class it calls
    # everywhere": the two ends are the two classes' shares (seed 0 calls class 0 everywhere)
    low, high = map(float, re.search(r"^ +0\.3 \| +[\d.]+% \| +([\d.]+)%- *([\d.]+)%",
                                     output("l2_regularisation/moons.txt"), re.M).groups())
    class0 = float(re.search(r"class 0 among the validation points: ([\d.]+)%",
                             output("l2_regularisation/explore_lambda.txt"))[1])
    assert (low, high) == (48.9, 51.1) and high == class0 and round(low + high, 1) == 100.0


def test_moons_gain_is_mostly_calibration_and_small_lambda_rows_unsettled(moons):
    rows, _ = moons
    zero, mid = rows[0], rows[0.01]
    assert zero["wrong"] > 0.95 * zero["val"]  # "1.497 of 1.51"
    assert zero["wrong"] - mid["wrong"] > zero["val"] - mid["val"]  # the fall is in the mistakes
    accs = [rows[k]["acc"] for k in (0, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1)]
    assert max(accs) == mid["acc"] and max(accs) - zero["acc"] < 0.06  # "at most 85.9%"
    assert mid["acc_lo"] < zero["acc_hi"]  # "the seeds' ranges overlap"
    for lam in (0, 1e-4):  # still getting worse between step 750 and 1500
        assert rows[lam]["val"] > rows[lam]["half_val"] + 0.1
        assert rows[lam]["sq"] > rows[lam]["half_sq"]
    assert math.isclose((1 - 1e-4) ** 1500, 0.86, abs_tol=0.005)
    for lam in (3e-3, 0.01, 0.03, 0.1, 0.3):  # settled
        assert abs(rows[lam]["val"] - rows[lam]["half_val"]) < 0.002


def test_weight_ranges_in_the_histograms(moons):
    rows, _ = moons
    assert rows[0]["w_max"] > 4 > -rows[0]["w_min"]  # only the positive side beyond 4
    assert abs(rows[0]["w_min"] + 3.3) < 0.05 and abs(rows[0]["w_max"] - 4.8) < 0.05
    assert max(rows[0.1]["w_max"], -rows[0.1]["w_min"]) < 0.25  # two bins either side of zero
    assert rows[0.1]["w_max"] == 0.13 and rows[0.1]["w_min"] == -0.13  # "between -0.13 and 0.13"


def test_house_prices_l2_shrinks_what_data_cannot_pin_down(output):
    text = output("l2_regularisation/house_prices.txt")
    fits, eigen = text.split("\n\n")
    rows = {}
    for r in table(fits)[1:]:
        if r[0] == "true":
            continue
        cells = [tuple(map(float, c.split("+-"))) for c in r[1:4]]
        rows[float(r[0])] = dict(w=cells, norm=float(r[4]), usual=float(r[5]),
                                 unusual=float(r[6]))
    (area, bed, hood), zero = rows[0]["w"], rows[0]
    assert abs(area[0] - 40) < 3 and abs(bed[0] - 10) < 3 and abs(hood[0] - 30) < 3
    assert 2 < area[1] / hood[1] < 4 and 2 < bed[1] / hood[1] < 4  # "about three times"
    (area_s, bed_s, hood_s), small = rows[0.03]["w"], rows[0.03]
    assert area_s[1] < 0.7 * area[1] and bed_s[1] < 0.7 * bed[1]  # "cuts sharply"
    assert abs(area_s[0] - bed_s[0]) < abs(area[0] - bed[0])  # pulled together
    assert abs(hood_s[1] / hood[1] - 1) < 0.1  # "barely changes"
    assert zero["unusual"] > zero["usual"] + 5  # the notes' failure
    assert small["unusual"] < zero["unusual"] and small["usual"] < zero["usual"]
    assert zero["unusual"] - small["unusual"] > zero["usual"] - small["usual"]  # larger gain
    lams = sorted(rows)
    norms = [rows[k]["norm"] for k in lams]
    assert norms == sorted(norms, reverse=True) and len(set(norms)) == len(norms)
    for lam in (0.1, 0.3):  # bedrooms pulled up, away from zero and from its true 10
        assert rows[lam]["w"][1][0] > max(bed[0], 10) + 5
    for test in ("usual", "unusual"):  # from 0.1 on, both test errors climb
        errs = [rows[k][test] for k in lams if k >= 0.1]
        assert errs == sorted(errs) and len(set(errs)) == len(errs)
    corr = float(re.search(r"correlate at (\S+) across", fits)[1])
    assert corr < -0.8  # "strongly anticorrelated"
    assert percent(re.search(r"negative in (\S+) of", fits)[1]) > 0.1  # "a good share"
    keep = {r[0]: [float(c) for c in r[1:]] for r in table(eigen)[1:]}
    assert keep["area + bedrooms"][0] == 1.95 and keep["neighbourhood"][0] == 1.0
    assert keep["area - bedrooms"][0] == 0.05
    assert keep["area - bedrooms"][1] == 0.63  # lam 0.03 keeps 63% of the difference
    assert min(keep["neighbourhood"][1], keep["area + bedrooms"][1]) >= 0.97


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
        assert all(m >= 0.89 for m in final[lam][i + 1:])  # noisier: about 0.9 or more


@pytest.fixture
def explore(output):
    """The explorable's table (seed 0's networks), by lam; and the lam it opens at."""
    text = output("l2_regularisation/explore_lambda.txt")
    main, largest, defaults = text.split("\n\n")
    rows = {}
    for r in [r for r in table(main) if len(r) == 10][1:]:  # not the "|d logit ...|" line
        rows[float(r[0])] = dict(train=float(r[1]), val=float(r[2]), wrong=float(r[3]),
                                 per_miss=float(r[4]), train_acc=percent(r[5]),
                                 val_acc=percent(r[6]), sq=float(r[7]), slope=float(r[8]),
                                 unsure=percent(r[9]))
    best = float(re.search(r"lowest val loss at lam = (\S+)", main)[1])
    opens = float(re.search(r"at lam = (\S+):", defaults)[1])
    return rows, best, opens, largest


def test_explorable_is_seed_0_of_the_moons_networks(explore, moons):
    rows, best, opens, _ = explore
    seed_rows, seed_best = moons
    assert best == opens == seed_best[0] == 0.01  # opens at seed 0's lowest validation loss
    assert best == min(seed_best) < max(seed_best) == 0.1  # "the low end of 0.01 to 0.1"
    for lam, r in seed_rows.items():  # within moons.py's range over its seeds
        assert r["lo"] - 6e-4 <= rows[lam]["val"] <= r["hi"] + 6e-4  # printed to 3 places
        assert r["acc_lo"] - 6e-4 <= rows[lam]["val_acc"] <= r["acc_hi"] + 6e-4


def test_explorable_larger_lambda_smaller_weights_wider_unsure_band(explore):
    rows, _, _, _ = explore
    lams = sorted(rows)
    for name, sign in (("sq", -1), ("slope", -1), ("unsure", 1)):  # "each step up in lambda"
        values = [sign * rows[k][name] for k in lams]
        assert values == sorted(values) and len(set(values)) == len(values), name
    assert (rows[0]["sq"], rows[0]["slope"], rows[0.1]["sq"], rows[0.1]["slope"]) == \
        (314.2, 33.98, 3.3, 1.11)
    assert math.isclose(rows[0]["unsure"], 0.054) and math.isclose(rows[0.1]["unsure"], 0.879)


def test_explorable_training_points_given_up_for_validation_accuracy(explore):
    rows, _, _, _ = explore
    lams = sorted(rows)
    assert all(rows[k]["train_acc"] == 1 for k in lams if k <= 1e-3)  # all 30 right
    assert all(rows[k]["train_acc"] < 1 for k in lams if k >= 3e-3)  # some given up
    by_val_acc = sorted(lams, key=lambda k: rows[k]["val_acc"], reverse=True)
    assert set(by_val_acc[:2]) == {3e-3, 0.01}  # the two highest
    for lam, acc in ((3e-3, 0.882), (0.01, 0.885), (0, 0.836)):
        assert math.isclose(rows[lam]["val_acc"], acc)


def test_explorable_seed_0_gain_is_mostly_calibration(explore):
    rows, _, _, _ = explore
    zero, mid = rows[0], rows[0.01]
    fewer = 1 - (1 - mid["val_acc"]) / (1 - zero["val_acc"])  # share of mistakes gone
    cheaper = zero["per_miss"] / mid["per_miss"]
    assert 0.25 < fewer < 0.35  # "about 30% fewer mistakes"
    assert 3.5 < cheaper < 4 and (zero["per_miss"], mid["per_miss"]) == (5.67, 1.46)
    assert cheaper > 1 / (1 - fewer)  # mistakes cheaper by far more than they are fewer
    assert (zero["wrong"], mid["wrong"]) == (0.929, 0.168)
    assert round(zero["val"], 3) == 0.949 and round(mid["val"], 3) == 0.279
    assert zero["wrong"] - mid["wrong"] > zero["val"] - mid["val"]  # more than the whole fall


def test_explorable_largest_lambda_predicts_the_training_share_everywhere(explore):
    rows, _, _, largest = explore
    big = rows[0.3]
    assert big["sq"] == 0.0 and big["slope"] == 0.0  # the weights are gone
    assert big["unsure"] == 1  # one pale colour everywhere
    lo, hi = map(float, re.search(r"from (\S+) to (\S+) on the plane", largest).groups())
    assert lo == hi == 0.4  # "p = 0.400 at every point of the plane"
    assert percent(re.search(r"called class 1: (\S+)", largest)[1]) == 0  # all class 0
    share_1 = percent(re.search(r"class 1 among the training points: ([\d.]+%)", largest)[1])
    share_0_val = percent(re.search(r"class 0 among the validation points: ([\d.]+%)",
                                    largest)[1])
    assert share_1 == 0.4 and share_1 < 0.5  # the constant, below 0.5
    assert math.isclose(big["train_acc"], 1 - share_1) and big["train_acc"] == 0.6
    assert big["val_acc"] == share_0_val == 0.511
    assert abs(share_0_val - 0.5) < 0.02  # "nearly equal in number"
    const = re.search(r"training (\S+), validation (\S+)", largest).groups()
    assert const == ("0.6730", "0.7091")  # the constant prediction's losses ...
    assert (big["train"], big["val"]) == tuple(map(float, const))  # ... to the last digit
    # the cross-entropy of 0.4 everywhere, from the shares alone
    assert math.isclose(-(share_1 * math.log(0.4) + (1 - share_1) * math.log(0.6)),
                        big["train"], abs_tol=5e-5)
    assert math.isclose(-((1 - share_0_val) * math.log(0.4) + share_0_val * math.log(0.6)),
                        big["val"], abs_tol=5e-4)


def test_explorable_log_axis_leaves_out_lambda_0(explore, output):
    rows, _, _, _ = explore
    data = json.loads(output("l2_regularisation/explore_lambda.explorable.json"))
    chart = next(c for c in data["charts"] if c["kind"] == "lines")
    assert chart["xlog"] and chart["cursor"] == "lam"  # no vertical line at lam = 0
    assert data["shared"]["lams"] == sorted(rows)[1:]  # the curves start at 0.0001
    marks = [m for m in chart["marks"] if "y" in m]  # lam = 0: only its validation loss
    assert [(m["y"], m["label"]) for m in marks] == [(rows[0]["val"], "validation, λ = 0")]
    assert {r["key"] for r in data["readouts"]} >= {"train", "val"}  # "the readouts give both"


def test_explorable_static_figure_losses(explore):
    rows, _, _, _ = explore
    lams = sorted(rows)
    train = [rows[k]["train"] for k in lams]
    assert train == sorted(train) and len(set(train)) == len(train)  # rises at every step
    assert train[0] < 0.01 and round(rows[0.3]["train"], 2) == 0.67
    assert rows[0]["train"] == 0.0009  # given by the readouts, not drawn on the log axis
    val = {k: rows[k]["val"] for k in lams if k > 0}  # the curve on the log axis
    assert min(val, key=val.get) == 0.01 and round(val[0.01], 2) == 0.28  # lowest at 0.01
    assert round(val[1e-4], 2) == 0.91 and round(val[0.3], 2) == 0.71
    assert max(val.values()) < rows[0]["val"] and round(rows[0]["val"], 2) == 0.95

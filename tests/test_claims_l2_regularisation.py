"""Chapter 6's statements that depend on computed numbers, checked against the numbers its
snippets printed in this build."""

import re

import pytest

from conftest import percent, table


@pytest.fixture
def output(built_outputs):
    return lambda name: (built_outputs / name).read_text()


def test_l2_in_the_loss_is_weight_decay_for_sgd_not_for_adamw(output):
    rows = [r for r in table(output("l2_regularisation/sgd_weight_decay.txt"))[1:]]
    gap = {(a, b): float(d) for a, b, d in rows}
    for opt in ("SGD", "SGD+mom"):
        assert gap[(f"{opt}, (lam/2)sum p^2", f"{opt}, wd=lam")] < 1e-12
        assert gap[(f"{opt}, lam*sum p^2", f"{opt}, wd=2*lam")] < 1e-12
        assert gap[(f"{opt}, lam*sum p^2", f"{opt}, wd=lam")] > 1e-2  # "differs visibly"
    assert gap[("Adam, (lam/2)sum p^2", "Adam, wd=lam")] < 1e-12
    to_l2 = gap[("Adam, (lam/2)sum p^2", "AdamW, wd=lam")]
    assert to_l2 > 0.1  # "somewhere else entirely"
    # "AdamW is even closer to Adam with no penalty than to Adam with L2"
    assert gap[("Adam, no penalty", "AdamW, wd=lam")] < to_l2


@pytest.fixture
def moons(output):
    rows = [r for r in table(output("l2_regularisation/moons.txt"))[1:] if len(r) == 6]
    return {float(r[0]): (float(r[1]), float(r[2]), percent(r[3]), float(r[4]),
                          float(r[5])) for r in rows}


def test_training_loss_rises_validation_loss_is_u_shaped(moons):
    lams = sorted(moons)
    train = [moons[k][0] for k in lams]
    val = [moons[k][1] for k in lams]
    acc = [moons[k][2] for k in lams]
    assert train == sorted(train) and train[0] < 0.01  # only goes up; ~0 at lam = 0
    assert val[0] == max(val)  # lam = 0 is the worst on validation
    best = lams[val.index(min(val))]
    assert 0.003 <= best <= 0.03  # "lowest near 0.01"
    assert val[-1] > min(val)  # rises again
    assert 0 < acc.index(max(acc)) < len(acc) - 1  # best accuracy in the middle


def test_weights_and_slope_shrink(moons):
    lams = sorted(moons)
    sq = [moons[k][3] for k in lams]
    slope = [moons[k][4] for k in lams]
    assert sq == sorted(sq, reverse=True) and sq[0] > 100 * sq[-1]
    assert slope == sorted(slope, reverse=True) and slope[0] > 10 * slope[-1]
    assert slope[0] > 20 and 0.7 < slope[-1] < 1.5  # "over 20" ... "about 1"


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
    pure = float(re.search(r"\^1000 = ([\d.]+)", text)[1])
    rows = {(float(r[0]), r[1]): [float(c) for c in r[2:]] for r in table(text)[1:]}
    for s in (0.01, 0.1, 1, 10):
        assert abs(rows[(s, "AdamW")][-1] - pure) < 0.03
    assert abs(rows[(0.01, "Adam + L2")][1]) < 0.01  # wiped out by step 300
    assert abs(rows[(0.1, "Adam + L2")][-1]) < 0.01
    assert rows[(10, "Adam + L2")][-1] > 0.9  # barely moves
    assert abs(rows[(1, "Adam + L2")][-1] - rows[(1, "AdamW")][-1]) < 0.03  # agree at RMS 1

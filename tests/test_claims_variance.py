"""Chapter 3's statements that depend on computed numbers, checked against the numbers its
snippets printed in this build."""

import re

import pytest

from conftest import percent, table


@pytest.fixture
def output(built_outputs):
    return lambda name: (built_outputs / "variance" / name).read_text()


def close(a, b, rel):
    return abs(a - b) <= rel * abs(b)


def test_second_moment_not_variance_predicts_the_layer(output):
    text = output("single_layer.txt")
    rows = {r[0]: [float(c) for c in r[1:]] for r in table(text)[1:]}
    for name, (var_x, second, var_y, with_var, with_second) in rows.items():
        assert close(var_y, with_second, 0.03), name  # n s^2 E[x^2] always matches
    assert close(rows["x ~ N(0, 1)"][2], rows["x ~ N(0, 1)"][3], 0.03)  # both agree at mean 0
    for name in ("x ~ N(1, 1)", "x = relu(N(0, 1))"):
        assert not close(rows[name][2], rows[name][3], 0.2), f"{name}: Var formula should miss"
    product = re.search(r"measured ([\d.]+), full formula ([\d.]+), .* alone ([\d.]+)", text)
    measured, full, naive = map(float, product.groups())
    assert close(measured, full, 0.02) and not close(measured, naive, 0.2)


def test_relu_second_moment_is_half_and_variance_is_not(output):
    rows = {r[0]: (float(r[1]), float(r[2])) for r in table(output("relu_moments.txt"))[1:]}
    for measured, exact in rows.values():
        assert abs(measured - exact) < 0.005
    assert abs(rows["variance"][1] - 0.5) > 0.1


def test_depth_multiplies_a_wrong_scale_forwards_and_backwards(output):
    rows = {r[0]: [float(c) for c in r[1:]] for r in table(output("depth_relu.txt"))[1:]}
    lecun, he, large = rows["1/sqrt(n) (LeCun)"], rows["sqrt(2/n) (He)"], rows["2/sqrt(n) (too large)"]
    assert lecun[1] < 0.01 and lecun[2] < 0.01  # vanishes by orders of magnitude
    assert large[1] > 100 and large[2] > 100  # explodes
    assert 0.5 < he[1] / he[0] < 2 and 0.5 < he[2] < 2  # stays at scale


def spread(cell):
    """'53.2 [18, 70]' -> (53.2, 18.0, 70.0)"""
    mean, low, high = re.fullmatch(r"([\d.]+) \[([\d.]+), ([\d.]+)\]", cell).groups()
    return float(mean), float(low), float(high)


def test_rescaling_keeps_the_on_off_pattern_and_the_rate_decides_deaths(output):
    text = output("dead_relus.txt")
    assert "sqrt(2/n): True" in text
    rows = {r[0]: r[1:] for r in table(text)[1:]}
    init_mean, init_low, init_high = spread(rows["0.01"][0])
    assert (init_low, init_high, init_mean) == (10, 15, 12.0)  # "10 to 15 ... 12.0 on average"
    changes = {lr: tuple(int(c) for c in re.fullmatch(r"([+-]\d+)\.\.([+-]\d+)", row[3]).groups())
               for lr, row in rows.items()}
    # lr 0.01: "the count barely moves: -4 to +1, to 10.4 on average"
    assert rows["0.01"][1] == "0" and changes["0.01"] == (-4, 1)
    assert spread(rows["0.01"][2])[0] == 10.4 and spread(rows["0.01"][2])[0] <= init_mean
    # lr 0.05: "every seed ends with more dead units (+3 to +60, 53.2 on average)"
    assert rows["0.05"][1] == "0" and changes["0.05"] == (3, 60) and changes["0.05"][0] > 0
    after_05 = spread(rows["0.05"][2])
    assert after_05[0] == 53.2 and after_05[0] > 3 * init_mean
    assert after_05[2] - after_05[1] > 20  # "the spread between seeds is large"
    # lr 0.1: "four of the five runs diverge", the survivor has 112 dead units and a loss
    # equal to the best constant prediction's
    assert rows["0.1"][1] == "4" and spread(rows["0.1"][2]) == (112, 112, 112)
    constant = float(re.search(r"best constant prediction: ([\d.]+)", text).group(1))
    loss = spread(rows["0.1"][4])
    assert loss[0] == constant == 1.926
    assert all(spread(rows[lr][4])[2] < constant / 4 for lr in ("0.01", "0.05"))


def test_backward_factor_is_fan_out_and_forward_is_fan_in(output):
    text = output("backward_fan_out.txt")
    rows = [r for r in table(text) if r[0] != "Var(W)"]
    ranges = {}
    for name, span, fwd_pred, fwd, bwd_pred, bwd in rows:
        fwd_lo, fwd_hi = map(float, fwd.split("-"))
        bwd_lo, bwd_hi = map(float, bwd.split("-"))
        assert fwd_lo <= float(fwd_pred) <= fwd_hi, (name, span)  # "every predicted factor
        assert bwd_lo <= float(bwd_pred) <= bwd_hi, (name, span)  # lies inside the range"
        ranges[name.split(":")[0], span] = (float(fwd_pred), (fwd_lo, fwd_hi),
                                            float(bwd_pred), (bwd_lo, bwd_hi))
    # 2/n_in: backward 3.39-4.13 (expanding), 0.24-0.27 (contracting); forward 0.75-1.16
    assert ranges["fan_in", "100->400"][3] == (3.39, 4.13)
    assert ranges["fan_in", "400->100"][3] == (0.24, 0.27)
    assert ranges["fan_in", "100->400"][3][0] > 2 and ranges["fan_in", "400->100"][3][1] < 0.5
    forward = ranges["fan_in", "100->400"][1] + ranges["fan_in", "400->100"][1]
    assert (min(forward), max(forward)) == (0.75, 1.16)
    # "2/n_out is the mirror image": backward near 1, forward off by the width ratio
    assert ranges["fan_out", "100->400"][1][1] < 0.5 and ranges["fan_out", "400->100"][1][0] > 2
    for span in ("100->400", "400->100"):
        assert 0.8 < ranges["fan_out", span][3][0] and ranges["fan_out", span][3][1] < 1.2
    # compromise: factors 0.4 and 1.6, between the extremes; end to end both passes shrink
    for span, (low, high) in (("100->400", (0.4, 1.6)), ("400->100", (1.6, 0.4))):
        assert (ranges["compromise", span][0], ranges["compromise", span][2]) == (low, high)
    assert ranges["compromise", "2..8"][1] == (0.23, 0.50) and ranges["compromise", "2..8"][1][1] < 1
    assert ranges["compromise", "2..8"][3] == (0.08, 0.11) and ranges["compromise", "2..8"][3][1] < 1
    # "one network scatters around it": forward under 2/n_in ends at 0.55-1.18, around 1
    assert ranges["fan_in", "2..8"][1] == (0.55, 1.18)
    assert ranges["fan_in", "2..8"][1][0] < 1 < ranges["fan_in", "2..8"][1][1]
    # telescoping: 0.25 backward for 2/n_in, 4 forward for 2/n_out
    assert ranges["fan_in", "2..8"][2] == 0.25 and ranges["fan_in", "2..8"][3] == (0.19, 0.27)
    assert ranges["fan_out", "2..8"][0] == 4 and ranges["fan_out", "2..8"][1] == (2.19, 4.73)


def test_where_five_thirds_comes_from(output):
    text = output("tanh_gain.txt")
    forward, backward = (float(g) for g in re.findall(r"gain 1/sqrt = ([\d.]+)", text))
    assert backward < forward < 5 / 3  # "5/3 sits just above both"
    assert 1.5 < forward < 1.65
    deep = dict(re.findall(r"^\s*([\d.]+) \|\s+([\d.]+)$", text, re.M))
    deep = {gain: float(std) for gain, std in deep.items()}
    assert deep["1.000"] < 0.05  # gain 1 fades
    assert 0.6 < deep["1.667"] < 0.7  # "about 0.65", the lecture's observation
    stack = {r[0]: r[1:] for r in table(text) if len(r) == 5 and r[0] != "gain"}
    assert float(stack["1"][1]) < float(stack["1"][0]) / 2  # fades layer by layer
    assert percent(stack["5/3"][2]) < 0.1 and percent(stack["3"][2]) > 0.3
    assert 0.5 < float(stack["5/3"][3]) < 4  # gradients "change little across depth"
    assert float(stack["3"][3]) > 5 and float(stack["1"][3]) < 0.5

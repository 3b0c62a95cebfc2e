"""Chapter 2's statements that depend on computed numbers, checked against the numbers its
snippets printed in this build."""

import json
import math
import re

import pytest

from conftest import percent, table


def rows_of(text, key=0):
    return {r[key]: r for r in table(text)[1:]}


def test_every_hand_written_formula_matches_torch(output):
    text = output("weight_init/formula_table.txt")
    assert "equal to 5/3: True" in text
    rows = rows_of(text)
    assert len(rows) == 11
    for name, (_, formula, hand, made, match) in rows.items():
        assert match == "yes", name
        for measured in (float(hand), float(made)):
            assert abs(measured - float(formula)) <= 0.01 * float(formula) + 1e-12
    # "nn.Linear's own default is neither LeCun nor He": a factor sqrt(3) below LeCun
    ratio = float(rows["LeCun normal"][1]) / float(rows["nn.Linear default"][1])
    assert abs(ratio - math.sqrt(3)) < 1e-3
    # orthogonal entries have LeCun's std, 1/sqrt(500)
    assert abs(float(rows["orthogonal"][3]) - 1 / math.sqrt(500)) < 1e-4
    # ... but not on a widening layer: 1/sqrt(fan_out), half of LeCun, forward std 0.500
    std, lecun, wide, fwd = (float(v) for v in re.search(
        r"entry std ([\d.]+), LeCun 1/sqrt\(128\) = ([\d.]+), 1/sqrt\(512\) = ([\d.]+);"
        r" std of x @ W.T for unit x: ([\d.]+)", text).groups())
    assert (std, lecun, fwd) == (0.0442, 0.0884, 0.5) and abs(std - wide) < 1e-4
    # conv kernels: fan_in = in * kh * kw
    conv, right, wrong = (float(v) for v in re.search(
        r"conv weight \(64, 3, 5, 5\): std ([\d.]+), sqrt\(2 / \(3\*5\*5\)\) = ([\d.]+), "
        r"sqrt\(2 / 3\) = ([\d.]+)", text).groups())
    assert abs(conv - right) < 0.01 * right and conv < wrong / 4
    # nn.Linear's bias is U(+-1/sqrt(fan_in)), not zero
    largest, bound = (float(v) for v in re.search(
        r"default bias: largest abs\(b\) ([\d.]+), bound 1/sqrt\(fan_in\) = ([\d.]+)",
        text).groups())
    assert 0.9 * bound < largest <= bound
    assert "calculate_gain('sigmoid') = 1\n" in text


def test_uniform_bounds_variance_xavier_factor_and_notation(output):
    text = output("weight_init/bounds_and_notation.txt")
    rows = [r for r in table(text)[1:] if len(r) == 4]
    assert len(rows) == 3
    for _, a, max_abs, ratio in rows:
        assert float(max_abs) <= float(a)  # "no value beyond a"
        assert abs(float(ratio) - 1 / 3) < 0.002  # "variance / a^2 at 1/3"
    a2_3 = float(re.search(r"var a\^2/3 = ([\d.]+), measured ([\d.]+)", text)[1])
    measured = float(re.search(r"measured ([\d.]+)", text)[1])
    glorot = float(re.search(r"Glorot normal, 2/\(in\+out\)\s*: var ([\d.]+)", text)[1])
    loose = float(re.search(r"loose normal,\s+1/\(in\+out\)\s*: var ([\d.]+)", text)[1])
    lecun = float(re.search(r"LeCun, 1/fan_in .*: var ([\d.]+)", text)[1])
    assert a2_3 == glorot and abs(measured - glorot) < 0.01 * glorot
    assert abs(glorot / loose - 2) < 1e-9  # "off by a factor of 2"
    assert (glorot, lecun) == (0.0025, 0.002)  # "0.0025, against LeCun's 0.0020"
    std_small = float(re.search(r"std ([\d.]+), variance", text)[1])
    std_var = float(re.search(r"read as a variance: std ([\d.]+)", text)[1])
    assert abs(std_small - 0.01) < 1e-4 and abs(std_var - 0.1) < 1e-3


def test_fan_in_trap_and_linear_default(output):
    text = output("weight_init/fan_layout.txt")
    rows = rows_of(text)
    target = (5 / 3) / math.sqrt(30)
    wrong = rows["kaiming_normal_(W1)"]
    assert abs(float(wrong[1]) - (5 / 3) / math.sqrt(200)) < 0.005  # divides by sqrt(200)
    assert 0.6 < float(wrong[3]) < 0.7  # "about 0.65 instead of 5/3"
    for fixed in ("kaiming_normal_(W1, fan_out)", "kaiming_normal_(W1.T)",
                  "randn(30,200)*(5/3)/sqrt(30)"):
        assert abs(float(rows[fixed][1]) - target) < 0.01
        assert abs(float(rows[fixed][3]) - 5 / 3) < 0.05
    linear = rows["nn.Linear(30, 200) default"]
    assert float(linear[2]) == round(1 / math.sqrt(30), 4)  # max abs: the bound 0.1826
    assert abs(float(linear[1]) - 1 / math.sqrt(90)) < 0.002
    assert 0.55 < float(linear[3]) < 0.61  # "about 0.58"
    assert "(200, 30)" in text
    gain = float(re.search(r"0.2 \* sqrt\(30\) = ([\d.]+)", text)[1])
    assert 1 < gain < 5 / 3  # "between LeCun's 1 and the tanh gain"


def test_orthogonal_properties_sign_fix_and_depth(output):
    text = output("weight_init/orthogonal.txt")
    checks = {r[0]: r[1:] for r in table(text) if len(r) == 3 and r[0] != "check (n = 256)"}
    for col in (0, 1):
        assert float(checks["max abs(W^T W - I)"][col]) < 1e-5
        assert abs(float(checks["largest singular value"][col]) - 1) < 1e-5
        assert abs(float(checks["smallest singular value"][col]) - 1) < 1e-5
        assert abs(float(checks["Frobenius norm"][col]) - 16) < 1e-3
        assert float(checks["max abs(norm ratio - 1)"][col]) < 1e-5
    qr = {r[0]: r for r in table(text) if r[0] in ("no sign fix", "sign fixed")}
    raw, fixed = qr["no sign fix"], qr["sign fixed"]
    assert percent(raw[1]) == 0  # "Q00 is never positive"
    # without the fix, det has one sign for each n: +1 for n = 3, -1 for n = 2, 4, 16
    dets = dict(re.findall(r"n = (\d+): (\d+)%", text))
    assert dets == {"2": "0", "3": "100", "4": "0", "16": "0"}
    assert abs(percent(fixed[1]) - 0.5) < 0.02
    assert max(abs(float(d)) for d in raw[2].split()) > 0.4  # "far from 0"
    assert max(abs(float(d)) for d in fixed[2].split()) < 0.03  # "near 0"
    assert percent(raw[3]) == 1 and abs(percent(fixed[3]) - 0.5) < 0.02
    prods = {(r[0], int(r[1])): r for r in table(text) if len(r) == 5 and r[1].isdigit()}
    assert percent(prods[("Gaussian 1/sqrt(n)", 10)][4]) == 0.41  # quoted "41 %"
    assert percent(prods[("Gaussian 1/sqrt(n)", 50)][4]) > 0.5  # "most ... below 0.01"
    for depth in (1, 10, 50):
        row = prods[("orthogonal", depth)]
        assert float(row[2]) == 1 and float(row[3]) == 1 and percent(row[4]) == 0


def test_symmetry_not_zeros(output):
    text = output("weight_init/symmetry.txt")
    rows = rows_of(text)
    ln2 = math.log(2)
    rnd, const = rows["random everywhere"], rows["all weights 0.3"]
    zero, zero_out = rows["all weights 0"], rows["random, zero output"]
    # equal weights: units stay exactly identical, rank 1, stalls far above random
    assert const[3] == "1" and float(const[4]) == 0
    assert float(const[1]) > 0.5 and 0.6 < percent(const[2]) < 0.72  # "about two thirds"
    # one straight line: the best line gets 66.4 %, the network 65.8 %, no more
    line = percent(re.search(r"best accuracy of any straight line: ([\d.]+%)", text)[1])
    assert (line, const[2]) == (0.664, "65.8%") and percent(const[2]) <= line
    assert const[5] == "never"
    # all zero: rank 0, loss stays at ln 2 (to 3 decimals), never below 0.5
    assert abs(float(zero[1]) - ln2) < 1e-3 and zero[3] == "0" and zero[5] == "never"
    # zero output layer on random hidden layers trains about as well as fully random
    assert percent(rnd[2]) > 0.95 and percent(zero_out[2]) > 0.95
    assert float(zero_out[1]) < 0.1 and float(rnd[1]) < 0.1
    assert zero_out[3] == "16" and rnd[3] == "16"
    # "after a delay of a few dozen steps"
    delay = int(zero_out[5].split()[1]) - int(rnd[5].split()[1])
    assert 15 <= delay <= 100
    # five more draws of the hidden weights: 0.039-0.043 vs 0.034-0.044, delay 27-49 steps
    r_lo, r_hi, z_lo, z_hi, d_lo, d_hi = (float(v) for v in re.search(
        r"final loss ([\d.]+) to ([\d.]+) vs ([\d.]+) to ([\d.]+); delay to loss < 0.5: "
        r"(\d+) to (\d+) steps", text).groups())
    assert (r_lo, r_hi, z_lo, z_hi, d_lo, d_hi) == (0.034, 0.044, 0.039, 0.043, 27, 49)
    assert z_hi < 0.1 and 15 <= d_lo and d_hi <= 100  # trains as well, a few dozen steps


def test_deep_histograms_small_init_collapses(output):
    text = output("weight_init/deep_histograms.txt")
    small = re.findall(r"small: randn × 0.01\s+act ([\de.+\- ]+)", text)
    assert len(small) == 2  # tanh and ReLU
    for line in small:
        stds = [float(v) for v in line.split()]
        assert stds[-1] < 1e-7 * stds[0]


def test_depth_table_backs_which_one_to_use(output):
    text = output("weight_init/depth_summary.txt")
    rows = {(r[0], r[1]): r for r in table(text)[1:] if len(r) == 6}
    t = lambda name: rows[("tanh", name)]  # noqa: E731
    r = lambda name: rows[("ReLU", name)]  # noqa: E731
    lecun, orth = "LeCun = Xavier: 1/√n", "orthogonal"
    k53, he, small = "Kaiming tanh: (5/3)/√n", "He: √2/√n", "small: randn × 0.01"
    # small: "less than 1e-7", activations and gradients, both stacks
    for row in (t(small), r(small)):
        assert float(row[3]) < 1e-7 and float(row[4]) < 1e-7
        assert abs(float(row[2]) - 0.16) < 0.01  # "0.01 * sqrt(256) = 0.16"
    # "(0.11 with ReLU)": nine layers between layer 1 and layer 10
    assert abs(float(r(small)[3]) ** (1 / 9) - 0.16 / math.sqrt(2)) < 0.005
    assert abs(float(t(small)[3]) ** (1 / 9) - 0.16) < 0.005
    # tanh, gain 1: "about a third" of the layer-1 spread, gradient likewise
    for name in (lecun, orth):
        assert 0.25 < float(t(name)[3]) < 0.45 and 0.25 < float(t(name)[4]) < 0.45
    # tanh, gain 5/3: steady activations (about 0.65), a few % saturated, grad about 2
    act10 = float(t(k53)[2]) * float(t(k53)[3])
    assert 0.6 < act10 < 0.7 and float(t(k53)[3]) > 0.8
    assert 0.01 < percent(t(k53)[5]) < 0.1 and 1.5 < float(t(k53)[4]) < 3
    # "every scheme with a sensible gain stays within a small factor of 1"
    for name in (lecun, orth, k53, he):
        assert 1 / 3 < float(t(name)[3]) < 3 and 1 / 3 < float(t(name)[4]) < 3
    # ReLU: only He is flat; gain 1 loses > 20x; 5/3 gains about 4x
    assert 0.8 < float(r(he)[3]) < 1.25 and 0.8 < float(r(he)[4]) < 1.25
    for name in (lecun, orth):
        assert float(r(name)[3]) < 0.05 and float(r(name)[4]) < 0.05
    assert 3 < float(r(k53)[3]) < 6 and 3 < float(r(k53)[4]) < 6
    for name in (lecun, orth, k53, small):
        assert not (0.8 < float(r(name)[3]) < 1.25)
    # orthogonal sits on top of LeCun/Xavier in the nonlinear stacks
    for stack in (t, r):
        assert abs(float(stack(orth)[3]) / float(stack(lecun)[3]) - 1) < 0.15
        assert abs(float(stack(orth)[4]) / float(stack(lecun)[4]) - 1) < 0.15
    # "gain 1 in the ReLU stack: both directions off by more than a factor of 20"
    assert float(r(lecun)[3]) < 1 / 20 and float(r(lecun)[4]) < 1 / 20
    # "in the tanh and SELU stacks" the gradients grow; in the ReLU stack He holds both
    assert 0.8 < float(r(he)[4]) < 1.25
    # SELU: LeCun keeps unit scale at layer 50, He grows more than tenfold
    selu = {r_[0]: r_ for r_ in table(text) if len(r_) == 4 and r_[0] in ("LeCun", "He")}
    assert abs(float(selu["LeCun"][2]) - 1) < 0.1 and abs(float(selu["LeCun"][1]) - 1) < 0.1
    assert float(selu["He"][2]) > 10


def test_all_zero_weights_freeze_but_the_output_bias_moves(output):
    text = output("weight_init/symmetry.txt")
    frozen = re.search(r"W1, W2, W3: (.+)\n\s+b1, b2:\s+(.+)\n", text)
    values = [float(v) for v in (frozen[1] + ", " + frozen[2]).split(",")]
    assert len(values) == 5 and all(v == 0 for v in values)  # weights, hidden biases
    b3, log_odds, p = (float(v) for v in re.search(
        r"b3: ([+-][\d.]+); labels' log-odds ln\(p/\(1-p\)\) = ([+-][\d.]+), p = ([\d.]+)",
        text).groups())
    assert abs(b3) > 0.01 and p != 0.5  # "b3 has moved"
    assert abs(b3 - log_odds) < 1e-3  # "to the log-odds of the labels"
    entropy, final = (float(v) for v in re.search(
        r"entropy of the labels = ([\d.]+), final loss ([\d.]+)", text).groups())
    assert abs(final - entropy) < 1e-4 and final < math.log(2)  # the entropy, below ln 2
    assert round(final, 3) == round(math.log(2), 3)  # "ln 2 to three decimals"


def test_fan_modes_each_keep_one_pass_and_xavier_loses_both(output):
    text = output("weight_init/fan_modes.txt")
    rows = [r for r in table(text)[1:] if len(r) == 4 and r[0].isdigit()]
    assert len(rows) == 10
    f_in, f_out, f_xav, b_in, b_out, b_xav = (
        [float(r[c].split()[k]) for r in rows] for c, k in
        ((2, 0), (2, 1), (2, 2), (3, 0), (3, 1), (3, 2)))
    # fan_in keeps the forward pass (1.25 to 1.42); fan_out the backward (0.97 to 1.00)
    assert 1.24 < min(f_in) and max(f_in) < 1.43
    assert 0.965 < min(b_out) and max(b_out) < 1.005
    # the other pass halves and doubles back at each change of width
    for l in range(10):
        narrowing = l % 2 == 1  # layers 2, 4, ...: 512 -> 128
        if narrowing:
            assert abs(b_in[l] / b_in[l - 1] - 0.5) < 0.05  # gradient halves
            assert abs(f_out[l] / f_out[l - 1] - 2) < 0.2  # forward doubles back
            assert abs(f_out[l] / f_in[l] - 1) < 0.005  # equal at every even layer
        else:
            assert abs(f_out[l] / f_in[l] - 0.5) < 0.005  # forward halves
            assert abs(b_out[l] / b_in[l] - 1) < 0.005  # equal at every odd layer
    # Xavier: per-layer factors between the two modes', but 0.8 per pair in both passes
    factors = {m: [float(v) for v in re.search(
        m + r"\s+forward x([\d.]+) x([\d.]+) = x[\d.]+,\s+backward x([\d.]+) x([\d.]+)",
        text).groups()] for m in ("fan_in", "fan_out", "Xavier")}
    for k in range(4):
        lo, hi = sorted((factors["fan_in"][k], factors["fan_out"][k]))
        assert lo < factors["Xavier"][k] < hi
    for l in range(1, 10):  # measured: Xavier's step lies between the two modes' steps
        steps = [col[l] / col[l - 1] for col in (f_in, f_out, f_xav)]
        assert min(steps[:2]) < steps[2] < max(steps[:2])
    for l in range(1, 10, 2):
        assert abs(f_xav[l] / f_in[l] - 0.8 ** ((l + 1) // 2)) < 0.01
    assert (f_xav[-1], b_xav[0]) == (0.41, 0.319)  # "0.41", "0.32"
    pred = re.search(r"Xavier\s+forward x([\d.]+) x([\d.]+) = x([\d.]+),"
                     r"\s+backward x([\d.]+) x([\d.]+) = x([\d.]+)", text)
    assert [float(v) for v in pred.groups()] == [0.632, 1.265, 0.8, 1.265, 0.632, 0.8]
    for mode in ("fan_in", "fan_out"):
        assert re.search(mode + r"\s+forward .* = x1.000,\s+backward .* = x1.000", text)
    spread = percent(re.search(r"any cell: ([\d.]+%)", text)[1])
    assert 0.2 < spread <= 0.29  # "up to 29 %", below the factor 2 between modes


def test_selu_gradient_grows_under_lecun(output):
    text = output("weight_init/depth_summary.txt")
    chi, per_layer, over = (float(v) for v in re.search(
        r"E\[selu'\(z\)\^2\] = ([\d.]+): gradient std x([\d.]+) per layer, "
        r"x([\d.]+) over 49 layers", text).groups())
    assert chi == 1.072 and abs(per_layer - 1.035) < 0.001 and abs(over - 5.5) < 0.05
    lo, hi, mean = (float(v) for v in re.search(
        r"LeCun grad std L1 over seeds 0-4: ([\d.]+) to ([\d.]+), mean ([\d.]+)", text).groups())
    assert 5.6 <= lo and hi < 5.9 and abs(mean - 5.7) < 0.1  # "about 5.7 (5.66 to 5.87)"
    assert (lo, hi) == (5.66, 5.87)
    assert lo > over  # growth at least as large as predicted; "close to" within 10 %
    assert mean / over < 1.1
    he = {r[0]: r for r in table(text) if len(r) == 4}["He"]
    assert 150 < float(he[3]) < 250  # "He's factor of about 200"
    assert float(he[3]) > 10 * mean  # "mild next to He's"


def test_tanh_gains_he_between_lecun_and_five_thirds(output):
    text = output("weight_init/tanh_gains.txt")
    rows = {r[0]: r for r in table(text) if len(r) == 6 and r[0] != "gain"}
    grads = {r[0]: r for r in table(text) if len(r) == 5 and r[0] in rows}
    lecun, he, k53 = "LeCun: 1", "He: √2", "tanh: 5/3"
    std = {n: [float(v) for v in rows[n][1].split()] for n in rows}
    pred = {n: float(rows[n][2]) for n in rows}
    sat = {n: percent(rows[n][3]) for n in rows}
    sat_range = {n: [percent(v) for v in rows[n][4].split(" to ")] for n in rows}
    # forward: settles at about 0.56 (He) and 0.65 (5/3); gain 1 keeps falling to 0.23
    assert abs(std[he][3] - 0.556) < 0.01 and abs(std[k53][3] - 0.651) < 0.01
    assert abs(std[he][3] - std[he][2]) < 0.03 and abs(std[k53][3] - std[k53][2]) < 0.01
    assert std[lecun] == sorted(std[lecun], reverse=True) and abs(std[lecun][3] - 0.23) < 0.01
    assert std[lecun][3] < std[he][3] < std[k53][3]  # He in between
    for n in rows:
        assert abs(std[n][3] - pred[n]) <= 0.003 + 1e-9  # "to within 0.003"
    # saturation: He under 1 % (0.7 to 0.9), 5/3 about 5 % (5.1 to 5.6); He less, not more
    assert sat[he] < 0.01 and sat_range[he] == pytest.approx([0.007, 0.009])
    assert 0.04 < sat[k53] < 0.06 and sat_range[k53] == pytest.approx([0.051, 0.056])
    assert sat_range[he][1] < sat_range[k53][0]
    # backward: 0.39, 1.3, 2.1 at layer 1; growth about 5 % and 10 % per layer at L10
    g1 = {n: float(grads[n][1]) for n in grads}
    g_range = {n: [float(v) for v in grads[n][2].split(" to ")] for n in grads}
    assert abs(g1[lecun] - 0.39) < 0.01 and abs(g1[he] - 1.3) < 0.05
    assert abs(g1[k53] - 2.1) < 0.05
    assert g_range[lecun][1] < 1 < g_range[he][0] and g_range[he][1] < g_range[k53][0]
    factor = {n: float(grads[n][4].lstrip("x")) for n in grads}
    assert factor[lecun] < 1 and abs(factor[he] - 1.05) < 0.01
    assert abs(factor[k53] - 1.10) < 0.01


def test_residual_stream_grows_and_the_fixes(output):
    text = output("weight_init/residual.txt")
    rows = {r[0]: r for r in table(text)[1:] if len(r) == 6}
    mean = {n: [float(v) for v in r[1:5]] for n, r in rows.items()}
    rng = {n: [float(v) for v in r[5].split(" to ")] for n, r in rows.items()}
    plain, skip = "plain, no skip: f(x)", "x + f(x)"
    scaled, zero = "x + f(x) / sqrt(L)", "x + 0 · f(x) (zero last layer)"
    pre, post = "pre-norm: x + f(LN(x))", "post-norm: LN(x + f(x))"
    pred = lambda label: float(re.search(  # noqa: E731
        re.escape(label) + r".*at l = 50: ([\d.e+]+)", text)[1])
    # plain skip: about 29 at block 10, 2e7 at 50 (1.1e7 to 3.3e7), 3.4e7 predicted
    assert abs(mean[skip][1] - 29.5) < 1 and 1.5e7 < mean[skip][3] < 2.5e7
    assert 1.0e7 < rng[skip][0] and rng[skip][1] < 3.4e7
    assert rng[skip][1] <= pred("predicted for x + f(x):") and abs(
        pred("predicted for x + f(x):") - 3.36e7) < 1e5
    # the branch alone stays within a factor 3 of 1 (0.37 to 0.76)
    assert 1 / 3 < rng[plain][0] and rng[plain][1] < 3 and rng[plain][1] < rng[skip][0]
    # 1/sqrt(L): 1.61 measured, 1.64 predicted (about e^(1/2))
    assert abs(mean[scaled][3] - 1.61) < 0.01 and pred("x + f(x)/sqrt(L)") == 1.64
    assert rng[scaled][1] <= pred("x + f(x)/sqrt(L)")
    # zero last layer: the input's scale, exactly; post-norm: 1
    assert all(abs(v - 0.999) < 0.002 for v in mean[zero])
    assert all(v == 1 for v in mean[post])
    # pre-norm grows like sqrt(1 + l): 7.0 at 50, 7.14 predicted; slow but real growth
    assert abs(mean[pre][3] - 7.0) < 0.05 and pred("pre-norm") == 7.14
    assert mean[pre] == sorted(mean[pre]) and rng[pre][0] > 6
    assert mean[pre][3] < mean[skip][1]  # slower than the plain skip


def test_tanh_gain_one_decays_as_a_power_law(output):
    text = output("weight_init/tanh_gains.txt")
    deep = {int(r[0]): [float(v) for v in r[1:]] for r in table(text)
            if len(r) == 5 and r[0].isdigit()}
    assert sorted(deep) == [10, 20, 50]
    # std * sqrt(l) near 1/sqrt(2): 0.72, 0.69, 0.66
    assert [deep[l][3] for l in (10, 20, 50)] == [0.72, 0.69, 0.66]
    assert all(abs(deep[l][3] - 1 / math.sqrt(2)) < 0.06 for l in deep)
    # layer 50: 0.091 to 0.095, against 0.046 for a geometric fall; prediction 0.102 above
    assert (deep[50][0], deep[50][1]) == (0.091, 0.095)
    geometric = float(re.search(r"would give ([\d.]+) at layer 50", text)[1])
    assert geometric == 0.046 and deep[50][0] > 1.5 * geometric
    assert deep[50][1] < deep[50][2] < 1.15 * deep[50][1]  # "a little above"
    assert abs(deep[10][2] - (deep[10][0] + deep[10][1]) / 2) < 0.005  # still close at 10
    # within a factor 3 over 10 layers, but not over 50
    lo, hi = (float(v) for v in re.search(
        r"gradient std at layer 1 \(1 at layer 50\): ([\d.]+) to ([\d.]+)", text).groups())
    assert (lo, hi) == (0.16, 0.17)
    l1 = float(rows_of_gain_one(text)[0])
    assert deep[50][1] < l1 / 3  # keeps shrinking past a factor 3


def rows_of_gain_one(text):
    row = next(r for r in table(text) if r[0] == "LeCun: 1" and len(r) == 6)
    return row[1].split()


# --- the explorable: the depth table's stacks, 50 layers deep (explore_depth.py) -------------

SCHEME_NAMES = {"std 0.01": "small: randn × 0.01", "LeCun/Xavier": "LeCun = Xavier: 1/√n",
                "gain 5/3": "Kaiming tanh: (5/3)/√n", "He": "He: √2/√n",
                "orthogonal": "orthogonal"}


def fifty_layers(output):
    """{(activation, scheme): (act L1, L10, L50, grad L1, L10, L50)} and
    {(activation, scheme): (act min, act max, grad min, grad max)} over the 50 layers."""
    text = output("weight_init/explore_depth.txt").split("ReLU, He, seeds 0 to 9")[0]
    at, over = text.split("lowest and highest")
    cells = lambda text: {(r[0], r[1]): [float(v) for c in r[2:] for v in c.split()]  # noqa: E731
                          for r in table(text) if len(r) == 4 and r[0] != "act."}
    return cells(at), cells(over)


def test_explorable_repeats_the_depth_table_runs(output):
    at, _ = fifty_layers(output)
    assert len(at) == 20
    assert all(v[5] == 1 for v in at.values())  # "a gradient of std about 1 entering at the top"
    text = output("weight_init/depth_summary.txt")
    rows = {(r[0], r[1]): r for r in table(text)[1:] if len(r) == 6}
    for (act, scheme), v in at.items():  # tanh and ReLU: the table's first ten layers forward
        if act in ("tanh", "ReLU"):
            row = rows[(act, SCHEME_NAMES[scheme])]
            assert abs(v[0] - float(row[2])) <= 0.005 * float(row[2])  # 3 digits against 4
            assert abs(v[1] / v[0] / float(row[3]) - 1) < 0.006
    selu = {r[0]: [float(c) for c in r[1:]] for r in table(text)
            if len(r) == 4 and r[0] in ("LeCun", "He")}
    for name, scheme in (("LeCun", "LeCun/Xavier"), ("He", "He")):  # its 50-layer SELU run
        v = at[("SELU", scheme)]
        for mine, theirs in zip((v[1], v[2], v[3]), selu[name]):
            assert abs(mine - theirs) <= 0.005 * theirs


def test_fifty_tanh_layers_compound_the_gradient_growth(output):
    at, _ = fifty_layers(output)
    he, k53, one = at[("tanh", "He")], at[("tanh", "gain 5/3")], at[("tanh", "LeCun/Xavier")]
    # activations hold their level from layer 10 to 50: 0.559 at both, 0.653 and 0.655
    assert (he[1], he[2], k53[1], k53[2]) == (0.559, 0.559, 0.653, 0.655)
    # the gradient at layer 1: 9.95 and 96.8, a little below 49 steps at the predicted factors
    factor = {r[0]: float(r[4].lstrip("x")) for r in table(output("weight_init/tanh_gains.txt"))
              if len(r) == 5 and r[0] in ("He: √2", "tanh: 5/3")}
    assert (factor["He: √2"], factor["tanh: 5/3"]) == (1.050, 1.099)
    compound = {n: f ** 49 for n, f in factor.items()}
    assert round(compound["He: √2"], 1) == 10.9 and round(compound["tanh: 5/3"]) == 102
    assert (he[3], k53[3]) == (9.95, 96.8)
    for measured, n in ((he[3], "He: √2"), (k53[3], "tanh: 5/3")):
        assert 0.85 < measured / compound[n] < 1  # "a little below"
    # gain 1 shrinks both: 0.0935 at layer 50, the gradient at layer 1 0.174 times the top's
    # (the gradient ratio readout printed for the default setting, tanh with LeCun/Xavier)
    assert one[2] == 0.0935 and one[2] < one[0] and one[3] < one[5]
    text = output("weight_init/explore_depth.txt")
    assert "at tanh, LeCun/Xavier, layer 10 (the explorable's defaults):" in text
    assert "\ngradients: std at layer 1 / layer 50: 0.174\n" in text


def relu_he_seeds(output):
    """{seed: (act L1, act L50, act min, act max, grad min, grad max, within 2x)}"""
    text = output("weight_init/explore_depth.txt").split("ReLU, He, seeds 0 to 9")[1]
    return text, {int(r[0]): [float(v) for v in (r[1] + " " + r[2]).split()] + [r[3]]
                  for r in table(text)[1:]}


def test_fifty_relu_layers_only_he_within_a_factor_two(output):
    at, over = fifty_layers(output)
    within = lambda v: all(0.5 < x < 2 for x in v)  # noqa: E731
    assert over[("ReLU", "He")] == [0.515, 1.51, 0.788, 1.15] and within(over[("ReLU", "He")])
    for scheme in SCHEME_NAMES:
        if scheme != "He":
            assert not within(over[("ReLU", scheme)]), scheme
    one, k53, he = at[("ReLU", "LeCun/Xavier")], at[("ReLU", "gain 5/3")], at[("ReLU", "He")]
    assert (one[2], one[3]) == (1.86e-08, 3.32e-08) and all(1e-9 < x < 1e-7 for x in one[2:4])
    assert (k53[2], k53[3]) == (2310, 2460) and min(k53[2:4]) > 2000
    assert (he[0], he[2]) == (1.41, 0.626) and he[2] < he[0] / 2  # "under half of layer 1's"
    # "He's margin is narrow": over seeds 0 to 9, nine runs of ten within the factor of 2;
    # seed 6's activations fall to 0.458; the gradients stay between 0.721 and 1.34 in all ten
    text, seeds = relu_he_seeds(output)
    assert sorted(seeds) == list(range(10))
    assert seeds[0][:6] == [he[0], he[2]] + over[("ReLU", "He")]  # seed 0 is the run above
    for seed, v in seeds.items():
        assert v[6] == ("yes" if within(v[2:6]) else "no"), seed
    assert [s for s, v in seeds.items() if v[6] == "no"] == [6] and seeds[6][2] == 0.458
    assert "within a factor of 2 of 1 at every layer in both directions: 9 of 10 seeds" in text
    assert min(v[4] for v in seeds.values()) == 0.721 and max(v[5] for v in seeds.values()) == 1.34
    assert all(0.5 < v[4] and v[5] < 2 for v in seeds.values())


def test_relu_he_runs_drift_down(output):
    text, seeds = relu_he_seeds(output)
    ends = [v[1] for v in seeds.values()]
    # "all ten seeds end below their layer 1, at 0.491 to 1.38 (median 0.751)"
    assert all(v[1] < v[0] for v in seeds.values())
    assert ("act L50 below act L1 in 10 of 10 seeds; act L50 from 0.491 to 1.38, "
            "median 0.751") in text
    assert (min(ends), max(ends)) == (0.491, 1.38)
    assert abs(sorted(ends)[4] + sorted(ends)[5] - 2 * 0.751) < 0.002


def test_fifty_linear_layers_grow_unless_gain_one(output):
    at, over = fifty_layers(output)
    text = output("weight_init/explore_depth.txt")
    for scheme, per_layer, quoted, end in (("He", math.sqrt(2), 1.41, 3.05e7),
                                          ("gain 5/3", 5 / 3, 1.66, 1.12e11)):
        v = at[("linear", scheme)]
        measured = (v[2] / v[0]) ** (1 / 49)
        assert round(measured, 2) == quoted and abs(measured / per_layer - 1) < 0.01
        printed = float(re.search(rf"\n{re.escape(scheme)}: factor ([\d.]+);", text)[1])
        assert printed == quoted
        assert v[2] == end
    assert at[("linear", "orthogonal")] == [1] * 6 and over[("linear", "orthogonal")] == [1] * 4
    lecun = over[("linear", "LeCun/Xavier")]
    assert lecun[:2] == [0.858, 1.03] and lecun[0] < 0.9  # Gaussian layers wander


def test_static_figure_alt_text_linear_stacks_leave_the_panels(output):
    # "5/3 and He leave the top of the activation panel after about layer 14 and 21, and in
    # the gradient panel they are above the top from layer 1 up to about layer 36 and 30"
    text = output("weight_init/explore_depth.txt")
    found = {m[0]: (int(m[1]), int(m[2])) for m in re.findall(
        r"\n(He|gain 5/3): factor [\d.]+; activations above 1000 from layer (\d+), "
        r"gradients above 1000 up to layer (\d+)", text)}
    assert found == {"gain 5/3": (14, 36), "He": (21, 30)}
    at, _ = fifty_layers(output)
    for scheme in ("gain 5/3", "He"):
        assert at[("linear", scheme)][3] > 1000  # above the top at layer 1


def test_explorable_axes_and_static_view(built_outputs):
    data = json.loads((built_outputs / "weight_init/explore_depth.explorable.json").read_text())
    lines, bars = data["charts"]
    assert lines["yrange"] == [1e-3, 1e3] and lines["ylog"]  # "below 0.001 or above 1000"
    assert bars["yrange"] == [0, 0.25]  # "stops at a share of 0.25"
    assert len(data["settings"]) == 20  # "all twenty settings"
    activations = data["controls"][1]["values"]
    for key, setting in data["settings"].items():  # x from -1 to 1 for tanh, else -4 to 4
        half = 1 if activations[int(key.split(",")[1])] == "tanh" else 4
        width = 2 * half / (len(setting["edges"][0]) - 2)  # 41 bins over 40 bin widths
        assert all(e[0] == -e[-1] and abs(e[-1] - (half + width / 2)) < 1e-3
                   for e in setting["edges"])


def test_fifty_layers_of_std_001_underflow(output, built_outputs):
    at, _ = fifty_layers(output)
    text = output("weight_init/explore_depth.txt")
    tiny = 1.1754944e-38  # float32's smallest normal number
    assert "float32: smallest normal number 1.2e-38, smallest positive number 1.4e-45" in text
    assert (at[("tanh", "std 0.01")][2], at[("linear", "std 0.01")][2]) == (1.42e-40, 1.46e-40)
    assert at[("tanh", "std 0.01")][2] < tiny and at[("linear", "std 0.01")][2] < tiny
    assert at[("ReLU", "std 0.01")][2] == 0
    # "53,155 of the 131,072 values of z are still nonzero at layer 47, and none from 48 on"
    assert ("0 in an act column: float32 underflow (ReLU, std 0.01: 53155 of 131072 values "
            "nonzero at layer 47, none from layer 48 on)") in text
    assert ("0 in a grad column: z is exactly 0 at layers 48 to 50, "
            "and PyTorch takes ReLU'(0) = 0") in text
    # the gradient is exactly 0 at layers 1 to 49 in that stack only, and nowhere else
    assert at[("ReLU", "std 0.01")][3:] == [0, 0, 1]
    assert all(v[3] > 0 for k, v in at.items() if k != ("ReLU", "std 0.01"))
    data = json.loads((built_outputs / "weight_init/explore_depth.explorable.json").read_text())
    scheme = data["controls"][0]["values"].index("small")
    relu = data["controls"][1]["values"].index("ReLU")
    setting = data["settings"][f"{scheme},{relu}"]
    assert setting["act_at"][46] != "0" and not setting["act_at"][46].startswith("0 (")
    assert setting["act_at"][47:] == ["0 (float32 underflow at layer 48)"] * 3
    assert setting["grad_at"][:49] == [
        "0 (z is exactly 0 at layers 48 to 50: no ReLU there passes a gradient)"] * 49
    assert setting["grad_at"][49] == "1"
    for key, other in data["settings"].items():  # no other readout shows an exact 0
        if key != f"{scheme},{relu}":
            assert not any(t.startswith("0") and not t.startswith("0.")
                           for t in other["act_at"] + other["grad_at"]), key

"""Chapter 3's statements that depend on computed numbers, checked against the numbers its
snippets printed in this build."""

import re

from conftest import table


def close(a, b, rel):
    return abs(a - b) <= rel * abs(b)


def test_second_moment_not_variance_predicts_the_layer(output):
    text = output("variance/single_layer.txt")
    rows = {r[0]: [float(c) for c in r[1:]] for r in table(text)[1:]}
    n_s2 = 256 * 0.05**2
    for name, (var_x, second, var_y, with_var, with_second, unit_var, unit_e2) in rows.items():
        assert close(var_y, with_second, 0.03), name  # n s^2 E[x^2] always matches
        # one fixed network: per-unit variance is n s^2 Var(x), per-unit E[y^2] is n s^2 E[x^2]
        assert close(unit_var, with_var, 0.03) and close(unit_e2, with_second, 0.03), name
    assert close(rows["x ~ N(0, 1)"][2], rows["x ~ N(0, 1)"][3], 0.03)  # both agree at mean 0
    for name in ("x ~ N(1, 1)", "x = relu(N(0, 1))"):
        var_x, second, var_y, with_var, with_second, unit_var, unit_e2 = rows[name]
        assert not close(var_y, with_var, 0.2), f"{name}: Var formula should miss"
        assert not close(unit_var, unit_e2, 0.2), f"{name}: unit Var and E2 should differ"
        # "off by n sigma^2 times the squared mean"
        assert close(with_second - with_var, n_s2 * (second - var_x), 0.02)
    # numbers quoted in the prose
    assert (rows["x ~ N(1, 1)"][5], rows["x = relu(N(0, 1))"][5]) == (0.641, 0.219)
    assert (rows["x ~ N(1, 1)"][6], rows["x = relu(N(0, 1))"][6]) == (1.281, 0.321)
    product = re.search(r"measured ([\d.]+), full formula ([\d.]+), .* alone ([\d.]+)", text)
    measured, full, naive = map(float, product.groups())
    assert close(measured, full, 0.02) and not close(measured, naive, 0.2)


def test_relu_second_moment_is_half_and_variance_is_not(output):
    rows = {r[0]: (float(r[1]), float(r[2])) for r in table(output("variance/relu_moments.txt"))[1:]}
    for measured, exact in rows.values():
        assert abs(measured - exact) < 0.005
    assert abs(rows["relu: variance"][1] - 0.5) > 0.1
    assert rows["leaky 0.2: 2nd moment"] == (0.5207, 0.52)  # "(1 + a^2)/2", quoted


def test_depth_multiplies_a_wrong_scale_forwards_and_backwards(output):
    text = output("variance/depth_relu.txt")
    rows = {r[0]: [float(c) for c in r[1:]] for r in table(text)[1:]}
    lecun, he, large = rows["1/sqrt(n) (LeCun)"], rows["sqrt(2/n) (He)"], rows["2/sqrt(n) (too large)"]
    assert lecun[1] < 0.01 and lecun[2] < 0.01  # vanishes by orders of magnitude
    assert large[1] > 100 and large[2] > 100  # explodes
    # one run rescaled: the other rows' ratios are He's times (g/sqrt 2)^19 = 0.00138, 724
    factors = dict(re.findall(r"^(.+?)\s*: \(gain / sqrt\(2\)\)\^19 = ([\d.e+]+)$", text, re.M))
    assert (float(factors["1/sqrt(n) (LeCun)"]), float(factors["2/sqrt(n) (too large)"])) == (0.00138, 724)
    for row, f in ((lecun, 0.00138), (large, 724)):
        assert close(row[1] / row[0], f * he[1] / he[0], 0.02)
        assert close(row[2], f * he[2], 0.02)
    # He over five seeds: "0.69 to 0.96" forwards, "0.84 to 1.06" backwards, "within 1.5 of flat"
    fwd_lo, fwd_hi, bwd_lo, bwd_hi = map(float, re.search(
        r"He, 5 seeds: act std L20 / L1 ([\d.]+) to ([\d.]+), grad L1 / L20 ([\d.]+) to ([\d.]+)",
        text).groups())
    assert (fwd_lo, fwd_hi, bwd_lo, bwd_hi) == (0.69, 0.96, 0.84, 1.06)
    assert 1 / 1.5 < min(fwd_lo, bwd_lo) and max(fwd_hi, bwd_hi) < 1.5
    # "the other two scales are off by factors of several hundred"
    assert 1 / lecun[1] > 300 and 1 / lecun[2] > 300
    assert large[1] / large[0] > 300 and large[2] > 300


def spread(cell):
    """'53.2 [18, 70]' -> (53.2, 18.0, 70.0)"""
    mean, low, high = re.fullmatch(r"([\d.]+) \[([\d.]+), ([\d.]+)\]", cell).groups()
    return float(mean), float(low), float(high)


def test_rescaling_keeps_the_on_off_pattern_and_the_rate_decides_deaths(output):
    text = output("variance/dead_relus.txt")
    assert "sqrt(2/n), zero biases: True" in text  # rescaling keeps the pattern...
    assert "biases 0.1 (not rescaled): False" in text  # ...only with zero (or rescaled) biases
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
    # "the extra dead units did not raise the loss: 0.189 against 0.245, overlapping ranges,
    # and the run with the most dead units (70) reached the lowest loss of all (0.066)"
    loss_01, loss_05 = spread(rows["0.01"][4]), spread(rows["0.05"][4])
    assert (loss_05[0], loss_01[0]) == (0.189, 0.245) and loss_05[0] < loss_01[0]
    assert loss_05[1] < loss_01[2] and loss_01[1] < loss_05[2]  # ranges overlap
    per_seed = [(int(a), float(b)) for a, b in re.findall(
        r"\((\d+), ([\d.]+)\)", text.split("per seed:")[1])]
    most_dead = max(per_seed)
    assert most_dead == (70, 0.066) and most_dead[1] == min(b for _, b in per_seed)
    assert most_dead[1] < loss_01[1]  # lowest of all, lr 0.01 included


def test_backward_factor_is_fan_out_and_forward_is_fan_in(output):
    text = output("variance/backward_fan_out.txt")
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
    text = output("variance/tanh_gain.txt")
    forward, backward = (float(g) for g in re.findall(r"gain 1/sqrt = ([\d.]+)", text))
    assert (forward, backward) == (1.593, 1.467)  # quoted: 1.593 forwards, 1.467 backwards at q=1
    rows = [r for r in table(text) if r[0] != "gain"]
    fixed = {r[0]: [float(c) for c in r[1:]] for r in rows if len(r) == 5}
    # at the fixed point, chi > 1 for every gain above 1: 1.126, 1.178, 1.210, 1.866
    for gain, chi in (("1.467", 1.1261), ("1.593", 1.1780), ("1.667", 1.2098), ("3.000", 1.8661)):
        assert fixed[gain][2] == chi and chi > 1
    assert fixed["1.467"][0] == 0.7240 and fixed["1.467"][0] < 1  # its own fixed point is 0.72
    # gain 1 is the boundary: chi tends to 1 from below as the signal fades
    assert 0.995 < fixed["1.000"][2] < 1 and fixed["1.000"][1] < 0.05
    assert fixed["1.667"][1] == 0.651 and 0.6 < fixed["1.667"][1] < 0.7  # "about 0.65"
    # gain 1 fades as a power law: 0.228, 0.071, 0.022 against 1/sqrt(2l) 0.224, 0.071, 0.022
    m = re.search(r"1000 layers: ([\d.]+), ([\d.]+), ([\d.]+); 1/sqrt\(2 l\): ([\d.]+), ([\d.]+), "
                  r"([\d.]+)", text)
    measured, power = list(map(float, m.groups()[:3])), list(map(float, m.groups()[3:]))
    assert measured == [0.228, 0.071, 0.022] and power == [0.224, 0.071, 0.022]
    assert all(close(a, b, 0.05) for a, b in zip(measured, power))
    # sigmoid with 1/n: q settles at 0.265, backward factor 0.056 per layer
    q, back = map(float, re.search(r"q settles at ([\d.]+), backward factor ([\d.]+)", text).groups())
    assert (q, back) == (0.265, 0.056) and q < 0.5 and back < 0.1

    def span(cell):
        low, high = re.fullmatch(r"([\d.e+]+)-([\d.e+]+)", cell).groups()
        return float(low), float(high)

    stack = {r[0]: [span(c) for c in r[1:7]] + [float(r[7])] for r in rows if len(r) == 8}
    std10, std100, sat, g10, g100, per_layer, pred = stack["5/3"]
    assert std100 == (0.651, 0.653) and sat == (5.2, 5.5) and sat[1] < 10
    assert pred == 1.100 and per_layer == (1.1004, 1.1012)  # ~10% per layer, as predicted
    assert per_layer[0] <= pred * 1.001 and pred * 0.999 <= per_layer[1]
    assert g10 == (2.10, 2.19) and g100 == (1.14e4, 1.31e4)  # mild at 10, large at 100
    assert g10[1] < 3 and g100[0] > 1000
    # gain 3: 40.4-40.6% saturated, gradient x1.36-1.37 per layer
    assert stack["3"][2] == (40.4, 40.6) and (round(stack["3"][5][0], 2), round(stack["3"][5][1], 2)) == (1.36, 1.37)
    assert stack["3"][5][0] > stack["5/3"][5][1]  # "faster still"
    # gain 1 fades, and its gradient with it: 0.9925-0.9941 per layer
    assert stack["1"][5] == (0.9925, 0.9941) and stack["1"][5][1] < 1
    assert stack["1"][1][1] < stack["1"][0][0] / 2 and stack["1"][3][1] < 0.5


def test_pytorch_reads_fans_from_the_shape(output):
    text = output("variance/torch_init.txt")
    rows = {r[0]: (float(r[1]), float(r[2])) for r in table(text)[1:]}
    assert len(rows) == 4 and all(close(std, exp, 0.015) for std, exp in rows.values())  # "1.5%"
    in_, out = map(float, re.search(r"n_in = ([\d.]+), Var\(W\) \* n_out = ([\d.]+)", text).groups())
    assert in_ == 1.988 and close(in_, 2, 0.02) and not close(out, 2, 0.5)  # fan_out -> 2/n_in
    conv, formula = map(float, re.search(r"std ([\d.]+), sqrt\(2 / \(16 \* 3 \* 3\)\) = ([\d.]+)",
                                          text).groups())
    assert close(conv, formula, 0.015)
    leaky, formula = map(float, re.search(r"leaky_relu\(0.2\) ([\d.]+) = .* = ([\d.]+)", text).groups())
    assert leaky == formula and "sigmoid 1," in text


def test_the_gain_explorable(output):
    text = output("variance/explore_gain.txt")
    rows = {(r[0], float(r[1])): [float(c) for c in r[2:]] for r in table(text)[1:]}
    # columns: z std L1, z std L50, h std L50, grad L1/L50, fwd, map fwd, bwd, map bwd
    by_act = {act: sorted((g, row) for (a, g), row in rows.items() if a == act)
              for act in ("linear", "tanh", "ReLU")}
    assert all(len(v) == 18 for v in by_act.values())
    # the map: both factors cross 1 at gain 1 for linear layers, at sqrt 2 for ReLU
    for act, at in (("linear", 1.0), ("ReLU", 1.414)):
        for gain, (*_, fwd, map_fwd, bwd, map_bwd) in by_act[act]:
            side = (gain > at) - (gain < at)
            assert (map_fwd > 1) - (map_fwd < 1) == side and (map_bwd > 1) - (map_bwd < 1) == side
    # "comes close": 0.996 and 1.000 (linear, gain 1); 0.969 and 0.993 (ReLU, sqrt 2)
    linear, relu = rows["linear", 1.0], rows["ReLU", 1.414]
    assert (linear[4], linear[6]) == (0.996, 1.0) and (relu[4], relu[6]) == (0.969, 0.993)
    assert all(abs(f - 1) < 0.05 for f in (linear[4], linear[6], relu[4], relu[6]))
    assert (relu[0], relu[1]) == (1.41, 0.568)
    # linear and ReLU: each factor proportional to the gain, so the backward/forward ratio is the
    # same at every gain (to the printed 3 decimals: within 0.5%)
    for act in ("linear", "ReLU"):
        for column in (4, 6):
            per_gain = [row[column] / gain for gain, row in by_act[act]]
            assert max(per_gain) / min(per_gain) < 1.005, (act, column, per_gain)
        ratios = [row[6] / row[4] for _, row in by_act[act]]
        assert max(ratios) / min(ratios) < 1.005, (act, ratios)
    # tanh above gain 1: forwards 1.000 +- 0.001 (the map: 1.000), backwards rising with the gain
    above = [(g, row) for g, row in by_act["tanh"] if g > 1]
    assert all(abs(row[4] - 1) < 0.0015 and row[5] == 1.0 for _, row in above)  # 3 decimals
    backward = [row[6] for _, row in above]
    assert backward == sorted(backward) and len(set(backward)) == len(backward)
    assert (above[0][0], backward[0], above[-1][0], backward[-1]) == (1.1, 1.008, 3.0, 1.366)
    assert backward[0] > 1
    five_thirds = rows["tanh", 1.667]
    assert (five_thirds[6], five_thirds[7], five_thirds[3]) == (1.101, 1.1, 82.6)
    assert five_thirds[3] > 1  # the gradient grows towards the input

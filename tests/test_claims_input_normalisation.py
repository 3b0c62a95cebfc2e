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


def test_oscillate_diverge_and_crawl(output):
    text = output("input_normalisation/step_size.txt")
    loss_star = float(re.search(r"minimum loss ([\d.]+)", text)[1])
    below, above = text.split("lr = 1.05")
    for part, grows in ((below, False), (above, True)):
        rows = [[float(c) for c in r] for r in table(part)[1:]]
        steep = [r[1] for r in rows]
        flat = [r[2] for r in rows]
        assert all(a * b < 0 for a, b in zip(steep[:5], steep[1:5]))  # zigzag
        assert (abs(steep[-1]) > 10 * abs(steep[0])) == grows
        assert abs(flat[-1] / flat[0] - 1) < 1e-4  # "less than one part in ten thousand"
        if grows:
            assert rows[-1][3] > 1000 * rows[0][3]  # diverges
        else:
            assert rows[-1][3] > 3 * loss_star  # plateau well above the minimum


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

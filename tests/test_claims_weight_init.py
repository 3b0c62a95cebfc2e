"""Chapter 2's statements that depend on computed numbers, checked against the numbers its
snippets printed in this build."""

import math
import re

import pytest

from conftest import percent, table


@pytest.fixture
def output(built_outputs):
    return lambda name: (built_outputs / name).read_text()


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
    assert const[5] == "never"
    # all zero: nothing moves, loss stays at ln 2
    assert abs(float(zero[1]) - ln2) < 1e-3 and zero[3] == "0" and zero[5] == "never"
    # zero output layer on random hidden layers trains about as well as fully random
    assert percent(rnd[2]) > 0.95 and percent(zero_out[2]) > 0.95
    assert float(zero_out[1]) < 0.1 and float(rnd[1]) < 0.1
    assert zero_out[3] == "16" and rnd[3] == "16"
    # "after a delay of a few dozen steps"
    delay = int(zero_out[5].split()[1]) - int(rnd[5].split()[1])
    assert 15 <= delay <= 100


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
    # SELU: LeCun keeps unit scale at layer 50, He grows more than tenfold
    selu = {r_[0]: r_ for r_ in table(text) if len(r_) == 4 and r_[0] in ("LeCun", "He")}
    assert abs(float(selu["LeCun"][2]) - 1) < 0.1 and abs(float(selu["LeCun"][1]) - 1) < 0.1
    assert float(selu["He"][2]) > 10

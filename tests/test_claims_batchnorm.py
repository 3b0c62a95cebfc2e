"""Chapter 5's statements that depend on computed numbers, checked against the numbers its
snippets printed in this build."""

import re

import pytest

from conftest import percent, table


@pytest.fixture
def output(built_outputs):
    return lambda name: (built_outputs / f"batchnorm/{name}.txt").read_text()


def number(pattern, text):
    return float(re.search(pattern, text)[1])


def test_hand_written_bn_standardises_except_f0_where_eps_matters(output):
    rows = {r[0]: [float(c) for c in r[1:]] for r in table(output("four_steps"))[1:]}
    stds = rows["input std"]
    assert 150 < max(stds) / min(stds) < 250  # "spreads differ by a factor of 200"
    assert all(abs(m) < 1e-5 for m in rows["train: out mean"])
    assert all(abs(s - 1) < 1e-5 for s in rows["train: out std"][1:])
    assert 0.998 < rows["train: out std"][0] < 0.99999  # "a little below 1"
    assert 0.005 < stds[0] ** 2 < 0.02  # "batch variance about 0.01"
    # eval mode: only approximately standardised
    assert any(abs(s - 1) > 0.01 for s in rows["eval: out std"])
    assert all(abs(s - 1) < 0.1 for s in rows["eval: out std"])


def test_nn_batchnorm1d_matches_the_four_steps(output):
    text = output("match_torch")
    assert number(r"train mode, 50 batches\s*: (\S+)", text) < 1e-4
    assert number(r"running_mean \(relative\) : (\S+)", text) < 1e-5
    assert number(r"running_var \(relative\)\s*: (\S+)", text) < 1e-5
    assert number(r"eval mode\s*: (\S+)", text) < 1e-4
    rows = {r[0]: [float(c) for c in r[1:]] for r in table(text) if r[0].startswith("running")}
    assert all(abs(r - 1) < 1e-4 for r in rows["running_var / unbiased"])
    assert all(abs(r - 8 / 7) < 1e-3 for r in rows["running_var / biased"])
    assert number(r"biased var\s*: max err (\S+)", text) < 1e-5
    assert number(r"unbiased var : max err (\S+)", text) > 1e-2


def test_noisy_bn_trains_like_bn_despite_much_larger_input_shift(output):
    text = output("deep_network")
    rows = {r[0]: r[1:] for r in table(text)[1:] if len(r) == 5}
    last = {k: float(v[1]) for k, v in rows.items()}
    eval_loss = {k: float(v[2]) for k, v in rows.items()}
    # both BN networks train faster than no BN; the noise costs little
    assert last["BN"] < 0.75 * last["no BN"] and last["BN + noise"] < 0.75 * last["no BN"]
    assert last["BN + noise"] - last["BN"] < 0.1
    assert eval_loss["BN + noise"] < eval_loss["no BN"]
    assert percent(rows["BN"][3]) > percent(rows["no BN"][3])
    shift = {k: [float(v) for v in line.split()]
             for k, line in re.findall(r"^(no BN|BN \+ noise|BN)\s+\| ([\d. ]+)$", text, re.M)}
    ratios = [n / b for n, b in zip(shift["BN + noise"], shift["BN"])]
    assert all(r > 5 for r in ratios) and max(r for r in ratios) < 40  # "6 to 30 times"
    # "larger in the first layers, smaller in the last" than without BN
    assert shift["BN + noise"][0] > shift["no BN"][0] and shift["BN + noise"][-1] < shift["no BN"][-1]
    stds = dict(re.findall(r"^(no BN|BN)\s+(\d.*)$", text, re.M))
    init = {k: [float(p.split("/")[0]) for p in v.split()] for k, v in stds.items()}
    trained = {k: [float(p.split("/")[1]) for p in v.split()] for k, v in stds.items()}
    # without BN the tanh outputs shrink with depth at init (0.48 -> 0.09)
    assert init["no BN"][0] > 4 * init["no BN"][-1]
    assert init["no BN"][0] == 0.48 and init["no BN"][-1] == 0.09
    # with BN every layer has the same spread, at init and after training
    for values in (init["BN"], trained["BN"]):
        assert max(values) - min(values) < 0.1


def test_scale_invariance_and_one_over_a_gradients(output):
    text = output("scale_invariance")
    rows = {float(r[0]): [float(c) for c in r[1:]] for r in table(text)
            if re.fullmatch(r"[\d.]+", r[0])}
    losses = [r[1] for r in rows.values()]
    assert max(losses) - min(losses) < 1e-3  # "the loss is the same for every a"
    assert all(abs(r[3] - 1) < 1e-3 for r in rows.values())  # |g(a)| * a = |g(1)|
    assert abs(rows[1.0][4] / rows[10.0][4] - 100) < 1  # step shrinks as 1/a^2
    assert rows[0.1][0] > 10 * max(rows[a][0] for a in (0.5, 2.0, 10.0))  # eps at a=0.1
    assert number(r"its gradient\)\|: (\S+)", text) < 1e-4


def test_identity_and_gamma_beta_effects(output):
    text = output("gamma_beta")
    rows = {(r[0], r[1]): r[2:] for r in table(text)[1:]}
    assert percent(rows[("0.3", "0.0")][2]) < percent(rows[("1.0", "0.0")][2]) \
        < percent(rows[("3.0", "0.0")][2])
    assert float(rows[("1.0", "2.0")][3]) > 0.5  # "mostly one side"
    top = number(r"x up to (\S+)\)", text)
    assert number(r"max \|BN\(x\) - x\| = (\S+) ", text) < 1e-6 * top * 10  # float32 rounding


def test_bias_before_bn_is_useless(output):
    text = output("bias_before_bn")
    assert number(r"to (\S+)\n", text) > 15  # "a bias of about ±18"
    assert number(r"BN\(xW\)\| = (\S+)", text) < 1e-4
    grad_w = number(r"weight W : (\S+)", text)
    grad_b = number(r"bias b\s*: (\S+)", text)
    assert grad_w / grad_b > 1e5  # "more than a hundred thousand times smaller"


def test_running_statistics_trade_off(output):
    text = output("running_stats")
    assert number(r"300 steps: max diff (\S+)", text) < 1e-4
    assert number(r"PyTorch momentum=0.01: max diff (\S+)", text) < 1e-9
    full_var = number(r"var (\S+)\n", text)
    rows = {float(r[0]): [float(c) for c in r[1:]] for r in table(text)[1:]}
    # momentum 0.1 wobbles by several percent of the variance; 0.001 is smooth
    assert 0.02 < rows[0.1][4] / full_var < 0.15
    assert rows[0.001][4] < rows[0.1][4] / 5 and rows[0.001][2] < rows[0.1][2] / 5
    biased = number(r"biased batch variance: (\S+)", text)
    expected = number(r"full var = (\S+),", text)
    assert abs(biased - expected) < 0.03 and biased < 0.98 * full_var  # "about 3% low"


def test_batch_dependence_and_batch_of_one(output):
    text = output("batch_dependence")
    rows = {r[0]: r[1:] for r in table(text)[1:]}
    assert rows["train, in batch A"] != rows["train, in batch B"]
    assert rows["eval, in batch A"] == rows["eval, in batch B"] == rows["eval, alone"]
    jitter = {int(k): [float(c) for c in v] for k, v in rows.items() if k.isdigit()}
    for small, big in ((16, 64), (64, 256)):  # quadrupling the batch roughly halves it
        for a, b in zip(jitter[small], jitter[big]):
            assert 1.6 < a / b < 2.5
    assert "ValueError: Expected more than 1 value per channel when training" in text

"""The case study's statements that depend on computed numbers, checked against what its
snippets printed in this build. The suite runs the training briefly (MAKEMORE_STEPS, see
conftest.py); statements about the full 200,000-step run are checked when the outputs come
from one: `FULL_RUN=1 .venv/bin/python -m pytest tests/test_claims_makemore.py` after
`make build` (the runner then restores the full run's outputs from its archive)."""

import re

import pytest

STAGES = ["original", "fix softmax confidently wrong", "fix tanh layer too saturated at init",
          "semi-principled kaiming init", "add batch norm layer"]


@pytest.fixture
def output(built_outputs):
    return lambda name: (built_outputs / "makemore" / name).read_text()


def sections(text):
    """The printed tables, as lists of rows keyed by their first cell ('1 no', '5/3 yes')."""
    blocks = []
    for block in text.split("\n\n"):
        rows = {}
        for line in block.splitlines():
            cells = [c.strip() for c in line.split("|")]
            if len(cells) > 1 and re.fullmatch(r"(1|5/3|3)\s+(no|yes)", cells[0]):
                rows[" ".join(cells[0].split())] = [[float(v) for v in c.split()] for c in cells[1:]]
        if rows:
            blocks.append(rows)
    return blocks


def test_step_zero_and_the_hockey_stick(output):
    text = output("at_init.txt")
    uniform = float(re.search(r"= ([\d.]+)", text)[1])
    plain, fixed = (float(v) for v in re.findall(r"step-0 loss, .*: ([\d.]+)", text))
    assert plain > 5 * uniform and abs(fixed - uniform) < 0.1
    late_plain, late_fixed = (float(v) for v in re.findall(r"steps 900-999: ([\d.]+)", text))
    assert late_fixed < late_plain  # the stick: plain randn is still catching up
    saturated = [float(v) for v in re.findall(r"([\d.]+)% of \|h\| > 0.99", text)]
    plain_sat, fix_sat, kaiming_sat = saturated
    assert plain_sat > 50 and fix_sat < 5 and fix_sat < kaiming_sat < plain_sat


def test_deep_network_diagnostics(output):
    at_init, weight_grads, trained = sections(output("deep_network.txt"))
    std = {key: row[0] for key, row in at_init.items()}
    sat = {key: row[1] for key, row in at_init.items()}
    assert std["1 no"][-1] < 0.6 * std["1 no"][0]  # gain 1 shrinks layer by layer
    assert all(0.6 < s < 0.8 for s in std["5/3 no"]) and max(sat["5/3 no"][1:]) < 15
    assert min(sat["3 no"]) > 30  # heavily saturated
    assert at_init["1 yes"] == at_init["5/3 yes"] == at_init["3 yes"]  # BN: gain is irrelevant
    for key in ("1 no", "5/3 no", "3 no"):  # W6's gradients far wider without BN
        assert weight_grads[key][0][-1] > 5 * max(weight_grads[key][0][:-1])
        assert trained[key][1][-1] > max(trained[key][1][:-1]) + 0.5  # and its steps larger
    # with BN the weight gradients scale as 1/gain (chapter 5's scale invariance)
    ratio = weight_grads["1 yes"][0][0] / weight_grads["3 yes"][0][0]
    assert abs(ratio - 3) < 0.1
    # ... so the update-to-data ratio falls with the gain (as 1/gain^2 at the start)
    assert trained["1 yes"][1][0] > trained["5/3 yes"][1][0] > trained["3 yes"][1][0]


def test_full_run_table_tells_the_lectures_story(output):
    text = output("train_stages.txt")
    if "200000 steps per stage" not in text:
        pytest.skip("outputs of a short run: full-run statements need FULL_RUN=1")
    rows = {name: (float(t), float(v)) for name, t, v in
            re.findall(r"^([a-z][a-z -]*) (\d+\.\d{4}) (\d+\.\d{4})$", text, re.M)}
    val = [rows[stage][1] for stage in STAGES]
    gains = [val[0] - val[1], val[1] - val[2]]
    assert val[0] == max(val)  # the original is worst
    assert gains[0] > 0 and gains[1] > 0 and gains[0] >= gains[1]  # output fix: biggest gain
    assert abs(val[3] - val[2]) < 0.01  # kaiming lands where the 0.2 fix did
    assert val[4] > min(val[2], val[3]) - 0.005  # BN does not beat them on this shallow net

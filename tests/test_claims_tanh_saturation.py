"""Chapter 1's statements that depend on computed numbers, checked against the numbers its
snippets printed in this build."""

import re

import pytest

from conftest import percent, table


@pytest.fixture
def output(built_outputs):
    return lambda name: (built_outputs / name).read_text()


def test_two_problems_each_fix_moves_only_its_own_columns(output):
    text = output("tanh_saturation/two_problems.txt")
    uniform = float(re.search(r"-ln\(1/27\) = ([\d.]+)", text)[1])
    rows = {r[0]: r[1:] for r in table(text)[1:]}
    plain, out_fix = rows["plain randn"], rows["fix output (W2*0.01, b2*0)"]
    hid_fix, both = rows["fix hidden (W1*0.2, b1*0.01)"], rows["fix both"]
    # "far above a uniform guess" before the output fix; close to it after
    assert float(plain[0]) > 5 * uniform and float(hid_fix[0]) > 3 * uniform
    assert abs(float(out_fix[0]) - uniform) < 0.05 and abs(float(both[0]) - uniform) < 0.05
    # "confidently wrong": the top choice gets most of the probability mass
    assert float(plain[1]) > 0.5 and float(hid_fix[1]) > 0.5 and float(out_fix[1]) < 0.1
    # the output fix alone leaves saturation and gradient flow "exactly where they were"
    assert out_fix[2:] == plain[2:]
    # the hidden fix moves them: far fewer saturated units, more gradient kept
    assert percent(hid_fix[2]) < percent(plain[2]) / 10
    assert percent(hid_fix[3]) > 1.5 * percent(plain[3])


def test_about_one_percent_of_the_gradient_survives_at_x_3(output):
    rows = {r[0]: r for r in table(output("tanh_saturation/derivative_table.txt"))[1:]}
    assert 0.005 < percent(rows["3.0"][3]) < 0.015


def test_plain_randn_saturates_most_units_and_preact_std_is_sqrt_30(output):
    rows = {r[0]: r for r in table(output("tanh_saturation/saturation_vs_scale.txt"))[1:]}
    assert percent(rows["1.0"][2]) > 0.5  # "pushes most of them into the spikes"
    assert abs(float(rows["1.0"][1]) - 30 ** 0.5) < 0.3  # "about sqrt(30)"
    assert percent(rows["0.2"][2]) < 0.05  # the lecture's fix leaves few saturated

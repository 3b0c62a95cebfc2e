"""Opt-in: with the lecture's names.txt and the full 200,000 steps, the case study reproduces
the lecture's table. About ten minutes on two cores, so it runs only when asked:

    REPRODUCE_LECTURE=1 NAMES_PATH=path/to/names.txt .venv/bin/python -m pytest tests/test_lecture_reproduction.py

(NAMES_PATH defaults to ../shared/data/names.txt beside the checkout, where that exists.)
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SNIPPETS, reader_environment

NAMES = Path(os.environ.get("NAMES_PATH", ROOT.parent / "shared" / "data" / "names.txt"))
LECTURE = {  # stage: (train, val, decimals the lecture logged)
    "original": (2.1245, 2.1682, 4),
    "fix softmax confidently wrong": (2.07, 2.13, 2),
    "fix tanh layer too saturated at init": (2.0356, 2.1027, 4),
    "semi-principled kaiming init": (2.0377, 2.1070, 4),
    "add batch norm layer": (2.0668, 2.1048, 4),
}

pytestmark = pytest.mark.skipif(
    os.environ.get("REPRODUCE_LECTURE") != "1" or not NAMES.is_file(),
    reason="opt-in (REPRODUCE_LECTURE=1) and needs the lecture's names.txt")


def test_full_run_on_the_lecture_data_matches_the_lecture_table(tmp_path):
    env = reader_environment(NAMES_PATH=str(NAMES), MAKEMORE_STEPS="200000")
    result = subprocess.run([sys.executable, str(SNIPPETS / "makemore" / "train_stages.py")],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=3600)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = {name: (float(train), float(val)) for name, train, val in
            re.findall(r"^([a-z][a-z -]*) (\d+\.\d{4}) (\d+\.\d{4})$", result.stdout, re.M)}
    for stage, (train, val, decimals) in LECTURE.items():
        # Exact (to the logged decimals) except: BN's stage within 5e-4 (3e-4 measured; the
        # lecture's BN cell skips the b1 draw), and the original's logged losses, 0.0025 and
        # 0.0027 above what the lecture's code gives
        tolerance = {"original": 0.003, "add batch norm layer": 0.0005}.get(
            stage, 0.00011 if decimals == 4 else 0.0051)
        assert abs(rows[stage][0] - train) <= tolerance, (stage, rows[stage])
        assert abs(rows[stage][1] - val) <= tolerance, (stage, rows[stage])

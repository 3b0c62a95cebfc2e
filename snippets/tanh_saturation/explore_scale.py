# The layer of saturation_vs_scale.py (the same inputs and W1, no bias) at
# many weight scales, with an output layer on top, for the page's
# explorable: every number a reader can select there is computed here.
# Inputs: 1000 examples of 30 features ~ N(0, 1) (3 characters x 10-dim
# embeddings); W1 = randn(30, 200) x multiplier; W2 = randn(200, 27) x
# scale; targets drawn at random from 27 classes.
import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.randn(1000, 30)
w1 = torch.randn(30, 200)  # drawn as in saturation_vs_scale.py: same layer
y = torch.randint(0, 27, (1000,))
w2 = torch.randn(200, 27)
multipliers = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0]
# The slider names the lecture's fix, 0.2, and (5/3)/sqrt(30) = 0.304.
names = {0.2: "0.2 (the lecture's fix)", 0.3: "0.3 ≈ (5/3)/√30"}
scales = [0.01, 0.1, 1.0]  # W2's: the lecture's fix, between, plain randn
edges = torch.linspace(-1, 1, 41)


def measure(multiplier, scale):
    """One forward and backward pass at init: what the layer does."""
    preact = (x @ (w1 * multiplier)).requires_grad_()
    h = torch.tanh(preact)
    h.retain_grad()
    loss = F.cross_entropy(h @ (w2 * scale), y)
    loss.backward()
    return {
        "preact_std": preact.std().item(),
        "saturated": (h.abs() > 0.99).float().mean().item(),
        "mean_slope": (1 - h**2).mean().item(),
        # how much of the gradient arriving at h gets through tanh
        "passed": (preact.grad.norm() / h.grad.norm()).item(),
        "loss": loss.item(),
        "hist": (torch.histc(h.detach(), 40, -1, 1) / h.numel()).tolist(),
    }


results = {(i, j): measure(m, s) for i, m in enumerate(multipliers)
           for j, s in enumerate(scales)}

print(f"{'W1 x':>5} | {'W2 x':>5} | {'preact std':>10} | {'|h| > 0.99':>10}"
      f" | {'mean tanh_prime':>15} | {'grad passed':>11} | {'loss':>6}")
print("-" * 80)
for (i, j), r in results.items():
    print(f"{multipliers[i]:>5} | {scales[j]:>5} | {r['preact_std']:10.2f}"
          f" | {r['saturated']:10.1%} | {r['mean_slope']:15.3f}"
          f" | {r['passed']:11.1%} | {r['loss']:6.3f}")

# Plain randn weights, as the page's explorable shows them first; the
# explorable shows each setting's numbers as printed here.
readouts = {"preact_std": ("pre-activation std", "{:.2f}"),
            "saturated": ("share with |h| > 0.99", "{:.1%}"),
            "mean_slope": ("mean tanh'", "{:.3f}"),
            "passed": ("gradient passed back through tanh", "{:.1%}"),
            "loss": ("loss at step 0", "{:.3f}")}
texts = {key: {k: spec.format(r[k]) for k, (_, spec) in readouts.items()}
         for key, r in results.items()}
print("\nat W1 x 1.0, W2 x 1.0 (plain randn weights, no bias):")
for k, (label, _) in readouts.items():
    print(f"{label}: {texts[multipliers.index(1.0), scales.index(1.0)][k]}")

# What the page's explorable looks up: every value it can show.
EXPLORABLE = {
    "controls": [
        {"name": "w1", "label": "W1 multiplier", "values": multipliers,
         "labels": [names.get(m, str(m)) for m in multipliers], "default": 1.0},
        {"name": "w2", "label": "W2 scale", "values": scales, "default": 1.0,
         "kind": "radio"},
    ],
    "shared": {"edges": [round(e, 3) for e in edges.tolist()],
               "multipliers": multipliers},
    "settings": {
        f"{i},{j}": {"hist": [round(v, 5) for v in r["hist"]],
                     "curve": [round(results[k, j]["saturated"], 4)
                               for k in range(len(multipliers))],
                     "slopes": [round(results[k, j]["mean_slope"], 4)
                                for k in range(len(multipliers))],
                     "losses": [round(results[k, j]["loss"], 4)
                                for k in range(len(multipliers))],
                     **texts[i, j]}
        for (i, j), r in results.items()
    },
    "charts": [
        {"kind": "bars", "title": "tanh outputs", "edges": "edges", "y": "hist",
         "xlabel": "h = tanh(preact)", "ylabel": "share of units",
         "yrange": [0, max(max(r["hist"]) for r in results.values())]},
        {"kind": "lines", "title": "Saturation against W1's multiplier",
         "x": "multipliers", "xlog": True, "cursor": "w1", "yrange": [0, 1],
         "xlabel": "W1 multiplier (log scale)", "ylabel": "share",
         "series": [{"y": "curve", "label": "|h| > 0.99"},
                    {"y": "slopes", "label": "mean tanh'"}]},
        {"kind": "lines", "title": "Loss at step 0 (this W2 scale)",
         "x": "multipliers", "xlog": True, "ylog": True, "cursor": "w1",
         "xlabel": "W1 multiplier (log scale)", "ylabel": "loss (log scale)",
         "yrange": [2.5, 1.2 * max(r["loss"] for r in results.values())],
         "marks": [{"y": round(math.log(27), 4), "label": "ln 27"}],
         "series": [{"y": "losses", "label": "loss"}]},
    ],
    "readouts": [{"label": label, "key": k}
                 for k, (label, _) in readouts.items()],
}

# The static view: the histogram at four multipliers (W2 x 1).
fig, axes = plt.subplots(1, 4, figsize=(10, 2.8), sharey=True)
centres = ((edges[:-1] + edges[1:]) / 2).tolist()
for ax, m in zip(axes, [0.1, 0.3, 1.0, 2.0]):
    r = results[multipliers.index(m), scales.index(1.0)]
    ax.bar(centres, r["hist"], width=0.05, color="C0")
    ax.set_title(f"W1 × {m}: {r['saturated']:.0%} saturated", fontsize=10)
    ax.set_xlabel("h = tanh(preact)")
axes[0].set_ylabel("share of units")
fig.tight_layout()
plt.show()

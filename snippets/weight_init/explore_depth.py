# The depth table's stacks, 50 layers deep, for the page's explorable:
# every number a reader can select there is computed here. Square layers
# of 256 units, a batch of 512 unit-variance inputs, no biases, no
# normalisation; a gradient of std about 1 enters at layer 50. Seed 0
# throughout, so the tanh and ReLU stacks' first 10 layers forward are
# those of the depth table, and the SELU stack with LeCun or He weights
# is its 50-layer SELU run.
# "act" is the layer's output h (for ReLU the pre-activation z, as in
# the table); "grad" is dL/dh at every layer.
import math

import matplotlib.pyplot as plt
import torch

WIDTH, BATCH, DEPTH = 256, 512, 50
layers = range(1, DEPTH + 1)
SCHEMES = {  # name: (label, weight maker); square layers: Xavier = LeCun
    "small": ("std 0.01", lambda n: torch.randn(n, n) * 0.01),
    "lecun": ("LeCun/Xavier", lambda n: torch.randn(n, n) / math.sqrt(n)),
    "tanh": ("gain 5/3", lambda n: torch.randn(n, n) * 5 / 3 / math.sqrt(n)),
    "he": ("He", lambda n: torch.randn(n, n) * math.sqrt(2 / n)),
    "orthogonal": ("orthogonal",
                   lambda n: torch.nn.init.orthogonal_(torch.empty(n, n))),
}
ACTIVATIONS = {"tanh": torch.tanh, "ReLU": torch.relu, "SELU": torch.selu,
               "linear": lambda z: z}
# Histogram of each layer's activations: tanh over [-1, 1], the others
# over [-4, 4], widened by half a bin so that a bin is centred on 0.
BINS = 41
EDGES = {name: torch.linspace(-r, r, BINS + 1) * BINS / (BINS - 1)
         for name, r in (("tanh", 1), ("ReLU", 4), ("SELU", 4), ("linear", 4))}


def run(make_weight, act):
    torch.manual_seed(0)
    h = torch.randn(BATCH, WIDTH, requires_grad=True)
    acts, outs = [], []
    for _ in range(DEPTH):
        z = h @ make_weight(WIDTH)
        h = act(z)
        h.retain_grad()
        outs.append(h)
        acts.append(z if act is torch.relu else h)
    h.backward(torch.randn(BATCH, WIDTH))
    return [a.detach() for a in acts], [o.grad.std().item() for o in outs]


def fmt(v):
    return f"{v:.3g}"


def fmt_std(v):  # as fmt, but a readout says why a std is exactly 0
    return fmt(v) if v else "0 (float32 underflow)"


results = {}
for i, (scheme, (_, make)) in enumerate(SCHEMES.items()):
    for j, (name, act) in enumerate(ACTIVATIONS.items()):
        acts, grads = run(make, act)
        lo, hi = EDGES[name][0].item(), EDGES[name][-1].item()
        results[i, j] = {
            "act": [a.std().item() for a in acts], "grad": grads,
            "edges": EDGES[name].tolist(),
            "hist": [(torch.histc(a, BINS, lo, hi) / a.numel()).tolist()
                     for a in acts],
        }

print("std of the activations (act) and of the gradients (grad) at layers")
print("1, 10 and 50; the gradient entering at layer 50 has std about 1")
print(f"{'act.':<6} | {'scheme':<12} | {'act L1':>8} {'act L10':>8} "
      f"{'act L50':>8} | {'grad L1':>8} {'grad L10':>8} {'grad L50':>8}")
print("-" * 80)
for (i, j), r in results.items():
    print(f"{list(ACTIVATIONS)[j]:<6} | {list(SCHEMES.values())[i][0]:<12} | "
          + " ".join(f"{fmt(r['act'][l - 1]):>8}" for l in (1, 10, 50))
          + " | "
          + " ".join(f"{fmt(r['grad'][l - 1]):>8}" for l in (1, 10, 50)))
print("0: float32 underflow (its smallest positive number is about 1.4e-45)")
print()
print("lowest and highest std over the 50 layers")
print(f"{'act.':<6} | {'scheme':<12} | {'act min':>8} {'act max':>8} | "
      f"{'grad min':>8} {'grad max':>8}")
print("-" * 62)
for (i, j), r in results.items():
    print(f"{list(ACTIVATIONS)[j]:<6} | {list(SCHEMES.values())[i][0]:<12} | "
          f"{fmt(min(r['act'])):>8} {fmt(max(r['act'])):>8} | "
          f"{fmt(min(r['grad'])):>8} {fmt(max(r['grad'])):>8}")

# What the explorable shows for each setting, formatted as printed here:
# the first three per layer (a list, one text per layer), the last two not.
PER_LAYER = ("act_at", "grad_at", "inside")
readouts = {
    "act_at": ("activation std at the chosen layer",
               lambda r: [fmt_std(v) for v in r["act"]]),
    "grad_at": ("gradient std at the chosen layer",
                lambda r: [fmt_std(v) for v in r["grad"]]),
    "inside": ("share of the layer's values inside the histogram",
               lambda r: [f"{sum(h):.1%}" for h in r["hist"]]),
    "act_ratio": ("activations: std at layer 50 / layer 1",
                  lambda r: fmt(r["act"][-1] / r["act"][0])),
    "grad_ratio": ("gradients: std at layer 1 / layer 50",
                   lambda r: fmt(r["grad"][0] / r["grad"][-1])),
}
texts = {key: {k: text(r) for k, (_, text) in readouts.items()}
         for key, r in results.items()}
default = (list(SCHEMES).index("lecun"), list(ACTIVATIONS).index("tanh"))
layer = 10
print(f"\nat tanh, LeCun/Xavier, layer {layer} (the explorable's defaults):")
for k, (label, _) in readouts.items():
    text = texts[default][k]
    print(f"{label}: {text[layer - 1] if k in PER_LAYER else text}")

def short(v):
    return float(f"{v:.4g}")


# What the page's explorable looks up: every value it can show.
EXPLORABLE = {
    "controls": [
        {"name": "scheme", "label": "weights", "values": list(SCHEMES),
         "labels": [label for label, _ in SCHEMES.values()],
         "default": "lecun", "kind": "radio"},
        {"name": "activation", "label": "activation",
         "values": list(ACTIVATIONS), "default": "tanh", "kind": "radio"},
        {"name": "layer", "label": "layer", "values": list(layers),
         "default": layer, "pick": True},
    ],
    "shared": {"layers": list(layers)},
    "settings": {
        f"{i},{j}": {
            "act": [short(v) for v in r["act"]],
            "grad": [short(v) for v in r["grad"]],
            # a chart's pick applies to all its fields: edges once per layer
            "edges": [[round(e, 4) for e in r["edges"]]] * DEPTH,
            "hist": [[round(v, 4) for v in h] for h in r["hist"]],
            **texts[i, j],
        }
        for (i, j), r in results.items()
    },
    "charts": [
        {"kind": "lines", "title": "std per layer", "x": "layers",
         "xrange": [1, DEPTH], "ylog": True, "yrange": [1e-3, 1e3],
         "cursor": "layer", "xlabel": "layer", "ylabel": "std (log scale)",
         "marks": [{"y": 1, "label": ""}],
         "series": [{"y": "act", "label": "activations"},
                    {"y": "grad", "label": "gradients"}]},
        {"kind": "bars", "title": "activations at the chosen layer",
         "edges": "edges", "y": "hist", "pick": "layer", "yrange": [0, 0.25],
         "xlabel": "h (ReLU: its input z)", "ylabel": "share of values"},
    ],
    "readouts": [{"label": label, "key": k,
                  **({"pick": "layer"} if k in PER_LAYER else {})}
                 for k, (label, _) in readouts.items()],
}

# The static view: every scheme, forward and backward, per activation.
fig, axes = plt.subplots(2, 4, figsize=(11, 5.4), sharex=True, sharey=True)
for j, name in enumerate(ACTIVATIONS):
    for i, (label, _) in enumerate(SCHEMES.values()):
        style = dict(color=f"C{i}", label=label,
                     linestyle="--" if label == "orthogonal" else "-")
        axes[0, j].plot(layers, results[i, j]["act"], **style)
        axes[1, j].plot(layers, results[i, j]["grad"], **style)
    axes[0, j].set_title(name, fontsize=11)
    axes[1, j].set_xlabel("layer")
axes[0, 0].set_yscale("log")
axes[0, 0].set_ylim(1e-3, 1e3)  # std 0.01 and the exploding stacks leave it
axes[0, 0].set_ylabel("std of activations")
axes[1, 0].set_ylabel("std of gradients")
fig.legend(*axes[0, 0].get_legend_handles_labels(), ncol=5, fontsize=9,
           loc="upper center")
fig.tight_layout(rect=(0, 0, 1, 0.94))
plt.show()

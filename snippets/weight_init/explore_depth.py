# The depth table's stacks, 50 layers deep, for the page's explorable:
# every number a reader can select there is computed here. Square layers
# of 256 units, a batch of 512 unit-variance inputs, no biases, no
# normalisation; a gradient of std about 1 enters at layer 50. Seed 0
# throughout, so the tanh and ReLU stacks' first 10 layers forward are
# those of the depth table, and the SELU stack with LeCun or He weights
# is its 50-layer SELU run.
# "act" is the layer's output h (for ReLU the pre-activation z, as in
# the table); "grad" is dL/dh at every layer. At the end, the ReLU stack
# with He weights again over seeds 0 to 9: how much one run wanders.
import math
import statistics

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


def run(make_weight, act, seed=0):
    torch.manual_seed(seed)
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


results, zero_from = {}, {}
for i, (scheme, (_, make)) in enumerate(SCHEMES.items()):
    for j, (name, act) in enumerate(ACTIVATIONS.items()):
        acts, grads = run(make, act)
        lo, hi = EDGES[name][0].item(), EDGES[name][-1].item()
        results[i, j] = {
            "act": [a.std().item() for a in acts], "grad": grads,
            "edges": EDGES[name].tolist(),
            "hist": [(torch.histc(a, BINS, lo, hi) / a.numel()).tolist()
                     for a in acts],
            "nonzero": [a.count_nonzero().item() for a in acts],
        }
        # the first layer whose values all underflowed to exactly 0; every
        # layer above it is 0 too (x @ W of a zero x is zero)
        zero = [l for l in layers if results[i, j]["nonzero"][l - 1] == 0]
        if zero:
            zero_from[i, j] = zero[0]
            assert zero == list(range(zero[0], DEPTH + 1))
        # a gradient of exactly 0 comes only from ReLUs that are all off:
        # z = 0 there, and PyTorch takes ReLU'(0) = 0
        for l, g in zip(layers, grads):
            assert g or (act is torch.relu and zero and l < DEPTH)


def fmt_std(key, field):  # as fmt, but a readout says why a std is exactly 0
    why = {"act": f"float32 underflow at layer {zero_from.get(key)}",
           "grad": f"z is exactly 0 at layers {zero_from.get(key)} to {DEPTH}:"
                   " no ReLU there passes a gradient"}[field]
    return [fmt(v) if v else f"0 ({why})" for v in results[key][field]]


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
f32 = torch.finfo(torch.float32)
smallest = torch.nextafter(torch.tensor(0.0), torch.tensor(1.0)).item()
print(f"float32: smallest normal number {f32.tiny:.2g}, "
      f"smallest positive number {smallest:.2g}")
for key, k in zero_from.items():
    act, scheme = list(ACTIVATIONS)[key[1]], list(SCHEMES.values())[key[0]][0]
    print(f"0 in an act column: float32 underflow ({act}, {scheme}: "
          f"{results[key]['nonzero'][k - 2]} of {BATCH * WIDTH} values "
          f"nonzero at layer {k - 1}, none from layer {k} on)")
    print(f"0 in a grad column: z is exactly 0 at layers {k} to {DEPTH}, "
          "and PyTorch takes ReLU'(0) = 0")
print()
print("lowest and highest std over the 50 layers")
print(f"{'act.':<6} | {'scheme':<12} | {'act min':>8} {'act max':>8} | "
      f"{'grad min':>8} {'grad max':>8}")
print("-" * 62)
for (i, j), r in results.items():
    print(f"{list(ACTIVATIONS)[j]:<6} | {list(SCHEMES.values())[i][0]:<12} | "
          f"{fmt(min(r['act'])):>8} {fmt(max(r['act'])):>8} | "
          f"{fmt(min(r['grad'])):>8} {fmt(max(r['grad'])):>8}")

# The linear stacks that grow: the factor per layer, and where a line
# leaves the top (1000) of the figure's panels.
print("\nlinear stacks: factor per layer = (act L50 / act L1) ** (1 / 49); "
      "layers beyond 1000")
j = list(ACTIVATIONS).index("linear")
for i, (label, _) in enumerate(SCHEMES.values()):
    if label in ("He", "gain 5/3"):
        r = results[i, j]
        factor = (r["act"][-1] / r["act"][0]) ** (1 / 49)
        above = [l for l in layers if r["act"][l - 1] > 1000]
        grad_above = [l for l in layers if r["grad"][l - 1] > 1000]
        print(f"{label}: factor {factor:.3g}; "
              f"activations above 1000 from layer {above[0]}, "
              f"gradients above 1000 up to layer {grad_above[-1]}")

# What the explorable shows for each setting, formatted as printed here:
# the first three per layer (a list, one text per layer), the last two not.
PER_LAYER = ("act_at", "grad_at", "inside")
readouts = {
    "act_at": ("activation std at the chosen layer",
               lambda key, r: fmt_std(key, "act")),
    "grad_at": ("gradient std at the chosen layer",
                lambda key, r: fmt_std(key, "grad")),
    "inside": ("share of the layer's values inside the histogram",
               lambda key, r: [f"{sum(h):.1%}" for h in r["hist"]]),
    "act_ratio": ("activations: std at layer 50 / layer 1",
                  lambda key, r: fmt(r["act"][-1] / r["act"][0])),
    "grad_ratio": ("gradients: std at layer 1 / layer 50",
                   lambda key, r: fmt(r["grad"][0] / r["grad"][-1])),
}
texts = {key: {k: text(key, r) for k, (_, text) in readouts.items()}
         for key, r in results.items()}
default = (list(SCHEMES).index("lecun"), list(ACTIVATIONS).index("tanh"))
layer = 10
print(f"\nat tanh, LeCun/Xavier, layer {layer} (the explorable's defaults):")
for k, (label, _) in readouts.items():
    text = texts[default][k]
    print(f"{label}: {text[layer - 1] if k in PER_LAYER else text}")

# One run wanders: the ReLU stack with He weights over ten seeds (seed 0
# is the run above). He keeps the expected second moment of z; what does
# a single run do?
print("\nReLU, He, seeds 0 to 9: std of the activations (z) and gradients")
print(f"{'seed':>4} | {'act L1':>8} {'act L50':>8} {'act min':>8} "
      f"{'act max':>8} | {'grad min':>8} {'grad max':>8} | within 2x")
print("-" * 74)
he = results[list(SCHEMES).index("he"), list(ACTIVATIONS).index("ReLU")]
runs = []
for seed in range(10):
    acts, grads = run(SCHEMES["he"][1], torch.relu, seed)
    a = [z.std().item() for z in acts]
    assert seed or (a, grads) == (he["act"], he["grad"])
    within = all(0.5 < v < 2 for v in a + grads)
    runs.append((a, grads, within))
    print(f"{seed:>4} | {fmt(a[0]):>8} {fmt(a[-1]):>8} {fmt(min(a)):>8} "
          f"{fmt(max(a)):>8} | {fmt(min(grads)):>8} {fmt(max(grads)):>8} | "
          f"{'yes' if within else 'no'}")
ends = [a[-1] for a, _, _ in runs]
print(f"act L50 below act L1 in {sum(a[-1] < a[0] for a, _, _ in runs)} of "
      f"10 seeds; act L50 from {fmt(min(ends))} to {fmt(max(ends))}, "
      f"median {fmt(statistics.median(ends))}")
print("within a factor of 2 of 1 at every layer in both directions: "
      f"{sum(w for _, _, w in runs)} of 10 seeds")
print(f"lowest act min {fmt(min(min(a) for a, _, _ in runs))}, "
      f"lowest grad min {fmt(min(min(g) for _, g, _ in runs))}, "
      f"highest act max {fmt(max(max(a) for a, _, _ in runs))}, "
      f"highest grad max {fmt(max(max(g) for _, g, _ in runs))}")


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

# A deep stack at many gains, for the page's explorable: every number a
# reader can select there is computed here. 50 square layers of width 256,
# zero biases, W = randn(256, 256) x gain / sqrt(256), followed by no
# activation (linear), tanh or ReLU; a batch of 256 inputs ~ N(0, 1) and
# a fixed random projection of the last layer's output as the "loss".
# The same seed for every setting: the same matrices, only rescaled.
import math

import matplotlib.pyplot as plt
import numpy as np
import torch

WIDTH, DEPTH, BATCH, SEED = 256, 50, 256, 0
HALF = DEPTH // 2  # factors per layer are measured over layers 25 to 50
gains = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, math.sqrt(2), 1.5,
         5 / 3, 1.8, 2.0, 2.25, 2.5, 2.75, 3.0]
named = {math.sqrt(2): "√2 ≈ 1.414", 5 / 3: "5/3 ≈ 1.667"}
activations = {"linear": lambda z: z, "tanh": torch.tanh, "ReLU": torch.relu}


def run(gain, act):
    """Per layer: std of the pre-activations z, std of the outputs h, and
    std of dL/dz; statistics in float64 (ReLU at gain 0.5 reaches 1e-23)."""
    g = torch.Generator().manual_seed(SEED)
    h = torch.randn(BATCH, WIDTH, generator=g)
    zs, outs = [], []
    for _ in range(DEPTH):
        W = torch.randn(WIDTH, WIDTH, generator=g) * gain / math.sqrt(WIDTH)
        z = (h @ W).requires_grad_()
        z.retain_grad()
        h = act(z)
        zs.append(z)
        outs.append(h)
    (h * torch.randn(BATCH, WIDTH, generator=g)).sum().backward()
    std = lambda ts: [t.detach().double().std().item() for t in ts]
    return std(zs), std(outs), std([z.grad for z in zs])


# The wide-network map (as in tanh_gain.py): second moment q of the
# pre-activations forwards, factor chi on the gradient's second moment
# backwards. Closed forms for linear (g^2) and ReLU (g^2 / 2), quadrature
# for tanh.
nodes, weights = np.polynomial.hermite_e.hermegauss(101)
weights = weights / weights.sum()


def predicted(gain, name):
    """The map's factors per layer on the std, over the same layers."""
    if name != "tanh":
        f = gain if name == "linear" else gain / math.sqrt(2)
        return f, f
    q, qs = gain**2, []
    for _ in range(DEPTH):
        qs.append(q)
        q = gain**2 * float(weights @ np.tanh(math.sqrt(q) * nodes) ** 2)
    chi = [gain**2 * float(weights @ (1 - np.tanh(math.sqrt(q) * nodes) ** 2) ** 2)
           for q in qs[HALF - 1:DEPTH - 1]]
    return ((qs[-1] / qs[HALF - 1]) ** (0.5 / HALF),
            math.prod(chi) ** (0.5 / HALF))


results = {}
for j, name in enumerate(activations):
    for i, gain in enumerate(gains):
        pre, out, grad = run(gain, activations[name])
        results[i, j] = {
            "pre": pre, "grad": grad, "pre_last": pre[-1], "out_last": out[-1],
            "grad_ratio": grad[0] / grad[-1],
            "fwd": (pre[-1] / pre[HALF - 1]) ** (1 / HALF),
            "bwd": (grad[HALF - 1] / grad[-1]) ** (1 / HALF),
            "map": predicted(gain, name)}

print(f"{'act':>6} | {'gain':>5} | {'z std L1':>8} | {'z std L50':>9} "
      f"| {'h std L50':>9} | {'grad L1/L50':>11} | {'fwd/layer':>9} "
      f"| {'map fwd':>7} | {'bwd/layer':>9} | {'map bwd':>7}")
print("-" * 101)
for (i, j), r in results.items():
    print(f"{list(activations)[j]:>6} | {gains[i]:5.3f} | {r['pre'][0]:8.3g} "
          f"| {r['pre_last']:9.3g} | {r['out_last']:9.3g} "
          f"| {r['grad_ratio']:11.3g} | {r['fwd']:9.3f} | {r['map'][0]:7.3f} "
          f"| {r['bwd']:9.3f} | {r['map'][1]:7.3f}")
print(f"std of z and h at layers 1 and 50; grad: std of dL/dz, layer 1 over "
      f"layer 50; per layer: geometric mean over layers {HALF} to {DEPTH}")

# The lecture's tanh stack with its gain, as the page's explorable shows it
# first; the explorable shows each setting's numbers as printed here.
readouts = {"pre_last": ("pre-activation std at layer 50", "{:.3g}"),
            "out_last": ("output std at layer 50", "{:.3g}"),
            "grad_ratio": ("gradient std, layer 1 / layer 50", "{:.3g}"),
            "fwd": ("factor per layer, forwards", "{:.3f}"),
            "bwd": ("factor per layer, backwards", "{:.3f}"),
            "map": ("the wide-network map predicts",
                    "{:.3f} forwards, {:.3f} backwards")}
texts = {key: {k: spec.format(*r[k]) if k == "map" else spec.format(r[k])
               for k, (_, spec) in readouts.items()}
         for key, r in results.items()}
print("\ntanh at gain 5/3 (the lecture's):")
for k, (label, _) in readouts.items():
    print(f"{label}: {texts[gains.index(5 / 3), 1][k]}")


def rounded(values):
    return [float(f"{v:.4g}") for v in values]


# The third chart: the chosen activation's factors at every gain.
curves = {j: {f"{k}s": rounded(results[i, j][k] for i in range(len(gains)))
              for k in ("fwd", "bwd")} for j in range(len(activations))}

layers = range(1, DEPTH + 1)

# What the page's explorable looks up: every value it can show.
EXPLORABLE = {
    "controls": [
        {"name": "gain", "label": "gain", "values": rounded(gains),
         "labels": [named.get(g, f"{g:g}") for g in gains],
         "default": rounded([5 / 3])[0]},
        {"name": "act", "label": "activation", "values": list(activations),
         "default": "tanh", "kind": "radio"},
    ],
    "shared": {"layers": list(layers), "gains": rounded(gains)},
    "settings": {
        f"{i},{j}": {"pre": rounded(r["pre"]), "grad": rounded(r["grad"]),
                     **curves[j], **texts[i, j]}
        for (i, j), r in results.items()
    },
    "charts": [
        {"kind": "lines", "title": "Forwards: pre-activation std",
         "x": "layers", "ylog": True, "yrange": [1e-4, 1e4],
         "xlabel": "layer", "ylabel": "std of z (log)",
         "series": [{"y": "pre", "label": ""}]},
        {"kind": "lines", "title": "Backwards: gradient std at z",
         "x": "layers", "ylog": True, "yrange": [1e-4, 1e4],
         "xlabel": "layer", "ylabel": "std of dL/dz (log)",
         "series": [{"y": "grad", "label": ""}]},
        {"kind": "lines", "title": "Factor per layer against the gain",
         "x": "gains", "cursor": "gain", "xrange": [0.5, 3], "yrange": [0, 3.5],
         "xlabel": "gain", "ylabel": "factor on the std",
         "marks": [{"y": 1, "label": ""},
                   {"x": rounded([math.sqrt(2)])[0], "label": "√2"},
                   {"x": rounded([5 / 3])[0], "label": "5/3"}],
         "series": [{"y": "fwds", "label": "forwards"},
                    {"y": "bwds", "label": "backwards"}]},
    ],
    "readouts": [{"label": label, "key": k}
                 for k, (label, _) in readouts.items()],
}

# The static view: gains 1, sqrt(2) and 5/3 under each activation.
fig, axes = plt.subplots(2, 3, figsize=(10, 5.6), sharex=True, sharey="row")
for j, name in enumerate(activations):
    for gain, label in ((1.0, "gain 1"), (math.sqrt(2), "gain √2"),
                        (5 / 3, "gain 5/3")):
        r = results[gains.index(gain), j]
        axes[0, j].plot(layers, r["pre"], label=label)
        axes[1, j].plot(layers, r["grad"], label=label)
    axes[0, j].set_title(f"{name}: pre-activation std", fontsize=10)
    axes[1, j].set_title(f"{name}: gradient std at z", fontsize=10)
    axes[1, j].set_xlabel("layer")
for ax in axes.flat:
    ax.set_yscale("log")
axes[0, 0].set_ylim(1e-4, 1e4)
axes[1, 0].set_ylim(1e-4, 1e4)
axes[0, 0].set_ylabel("std of z")
axes[1, 0].set_ylabel("std of dL/dz")
axes[0, 0].legend(fontsize=8)
fig.suptitle("50 layers of width 256, weights gain/sqrt(n), one "
             "initialisation (seed 0)")
fig.tight_layout()
plt.show()

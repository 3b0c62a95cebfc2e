# The moons network of this chapter at nine values of lam, for the page's
# explorable: every number a reader can select there is computed here.
# Same data, model and training as moons.py, for its seed 0 only: 30
# training points and 2000 validation points of two noisy moons, a tanh
# MLP 2-64-64-1, mean binary cross-entropy + (lam/2) * sum of the squared
# weights (biases not penalised), 1500 steps of full-batch gradient
# descent with learning rate 1. The nine networks train side by side.
import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap
import torch
import torch.nn.functional as F


def moons(n, rng, noise=0.3):
    t = rng.uniform(0, math.pi, n)
    label = rng.integers(0, 2, n)
    x = np.where(label == 0, np.cos(t), 1 - np.cos(t))
    y = np.where(label == 0, np.sin(t), 0.5 - np.sin(t))
    xy = np.column_stack([x, y]) + rng.normal(0, noise, (n, 2))
    return (torch.tensor(xy, dtype=torch.float32),
            torch.tensor(label, dtype=torch.float32))


lams = [0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1]
L, HID, STEPS, LR = len(lams), 64, 1500, 1.0
rng = np.random.default_rng(0)
x_val, y_val = moons(2000, rng)
x_train, y_train = moons(30, rng)  # moons.py's seed 0 draws the same

torch.manual_seed(0)
sizes = [(2, HID), (HID, HID), (HID, 1)]
# moons.py draws the initial weights of its 5 seeds at once; seed 0's
# are the first of each draw. Every lam starts from them.
weights = [(torch.randn(5, a, b)[:1] / math.sqrt(a))
           .repeat(L, 1, 1).requires_grad_() for a, b in sizes]
biases = [torch.zeros(L, 1, b, requires_grad=True) for _, b in sizes]
lam = torch.tensor(lams).view(L, 1, 1)


def logits(x):  # x: (n, 2) or (L, n, 2) -> (L, n), one row per lam
    h = x
    for i, (w, b) in enumerate(zip(weights, biases)):
        h = h @ w + b
        h = torch.tanh(h) if i < 2 else h
    return h.squeeze(-1)


def data_loss(x, y):  # mean cross-entropy, per network
    z = logits(x)
    return F.binary_cross_entropy_with_logits(
        z, y.expand_as(z), reduction="none").mean(dim=1)


opt = torch.optim.SGD(weights + biases, lr=LR)
for step in range(STEPS):
    penalty = sum((lam / 2 * w**2).sum(dim=(1, 2)) for w in weights)
    loss = (data_loss(x_train, y_train) + penalty).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()

with torch.no_grad():
    train, val = data_loss(x_train, y_train), data_loss(x_val, y_val)
    train_acc = ((logits(x_train) > 0).float() == y_train).float().mean(1)
    z = logits(x_val)
    right = ((z > 0).float() == y_val).float()
    val_acc = right.mean(1)
    # the part of the val loss from the points the network gets wrong
    wrong = (F.binary_cross_entropy_with_logits(
        z, y_val.expand_as(z), reduction="none") * (1 - right)).mean(1)
    said_1 = (z > 0).float().mean(1)  # share of val points called class 1
    sq = sum((w**2).sum(dim=(1, 2)) for w in weights)
xk = x_val.expand(L, -1, -1).clone().requires_grad_()  # one per network
logits(xk).sum().backward()
slope = xk.grad.norm(dim=2).mean(dim=1)  # mean |d logit / d input|

# The predicted probability of class 1 on a grid of cell centres over
# the plane, 100 x 60 cells: x1 from -2 to 3, x2 from -1.25 to 1.75.
XR, YR, NX, NY = (-2, 3), (-1.25, 1.75), 100, 60
cx = XR[0] + (torch.arange(NX) + 0.5) * (XR[1] - XR[0]) / NX
cy = YR[0] + (torch.arange(NY) + 0.5) * (YR[1] - YR[0]) / NY
gx, gy = torch.meshgrid(cx, cy, indexing="xy")  # (NY, NX): row 0 lowest
with torch.no_grad():
    prob = torch.sigmoid(logits(torch.stack([gx, gy], -1).view(-1, 2)))
prob = prob.view(L, NY, NX)
# the pale band: the share of the plane where the network is unsure
unsure = ((prob > 0.1) & (prob < 0.9)).float().mean(dim=(1, 2))

print(f"seed 0, after {STEPS} steps. train, val: the losses; wrong: the "
      f"part of the val loss from\nthe misclassified points; per miss: the "
      f"mean loss of a misclassified point;\nslope: mean |d logit / d input| "
      f"over the validation points; unsure: share of the plane\nshown with "
      f"0.1 < p < 0.9")
print(f"{'lam':>6} | {'train':>6} | {'val':>6} | {'wrong':>5} | per miss | "
      f"{'train acc':>9} | {'val acc':>7} | {'sum w^2':>7} | {'slope':>5} | "
      f"unsure")
print("-" * 92)
for j in range(L):
    print(f"{lams[j]:6g} | {train[j]:6.4f} | {val[j]:6.4f} | "
          f"{wrong[j]:5.3f} | {wrong[j] / (1 - val_acc[j]):8.2f} | "
          f"{train_acc[j]:9.1%} | {val_acc[j]:7.1%} | {sq[j]:7.1f} | "
          f"{slope[j]:5.2f} | {unsure[j]:.1%}")
print(f"lowest val loss at lam = {lams[val.argmin()]:g}")

# The largest lam: one answer everywhere, and which answer it is.
j, share_1 = L - 1, y_train.mean().item()  # class 1 among the 30 points
print(f"\nat lam = {lams[j]:g}: p(class 1) from {prob[j].min():.3f} to "
      f"{prob[j].max():.3f} on the plane;\nvalidation points called "
      f"class 1: {said_1[j]:.1%}")
print(f"class 1 among the training points: {share_1:.1%}; class 0 among "
      f"the validation points: {1 - y_val.mean():.1%}")
const = [F.binary_cross_entropy(torch.full_like(y, share_1), y).item()
         for y in (y_train, y_val)]
print(f"cross-entropy of p = {share_1:.3f} everywhere: training "
      f"{const[0]:.4f}, validation {const[1]:.4f}")

# The explorable shows each lam's numbers as printed here; it opens at
# lam = 0.01, this seed's lowest validation loss in moons.py.
readouts = {"sq": ("sum of squared weights", "{:.1f}", sq),
            "slope": ("mean |d logit / d input|", "{:.2f}", slope),
            "unsure": ("plane with 0.1 < p < 0.9", "{:.1%}", unsure),
            "train": ("training loss", "{:.4f}", train),
            "val": ("validation loss", "{:.4f}", val),
            "train_acc": ("training accuracy", "{:.1%}", train_acc),
            "val_acc": ("validation accuracy", "{:.1%}", val_acc)}
texts = [{k: spec.format(v[j].item()) for k, (_, spec, v) in readouts.items()}
         for j in range(L)]
DEFAULT = 1e-2
print(f"\nat lam = {DEFAULT:g}:")
for k, (label, _, _) in readouts.items():
    print(f"{label}: {texts[lams.index(DEFAULT)][k]}")


def r4(values):  # drawn values: 4 significant digits
    return [float(f"{v:.4g}") for v in values]


ZR = (-0.6, 1.6)  # colour range wider than [0, 1]: the points stand out

# What the page's explorable looks up: every value it can show.
EXPLORABLE = {
    "controls": [{"name": "lam", "label": "λ", "values": lams,
                  "default": DEFAULT}],
    "shared": {
        "lams": lams[1:],  # the log axis has no place for lam = 0
        "train_curve": r4(train[1:].tolist()),
        "val_curve": r4(val[1:].tolist()),
        "points": [[round(px, 3), round(py, 3), int(c)] for (px, py), c
                   in zip(x_train.tolist(), y_train.tolist())],
    },
    "settings": {
        str(j): {"p": [[round(v, 2) for v in row] for row in prob[j].tolist()],
                 **texts[j]}
        for j in range(L)
    },
    "charts": [
        {"kind": "heatmap",
         "title": "p(class 1) on the plane, training points",
         "z": "p", "xrange": list(XR), "yrange": list(YR),
         "zrange": list(ZR), "colours": "diverging", "points": "points",
         "xlabel": "x₁", "ylabel": "x₂"},
        {"kind": "lines", "title": "Losses against λ", "x": "lams",
         "xlog": True, "cursor": "lam", "xlabel": "λ (log scale)",
         "ylabel": "cross-entropy",
         "yrange": [0, round(1.3 * val[0].item(), 2)],
         "marks": [{"y": round(val[0].item(), 4),
                    "label": "validation, λ = 0"}],
         "series": [{"y": "train_curve", "label": "training"},
                    {"y": "val_curve", "label": "validation"}]},
    ],
    "readouts": [{"label": label, "key": k}
                 for k, (label, _, _) in readouts.items()],
}

# The static view: the plane at lam = 0 and at the default, and the
# losses against lam. Colours as on the page: class 0's colour where
# p is near 0, class 1's near 1, the background's at p = 0.5.
cmap = LinearSegmentedColormap.from_list("p", ["C0", "white", "C1"])
fig, axes = plt.subplots(1, 3, figsize=(11, 3.2),
                         gridspec_kw={"width_ratios": [1, 1, 1.1]})
for ax, v in zip(axes, (0, DEFAULT)):
    j = lams.index(v)
    ax.imshow(prob[j], origin="lower", extent=(*XR, *YR), cmap=cmap,
              vmin=ZR[0], vmax=ZR[1], aspect="equal",
              interpolation="bilinear")
    ax.grid(False)  # no grid lines across the shading
    for c in (0, 1):
        pts = x_train[y_train == c]
        ax.plot(pts[:, 0], pts[:, 1], "o", color=f"C{c}", markersize=4,
                markeredgecolor="black", markeredgewidth=0.5)
    ax.set_title(f"λ = {v:g}: validation loss {val[j]:.3f}", fontsize=10)
    ax.set_xlabel("x₁")
axes[0].set_ylabel("x₂")
ax = axes[2]
ax.plot(lams[1:], train[1:], "o-", color="C0", label="training loss")
ax.plot(lams[1:], val[1:], "s-", color="C1", label="validation loss")
ax.axhline(val[0], color="C1", linestyle=":", label="validation, λ = 0")
ax.axvline(DEFAULT, color="black", linestyle="--", linewidth=0.8)
ax.set_xscale("log")
ax.set_ylim(0, 1.3 * val[0])
ax.set_xlabel("λ (log scale)")
ax.set_ylabel("cross-entropy")
ax.set_title("Losses against λ (seed 0)", fontsize=10)
ax.legend(fontsize=8, loc="upper right")
fig.tight_layout()
plt.show()

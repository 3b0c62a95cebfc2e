# A small tanh MLP (2-64-64-1) on two noisy interleaved moons: 30
# training points, so it can overfit, and 2000 validation points.
# The loss is mean binary cross-entropy + (lam/2) * sum of the squared
# weights (biases are not penalised), minimised by plain full-batch
# gradient descent, so every step multiplies each weight by 1 - lr*lam.
# 8 values of lam x 5 seeds (each seed: its own 30 training points and
# initial weights) = 40 networks, trained side by side as one batched
# model (each one's gradient only involves its own parameters).
import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgba
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


lams = [0, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1]
L, SEEDS, HID, STEPS, LR = len(lams), 5, 64, 1500, 1.0
K = L * SEEDS  # network k has seed k // L and lam lams[k % L]
rng = np.random.default_rng(0)
x_val, y_val = moons(2000, rng)
sets = [moons(30, rng) for _ in range(SEEDS)]
x_train = torch.stack([x for x, _ in sets]).repeat_interleave(L, dim=0)
y_train = torch.stack([y for _, y in sets]).repeat_interleave(L, dim=0)

torch.manual_seed(0)
sizes = [(2, HID), (HID, HID), (HID, 1)]
weights = [(torch.randn(SEEDS, a, b) / math.sqrt(a))
           .repeat_interleave(L, dim=0).requires_grad_() for a, b in sizes]
biases = [torch.zeros(K, 1, b, requires_grad=True) for _, b in sizes]
lam = torch.tensor(lams).repeat(SEEDS).view(K, 1, 1)


def logits(x, nets=slice(None)):  # x: (n, 2) or (K, n, 2) -> (K, n)
    h = x
    for i, (w, b) in enumerate(zip(weights, biases)):
        h = h @ w[nets] + b[nets]
        h = torch.tanh(h) if i < 2 else h
    return h.squeeze(-1)


def data_loss(x, y, keep=None):  # per network; keep: which points count
    z = logits(x)
    per_point = F.binary_cross_entropy_with_logits(
        z, y.expand_as(z), reduction="none")
    return (per_point if keep is None else per_point * keep).mean(dim=1)


opt = torch.optim.SGD(weights + biases, lr=LR)
for step in range(STEPS):
    if step == STEPS // 2:  # to see which runs are still changing
        with torch.no_grad():
            half_val = data_loss(x_val, y_val)
            half_sq = sum((w**2).sum(dim=(1, 2)) for w in weights)
    penalty = sum((lam / 2 * w**2).sum(dim=(1, 2)) for w in weights)
    # summing over networks keeps their gradients separate
    loss = (data_loss(x_train, y_train) + penalty).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()

with torch.no_grad():
    train = data_loss(x_train, y_train)
    val = data_loss(x_val, y_val)
    right = ((logits(x_val) > 0).float() == y_val).float()
    acc = right.mean(dim=1)
    val_wrong = data_loss(x_val, y_val, keep=1 - right)  # share of val
    sq = sum((w**2).sum(dim=(1, 2)) for w in weights)
# how steep the learned function is: mean |d logit / d input| on val
xk = x_val.expand(K, -1, -1).clone().requires_grad_()  # one per net
logits(xk).sum().backward()
slope = xk.grad.norm(dim=2).mean(dim=1)

by_seed = {name: v.view(SEEDS, L) for name, v in
           dict(train=train, val=val, acc=acc, sq=sq, slope=slope,
                val_wrong=val_wrong, half_val=half_val,
                half_sq=half_sq).items()}
mean = {name: v.mean(dim=0) for name, v in by_seed.items()}
print(f"mean over {SEEDS} seeds (val loss: also min to max over seeds)")
print(f"{'lam':>6} | {'train loss':>10} | {'val loss':>8} | "
      f"{'val min-max':>13} | {'val acc':>7} | {'sum w^2':>7} | slope")
print("-" * 78)
for j in range(L):
    v = by_seed["val"][:, j]
    print(f"{lams[j]:6g} | {mean['train'][j]:10.4f} | "
          f"{mean['val'][j]:8.4f} | {v.min():6.3f}-{v.max():6.3f} | "
          f"{mean['acc'][j]:7.1%} | {mean['sq'][j]:7.1f} | "
          f"{mean['slope'][j]:.2f}")
print("slope: mean |d logit / d input| over the validation points")
best = [f"{lams[j]:g}" for j in by_seed["val"].argmin(dim=1).tolist()]
print(f"lam with the lowest val loss, seed by seed: {', '.join(best)}")

print(f"\nval acc: mean and min-max over seeds; wrong: the part of the val loss"
      f"\nfrom misclassified points; at step {STEPS // 2}: means half-way")
print(f"{'lam':>6} | {'val acc':>7} | {'acc min-max':>13} | {'wrong':>6} | "
      f"{'val loss at ' + str(STEPS // 2):>15} | {'sum w^2 at ' + str(STEPS // 2):>14}")
print("-" * 78)
for j in range(L):
    a = by_seed["acc"][:, j]
    print(f"{lams[j]:6g} | {mean['acc'][j]:7.1%} | {a.min():6.1%}-{a.max():6.1%} | "
          f"{mean['val_wrong'][j]:6.3f} | {mean['half_val'][j]:15.4f} | "
          f"{mean['half_sq'][j]:14.1f}")

# Figure 1: decision boundaries for four values of lam, seed 0
shown = [lams.index(v) for v in (0, 1e-3, 1e-2, 1e-1)]  # seed 0
g = torch.linspace(-2, 3, 200)
gx, gy = torch.meshgrid(g, g - 0.5, indexing="xy")
grid = torch.stack([gx.flatten(), gy.flatten()], dim=1)
with torch.no_grad():
    prob = torch.sigmoid(logits(grid, shown)).view(len(shown), 200, 200)
# shading: the predicted class, darker where p < 0.1 or p > 0.9
shades = [to_rgba("C0", 0.4), to_rgba("C0", 0.15),
          to_rgba("C1", 0.15), to_rgba("C1", 0.4)]
fig, axes = plt.subplots(1, 4, figsize=(9, 3.7), sharey=True)
for i, (ax, k) in enumerate(zip(axes, shown)):
    ax.contourf(gx, gy, prob[i], levels=[0, 0.1, 0.5, 0.9, 1],
                colors=shades)
    ax.contour(gx, gy, prob[i], levels=[0.1, 0.5, 0.9], colors="black",
               linestyles=["--", "-", "--"], linewidths=[0.6, 1.2, 0.6])
    for c in (0, 1):
        pts = x_train[k][y_train[k] == c]
        ax.plot(pts[:, 0], pts[:, 1], "o", color=f"C{c}", markersize=4.5,
                markeredgecolor="black", markeredgewidth=0.6,
                label=f"class {c}")
    ax.set_title(f"λ = {lams[k]:g}\nval loss {val[k]:.3f}", fontsize=10)
    ax.set_xlabel("x₁")
    ax.set_aspect("equal")
axes[0].set_ylabel("x₂")
fig.legend(*axes[0].get_legend_handles_labels(), loc="lower center",
           ncol=2, fontsize=9)
fig.suptitle("Predicted class on the plane (darker: p < 0.1 or p > 0.9), "
             "boundary p = 0.5 (solid), seed 0's 30 training points",
             fontsize=11)
fig.tight_layout(rect=(0, 0.08, 1, 0.97))

# Figure 2: histograms of all the weights, same four networks
print("\nseed 0's weights: smallest and largest")
fig, axes = plt.subplots(1, 4, figsize=(9, 2.8), sharex=True,
                         sharey=True)
for ax, k in zip(axes, shown):
    w = torch.cat([w[k].flatten() for w in weights]).detach()
    print(f"lam = {lams[k]:<6g} | {w.min():6.2f} | {w.max():5.2f}")
    ax.hist(w, bins=np.linspace(-6, 6, 49), color="C0")
    ax.set_yscale("log")
    ax.set_title(f"λ = {lams[k]:g}\nmax |w| = {w.abs().max():.2f}",
                 fontsize=10)
    ax.set_xlabel("weight value")
axes[0].set_ylabel("count (log scale)")
fig.suptitle("All 4288 weights of each network after training (seed 0)",
             fontsize=11)
fig.tight_layout()

# Figure 3: training and validation loss against lam, over the seeds
fig, ax = plt.subplots(figsize=(7.2, 3.8))
ax.plot(lams[1:], mean["train"][1:], "o-", color="C0",
        label="training loss")
ax.plot(lams[1:], mean["val"][1:], "s-", color="C1",
        label="validation loss")
ax.fill_between(lams[1:], by_seed["val"].min(dim=0).values[1:],
                by_seed["val"].max(dim=0).values[1:], color="C1",
                alpha=0.2, label="validation, min to max")
ax.axhline(mean["train"][0], color="C0", linestyle=":",
           label="training, λ = 0")
ax.axhline(mean["val"][0], color="C1", linestyle=":",
           label="validation, λ = 0")
ax.set_xscale("log")
ax.set_xlabel("λ (log scale)")
ax.set_ylabel(f"cross-entropy (no penalty),\nmean of {SEEDS} seeds")
ax.set_title("Too little λ overfits, too much underfits")
ax.legend(fontsize=9)
fig.tight_layout()
plt.show()

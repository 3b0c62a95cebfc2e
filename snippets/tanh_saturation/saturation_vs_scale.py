# What happens to a tanh layer as its pre-activations get wider.
# Inputs: 1000 examples with 30 features ~ N(0, 1), like the lecture's
# 3 characters x 10-dim embeddings. Weights: randn(30, 200) times a
# multiplier. The lecture's first MLP used 1 (plain randn); its fix 0.2.
import math

import matplotlib.pyplot as plt
import torch

torch.manual_seed(0)
x = torch.randn(1000, 30)
w = torch.randn(30, 200)
multipliers = [0.05, 0.1, 0.2, 0.5, 1.0]

print(f"no bias here: at multiplier 1, Var = 30 x 1 x 1, std sqrt(30) = "
      f"{math.sqrt(30):.2f}\n(a bias ~ randn would add 1: sqrt(31) = "
      f"{math.sqrt(31):.2f})")
print(f"{'multiplier':>10} | {'preact std':>10} | {'|h| > 0.99':>10} "
      f"| mean tanh'")
print("-" * 50)
stds, outputs, saturated, mean_slope = [], [], [], []
for m in multipliers:
    preact = x @ (w * m)
    h = torch.tanh(preact)
    stds.append(preact.std().item())
    outputs.append(h.flatten())
    saturated.append((h.abs() > 0.99).float().mean().item())
    # the average factor backprop multiplies the gradient by at this layer
    mean_slope.append((1 - h**2).mean().item())
    print(f"{m:>10} | {stds[-1]:10.2f} | {saturated[-1]:10.1%} "
          f"| {mean_slope[-1]:.3f}")

fig, axes = plt.subplots(2, 3, figsize=(9, 6))
for i, ax in enumerate(axes.flat[:len(multipliers)]):
    ax.hist(outputs[i], bins=50, range=(-1, 1), color="C0")
    ax.set_title(f"W × {multipliers[i]}: preact std {stds[i]:.2f}\n"
                 f"{saturated[i]:.0%} with |h| > 0.99", fontsize=10)
    ax.set_xlabel("h = tanh(preact)")
    ax.set_yticks([])

# Last panel: the two summary numbers against the multiplier.
ax = axes.flat[-1]
ax.plot(multipliers, saturated, "o-", label="share |h| > 0.99")
ax.plot(multipliers, mean_slope, "s-", label="mean tanh'")
ax.set_xscale("log")
ax.set_xticks(multipliers, [str(m) for m in multipliers], fontsize=8)
ax.minorticks_off()
ax.set_xlabel("weight multiplier (log scale)")
ax.set_ylim(0, 1.05)
ax.set_title("More saturation, less gradient", fontsize=10)
ax.legend(fontsize=8)
fig.suptitle("tanh outputs of one layer: wide pre-activations "
             "pile up at -1 and +1")
fig.tight_layout()
plt.show()

# Activations and gradients through a deep ReLU stack, for three weight
# scales. Each ReLU layer multiplies the second moment by
# fan_in * Var(W) * 1/2, so with std = gain / sqrt(n) the factor per
# layer is gain^2 / 2: it shrinks for gain 1, holds for sqrt(2) (He),
# grows for 2. Depth compounds it, forwards and backwards.
import math

import matplotlib.pyplot as plt
import torch

WIDTH, DEPTH, BATCH = 256, 20, 512
gains = {"1/sqrt(n) (LeCun)": 1.0, "sqrt(2/n) (He)": math.sqrt(2),
         "2/sqrt(n) (too large)": 2.0}


def run(gain, seed):
    """Std of the pre-activations and of dL/d(pre-activation), per layer."""
    g = torch.Generator().manual_seed(seed)
    h = torch.randn(BATCH, WIDTH, generator=g).requires_grad_()
    preacts = []
    for _ in range(DEPTH):
        z = h @ (torch.randn(WIDTH, WIDTH, generator=g) * gain / math.sqrt(WIDTH))
        z.retain_grad()
        preacts.append(z)
        h = torch.relu(z)
    # a fixed random projection of the output as the "loss"
    (h * torch.randn(BATCH, WIDTH, generator=g)).sum().backward()
    return [z.std().item() for z in preacts], [z.grad.std().item() for z in preacts]


# Same seed for every gain: the same matrices, only rescaled.
results = {name: run(gain, seed=0) for name, gain in gains.items()}
print(f"{'weights, seed 0':<22} | {'act std L1':>10} | {'act std L20':>11} "
      f"| {'grad L1 / L20':>13}")
print("-" * 66)
for name, (act, grad) in results.items():
    print(f"{name:<22} | {act[0]:10.3g} | {act[-1]:11.3g} "
          f"| {grad[0] / grad[-1]:13.3g}")

# relu(a z) = a relu(z): with gain g every layer is He's times g / sqrt(2),
# so the other rows are He's row times (g / sqrt(2))^19. He's spread over
# seeds is therefore the spread of every row.
he = [run(math.sqrt(2), seed) for seed in range(5)]
act_ratio = [act[-1] / act[0] for act, _ in he]
grad_ratio = [grad[0] / grad[-1] for _, grad in he]
print(f"\nHe, 5 seeds: act std L20 / L1 {min(act_ratio):.2f} to {max(act_ratio):.2f}, "
      f"grad L1 / L20 {min(grad_ratio):.2f} to {max(grad_ratio):.2f}")
for name, gain in gains.items():
    print(f"{name:<22}: (gain / sqrt(2))^19 = {(gain / math.sqrt(2)) ** 19:.3g}")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.8))
layers = range(1, DEPTH + 1)
for name, (act, grad) in results.items():
    ax1.plot(layers, act, "o-", markersize=3, label=name)
    ax2.plot(layers, grad, "o-", markersize=3, label=name)
for ax, what in ((ax1, "pre-activation std (forward)"),
                 (ax2, "gradient std at pre-activation (backward)")):
    ax.set_yscale("log")
    ax.set_xlabel("layer")
    ax.set_title(what, fontsize=10)
    ax.set_xticks([1, 5, 10, 15, 20])
ax1.legend(fontsize=8)
fig.suptitle("Deep ReLU stack, 20 layers of width 256, seed 0")
fig.tight_layout()
plt.show()

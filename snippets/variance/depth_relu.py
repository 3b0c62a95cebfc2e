# Activations and gradients through a deep ReLU stack, for three weight
# scales. Each ReLU layer multiplies the second moment by
# fan_in * Var(W) * 1/2, so with std = gain / sqrt(n) the factor per
# layer is gain^2 / 2: it shrinks for gain 1, holds for sqrt(2) (He),
# grows for 2. Depth compounds it, forwards and backwards.
import math

import matplotlib.pyplot as plt
import torch

torch.manual_seed(0)
WIDTH, DEPTH, BATCH = 256, 20, 512
gains = {"1/sqrt(n) (LeCun)": 1.0, "sqrt(2/n) (He)": math.sqrt(2),
         "2/sqrt(n) (too large)": 2.0}
x0 = torch.randn(BATCH, WIDTH)
base = [torch.randn(WIDTH, WIDTH) / math.sqrt(WIDTH) for _ in range(DEPTH)]

results = {}
for name, gain in gains.items():
    h, preacts = x0.clone().requires_grad_(), []
    for W in base:           # the same matrices, only rescaled
        z = h @ (W * gain)
        z.retain_grad()
        preacts.append(z)
        h = torch.relu(z)
    # a fixed random projection of the output as the "loss"
    (h * torch.randn(BATCH, WIDTH, generator=torch.Generator().manual_seed(1))
     ).sum().backward()
    act = [z.std().item() for z in preacts]
    grad = [z.grad.std().item() for z in preacts]
    results[name] = (act, grad)

print(f"{'weights':<22} | {'act std L1':>10} | {'act std L20':>11} "
      f"| {'grad L1 / L20':>13}")
print("-" * 66)
for name, (act, grad) in results.items():
    print(f"{name:<22} | {act[0]:10.3g} | {act[-1]:11.3g} "
          f"| {grad[0] / grad[-1]:13.3g}")

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
fig.suptitle("Deep ReLU stack, 20 layers of width 256")
fig.tight_layout()
plt.show()

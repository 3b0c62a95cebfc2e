# tanh and its derivative, with the flat tails marked.
# A unit counts as "saturated" when |tanh(x)| > 0.99.
import math

import matplotlib.pyplot as plt
import torch

THRESHOLD = 0.99
x = torch.linspace(-5, 5, 1001, requires_grad=True)
y = torch.tanh(x)
y.sum().backward()  # autograd: x.grad holds d tanh / dx at every x
slope = x.grad

# This chapter's threshold, and the one the lecture's deep-network plots use
for threshold in (THRESHOLD, 0.97):
    print(f"|tanh(x)| > {threshold} once |x| > {math.atanh(threshold):.3f}"
          f"; slope there: 1 - {threshold}^2 = {1 - threshold**2:.4f}")
edge = math.atanh(THRESHOLD)  # beyond |x| = edge, |tanh(x)| > THRESHOLD
peak = slope.argmax()
print(f"largest slope: {slope[peak]:.4f}, at x = {x[peak]:.3f}")
gap = (slope - (1 - y.detach() ** 2)).abs().max()
print(f"largest gap between autograd and 1 - tanh^2: {gap:.1e}")

xs = x.detach()
fig, ax = plt.subplots()
ax.plot(xs, y.detach(), label="tanh(x)", linewidth=2)
ax.plot(xs, slope, label="tanh'(x) = 1 - tanh²(x)", linewidth=2)
for side in (-1, 1):
    lo, hi = sorted((side * edge, side * 5))
    label = f"flat tail: |tanh| > {THRESHOLD}" if side == 1 else None
    ax.axvspan(lo, hi, alpha=0.15, color="C3", linewidth=0, label=label)
ax.axhline(0, color="black", linewidth=0.8)
ax.set_xlabel("pre-activation x")
ax.set_ylabel("value")
ax.set_title("tanh squashes to (-1, 1); its slope dies in the tails")
ax.legend(loc="upper left")
plt.show()

# Where the tanh gain 5/3 comes from.
# With W ~ N(0, gain^2 / n), a layer maps the second moment q of its
# pre-activations to q' = gain^2 * E[tanh(sqrt(q) z)^2], z ~ N(0, 1).
# tanh shrinks: at q = 1, E[tanh(z)^2] is well below 1, so gain 1 lets the
# signal fade with depth and a gain a little above 1.5 keeps it alive.
import math

import matplotlib.pyplot as plt
import numpy as np
import torch

# Gauss-Hermite quadrature: E[f(z)] for z ~ N(0, 1), to many digits.
nodes, weights = np.polynomial.hermite_e.hermegauss(101)
weights = weights / weights.sum()


def expect(f):
    return float((weights * f(nodes)).sum())


m_fwd = expect(lambda z: np.tanh(z) ** 2)
m_bwd = expect(lambda z: (1 - np.tanh(z) ** 2) ** 2)
print(f"E[tanh(z)^2]        = {m_fwd:.4f} -> gain 1/sqrt = "
      f"{1 / math.sqrt(m_fwd):.3f}")
print(f"E[tanh'(z)^2]       = {m_bwd:.4f} -> gain 1/sqrt = "
      f"{1 / math.sqrt(m_bwd):.3f}")
print(f"torch calculate_gain('tanh') = "
      f"{torch.nn.init.calculate_gain('tanh'):.4f} (5/3)")

# Iterate the map through 1000 layers (an idealised, infinitely wide net).
print(f"\n{'gain':>5} | {'tanh std after 1000 layers':>26}")
print("-" * 35)
ideal = {}
for label, gain in (("1", 1.0), ("5/3", 5 / 3), ("3", 3.0)):
    q, stds = gain**2, []  # layer 1 sees unit-variance inputs
    for _ in range(1000):
        out = expect(lambda z: np.tanh(math.sqrt(q) * z) ** 2)
        stds.append(math.sqrt(out))
        q = gain**2 * out
    ideal[label] = stds
    print(f"{gain:5.3f} | {stds[-1]:26.3f}")

# A real deep tanh stack: 10 layers of width 256.
torch.manual_seed(0)
WIDTH, DEPTH = 256, 10
x0 = torch.randn(1024, WIDTH)
Ws = [torch.randn(WIDTH, WIDTH) / math.sqrt(WIDTH) for _ in range(DEPTH)]
print(f"\n{'gain':>5} | {'std L1':>6} | {'std L10':>7} | {'sat L10':>7} "
      f"| {'grad L1/L10':>11}")
print("-" * 50)
curves = {}
for label, gain in (("1", 1.0), ("5/3", 5 / 3), ("3", 3.0)):
    h, outs = x0, []
    for W in Ws:
        z = (h @ (W * gain)).requires_grad_()
        h = torch.tanh(z)
        h.retain_grad()
        outs.append(h)
    # a fixed random projection of the output as the "loss"
    g = torch.Generator().manual_seed(1)
    (h * torch.randn(h.shape, generator=g)).sum().backward()
    std = [t.std().item() for t in outs]
    sat = [(t.abs() > 0.97).float().mean().item() for t in outs]
    grad = [t.grad.std().item() for t in outs]
    curves[label] = (std, sat, grad)
    print(f"{label:>5} | {std[0]:6.3f} | {std[-1]:7.3f} | {sat[-1]:7.1%} "
          f"| {grad[0] / grad[-1]:11.3g}")

fig, axes = plt.subplots(2, 2, figsize=(9, 6.5))
(ax_std, ax_sat), (ax_grad, ax_ideal) = axes
layers = range(1, DEPTH + 1)
for label, (std, sat, grad) in curves.items():
    ax_std.plot(layers, std, "o-", markersize=3, label=f"gain {label}")
    ax_sat.plot(layers, [100 * s for s in sat], "o-", markersize=3)
    ax_grad.plot(layers, grad, "o-", markersize=3)
    ax_ideal.plot(range(1, 101), ideal[label][:100])
ax_std.set_title("std of tanh outputs", fontsize=10)
ax_sat.set_title("% saturated (|h| > 0.97)", fontsize=10)
ax_grad.set_title("gradient std at tanh outputs", fontsize=10)
ax_ideal.set_title("std of tanh outputs, idealised wide net",
                   fontsize=10)
ax_grad.set_yscale("log")
ax_ideal.set_xscale("log")
for ax in (ax_std, ax_sat, ax_grad):
    ax.set_xlabel("layer (real 10-layer stack)")
ax_ideal.set_xlabel("layer (log scale)")
for ax in (ax_std, ax_ideal):
    ax.set_ylim(0, 1)
ax_std.legend(fontsize=8)
fig.suptitle("Deep tanh stack, weights gain/sqrt(n): 1 fades, "
             "3 saturates, 5/3 holds")
fig.tight_layout()
plt.show()

# Where the tanh gain 5/3 comes from, and what it does to the gradients.
# With W ~ N(0, gain^2 / n) and zero biases, a layer maps the second moment
# q of its pre-activations to q' = gain^2 * E[tanh(sqrt(q) z)^2], z ~ N(0, 1),
# and multiplies the second moment of the gradient, going back one layer,
# by chi = gain^2 * E[tanh'(sqrt(q) z)^2]  (fan-out sum, as for ReLU).
import math

import matplotlib.pyplot as plt
import numpy as np
import torch

# Gauss-Hermite quadrature: E[f(z)] for z ~ N(0, 1), to many digits.
nodes, weights = np.polynomial.hermite_e.hermegauss(101)
weights = weights / weights.sum()


def expect(f):
    return float((weights * f(nodes)).sum())


def tanh_map(gain, layers):
    """Pre-activation second moment q_l of layers 1..layers, unit inputs."""
    q, qs = gain**2, []
    for _ in range(layers):
        qs.append(q)
        q = gain**2 * expect(lambda z: np.tanh(math.sqrt(q) * z) ** 2)
    return qs


def chi(gain, q):
    return gain**2 * expect(lambda z: (1 - np.tanh(math.sqrt(q) * z) ** 2) ** 2)


m_fwd = expect(lambda z: np.tanh(z) ** 2)
m_bwd = expect(lambda z: (1 - np.tanh(z) ** 2) ** 2)
print(f"E[tanh(z)^2]        = {m_fwd:.4f} -> gain 1/sqrt = "
      f"{1 / math.sqrt(m_fwd):.3f}")
print(f"E[tanh'(z)^2]       = {m_bwd:.4f} -> gain 1/sqrt = "
      f"{1 / math.sqrt(m_bwd):.3f}")
print(f"torch calculate_gain('tanh') = "
      f"{torch.nn.init.calculate_gain('tanh'):.4f} (5/3)")

# Iterate the map through 1000 layers (an idealised, infinitely wide net):
# where q settles, and the backward factor chi there.
print(f"\n{'gain':>5} | {'q after 1000':>12} | {'tanh std':>8} "
      f"| {'chi (bwd, 2nd moment)':>21} | {'sqrt(chi)':>9}")
print("-" * 70)
ideal = {}
for gain in (1.0, 1.467, 1.593, 5 / 3, 3.0):
    qs = tanh_map(gain, 1001)
    ideal[gain] = [math.sqrt(q) / gain for q in qs[1:]]  # tanh output std
    print(f"{gain:5.3f} | {qs[-1]:12.4f} | {ideal[gain][-1]:8.3f} "
          f"| {chi(gain, qs[-1]):21.4f} | {math.sqrt(chi(gain, qs[-1])):9.4f}")
print("gain 1, tanh std after 10, 100, 1000 layers: "
      + ", ".join(f"{ideal[1.0][l - 1]:.3f}" for l in (10, 100, 1000))
      + "; 1/sqrt(2 l): "
      + ", ".join(f"{1 / math.sqrt(2 * l):.3f}" for l in (10, 100, 1000)))

# Sigmoid with Var(W) = 1/n (PyTorch's gain 1): same map, sigmoid instead.
sig = lambda t: 1 / (1 + np.exp(-t))
q = 1.0
for _ in range(1000):
    q = expect(lambda z: sig(math.sqrt(q) * z) ** 2)
back = expect(lambda z: (sig(math.sqrt(q) * z) * (1 - sig(math.sqrt(q) * z))) ** 2)
print(f"sigmoid, Var(W) = 1/n: q settles at {q:.3f}, backward factor {back:.3f}")

# A real tanh stack, 100 layers of width 256, three random initialisations.
WIDTH, DEPTH, SEEDS = 256, 100, 3
print(f"\n{'gain':>4} | {'std L10':>11} | {'std L100':>11} | {'sat L100':>9} "
      f"| {'grad L1/L10':>11} | {'grad L1/L100':>17} "
      f"| {'grad per layer':>15} | {'map':>5}")
print("-" * 105)
curves = {}
for label, gain in (("1", 1.0), ("5/3", 5 / 3), ("3", 3.0)):
    runs = []
    for seed in range(SEEDS):
        torch.manual_seed(seed)
        h = torch.randn(512, WIDTH)
        outs = []
        for _ in range(DEPTH):
            W = torch.randn(WIDTH, WIDTH) * gain / math.sqrt(WIDTH)
            h = torch.tanh((h @ W).requires_grad_())
            h.retain_grad()
            outs.append(h)
        # a fixed random projection of the output as the "loss"
        (h * torch.randn(h.shape)).sum().backward()
        runs.append(([t.std().item() for t in outs],
                     [(t.abs() > 0.97).float().mean().item() for t in outs],
                     [t.grad.std().item() for t in outs]))
    curves[label] = runs[0]
    # the map's prediction for the gradient std ratio L50 / L100, per layer
    qs = tanh_map(gain, DEPTH)
    pred = math.prod(math.sqrt(chi(gain, q)) for q in qs[50:]) ** (1 / 50)

    def span(f, fmt):
        values = [f(*run) for run in runs]
        return f"{min(values):{fmt}}-{max(values):{fmt}}"

    print(f"{label:>4} | {span(lambda s, a, g: s[9], '.3f'):>11} "
          f"| {span(lambda s, a, g: s[-1], '.3f'):>11} "
          f"| {span(lambda s, a, g: 100 * a[-1], '.1f'):>9} "
          f"| {span(lambda s, a, g: g[0] / g[9], '.2f'):>11} "
          f"| {span(lambda s, a, g: g[0] / g[-1], '.3g'):>17} "
          f"| {span(lambda s, a, g: (g[49] / g[-1]) ** (1 / 50), '.4f'):>15} "
          f"| {pred:5.3f}")
print("min-max over 3 seeds; sat: % of units with |h| > 0.97; grad per layer:\n"
      "(grad L50 / grad L100)^(1/50), against the map's prediction")

fig, axes = plt.subplots(2, 2, figsize=(9, 6.5))
(ax_std, ax_sat), (ax_grad, ax_ideal) = axes
layers = range(1, DEPTH + 1)
for label, (std, sat, grad) in curves.items():
    ax_std.plot(layers, std, label=f"gain {label}")
    ax_sat.plot(layers, [100 * s for s in sat])
    ax_grad.plot(layers, grad)
    ax_ideal.plot(range(1, 1001), ideal[{"1": 1.0, "5/3": 5 / 3, "3": 3.0}[label]])
ax_std.set_title("std of tanh outputs", fontsize=10)
ax_sat.set_title("% saturated (|h| > 0.97)", fontsize=10)
ax_grad.set_title("gradient std at tanh outputs", fontsize=10)
ax_ideal.set_title("std of tanh outputs, idealised wide net", fontsize=10)
ax_grad.set_yscale("log")
ax_ideal.set_xscale("log")
for ax in (ax_std, ax_sat, ax_grad):
    ax.set_xlabel("layer (real 100-layer stack, seed 0)")
ax_ideal.set_xlabel("layer (log scale)")
for ax in (ax_std, ax_ideal):
    ax.set_ylim(0, 1)
ax_std.legend(fontsize=8)
fig.suptitle("Deep tanh stack, weights gain/sqrt(n): 1 fades, 3 saturates, "
             "5/3 holds forwards; gradients grow for 5/3 and 3")
fig.tight_layout()
plt.show()

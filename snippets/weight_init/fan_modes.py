# fan_in vs fan_out when they differ. A 10-layer ReLU stack whose
# widths alternate 128 -> 512 -> 128 -> ... -> 128, weights in
# nn.Linear's (out, in) layout, initialised three ways with the ReLU
# gain sqrt(2). Forward: std of each layer's pre-activation z.
# Backward: std of the gradient reaching each layer's input (a
# unit-std gradient enters at the top). Mean over 5 seeds.
import math

import matplotlib.pyplot as plt
import torch
from torch import nn

WIDTHS = [128, 512] * 5 + [128]
BATCH, SEEDS = 512, range(5)
init = nn.init
MODES = {
    "He, mode='fan_in'": lambda w: init.kaiming_normal_(w, mode="fan_in"),
    "He, mode='fan_out'": lambda w: init.kaiming_normal_(w, mode="fan_out"),
    "Xavier, gain √2": lambda w: init.xavier_normal_(w, math.sqrt(2)),
}


def run(make, seed):
    torch.manual_seed(seed)
    h = torch.randn(BATCH, WIDTHS[0])
    inputs, zs = [], []
    for fan_in, fan_out in zip(WIDTHS, WIDTHS[1:]):
        h.requires_grad_().retain_grad()
        inputs.append(h)
        z = h @ make(torch.empty(fan_out, fan_in)).T
        zs.append(z.std().item())
        h = torch.relu(z)
    h.backward(torch.randn_like(h))
    return torch.tensor([zs, [x.grad.std().item() for x in inputs]])


results = {}  # name: (seeds, forward/backward, layer)
for name, make in MODES.items():
    results[name] = torch.stack([run(make, s) for s in SEEDS])
means = {name: r.mean(0) for name, r in results.items()}
spread = max(((r.amax(0) - r.amin(0)) / r.mean(0)).max().item()
             for r in results.values())

short = ("in", "out", "Xav")
print("fwd: std of the pre-activation z of layer l (input std 1)")
print("bwd: std of the gradient at the input of layer l (1 at the top)")
print("in, out: He with mode='fan_in', 'fan_out'; Xav: Xavier, gain √2")
print(f"{'layer':>5} | {'in -> out':>10} | "
      + " ".join(f"{f'fwd {s}':>7}" for s in short) + " | "
      + " ".join(f"{f'bwd {s}':>7}" for s in short))
print("-" * 70)
for l, (fan_in, fan_out) in enumerate(zip(WIDTHS, WIDTHS[1:])):
    fwd = " ".join(f"{means[n][0, l]:7.3f}" for n in MODES)
    bwd = " ".join(f"{means[n][1, l]:7.3f}" for n in MODES)
    print(f"{l + 1:>5} | {f'{fan_in} -> {fan_out}':>10} | {fwd} | {bwd}")
print(f"largest (max - min) / mean over the {len(SEEDS)} seeds, "
      f"any cell: {spread:.1%}")
print("predicted std factors: layer 128 -> 512, layer 512 -> 128, pair")
for name, var_w in (("fan_in", lambda i, o: 2 / i),
                    ("fan_out", lambda i, o: 2 / o),
                    ("Xavier", lambda i, o: 4 / (i + o))):
    pairs = ((128, 512), (512, 128))
    f = [math.sqrt(i * var_w(i, o) / 2) for i, o in pairs]
    b = [math.sqrt(o * var_w(i, o) / 2) for i, o in pairs]
    print(f"  {name:<7}  forward x{f[0]:.3f} x{f[1]:.3f} = x{f[0] * f[1]:.3f}"
          f",  backward x{b[0]:.3f} x{b[1]:.3f} = x{b[0] * b[1]:.3f}")

fig, axes = plt.subplots(1, 2, figsize=(9, 3.8), sharey=True)
layers = range(1, len(WIDTHS))
for i, name in enumerate(MODES):
    for j in (0, 1):
        axes[j].plot(layers, means[name][j], color=f"C{i}",
                     marker="os^"[i], label=name)
axes[0].set_title("forward: std of pre-activation z")
axes[1].set_title("backward: std of gradient at layer input")
for ax in axes:
    ax.set_yscale("log")
    ax.set_xlabel("layer (odd: 128 → 512, even: 512 → 128)")
    ax.set_xticks(list(layers))
axes[0].legend(fontsize=9)
fig.suptitle("Alternating widths: fan_in keeps the forward pass, "
             "fan_out the backward pass")
fig.tight_layout()
plt.show()

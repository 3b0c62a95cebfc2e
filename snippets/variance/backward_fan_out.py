# The backward pass through a ReLU layer z = h @ W, W of shape (n_in, n_out):
#   forward:  E[z^2]        = n_in  * Var(W) * E[h^2],  E[h^2] = E[z_prev^2] / 2
#   backward: E[(dL/dh)^2]  = n_out * Var(W) * E[(dL/dz)^2],
#             E[(dL/dz_prev)^2] = E[(dL/dh)^2] / 2   (relu' is 0 or 1)
# So per layer the forward factor is n_in * Var(W) / 2 and the backward one
# is n_out * Var(W) / 2. A stack whose widths alternate 100 <-> 400 makes
# every layer non-square, so no single Var(W) sets both factors to 1.
import math

import matplotlib.pyplot as plt
import matplotlib.ticker as ticker
import torch

WIDTHS = [100, 400, 100, 400, 100, 400, 100, 400, 100]  # 8 layers
BATCH, SEEDS = 1000, 5
schemes = {
    "fan_in: 2/n_in": lambda n_in, n_out: 2 / n_in,
    "fan_out: 2/n_out": lambda n_in, n_out: 2 / n_out,
    "compromise: 4/(n_in+n_out)": lambda n_in, n_out: 4 / (n_in + n_out),
}


def run(var_w, seed):
    """Second moments of the pre-activations z_l and of dL/dz_l, per layer."""
    g = torch.Generator().manual_seed(seed)
    h = torch.randn(BATCH, WIDTHS[0], generator=g).requires_grad_()
    zs = []
    for n_in, n_out in zip(WIDTHS, WIDTHS[1:]):
        W = torch.randn(n_in, n_out, generator=g) * math.sqrt(var_w(n_in, n_out))
        z = h @ W
        z.retain_grad()
        zs.append(z)
        h = torch.relu(z)
    # a fixed random projection of the output as the "loss"
    (h * torch.randn(h.shape, generator=g)).sum().backward()
    return ([(z.detach() ** 2).mean().item() for z in zs],
            [(z.grad ** 2).mean().item() for z in zs])


def span(values):
    return f"{min(values):.2f}-{max(values):.2f}"


def header(what):
    print(f"{'Var(W)':<26} | {what:>9} | {'fwd pred':>8} | {'fwd measured':>12} "
          f"| {'bwd pred':>8} | {'bwd measured':>12}")
    print("-" * 93)


# Per-layer factors for layers 2..8 (layer 1 has no ReLU before it), pooled
# over 5 seeds and the layers of each shape, next to the predictions above.
shapes = list(zip(WIDTHS[1:-1], WIDTHS[2:]))
header("layer")
curves, ends = {}, {}
for name, var_w in schemes.items():
    runs = [run(var_w, seed) for seed in range(SEEDS)]
    curves[name] = runs[0]
    fwd_all = [act[-1] / act[0] for act, _ in runs]
    bwd_all = [grad[0] / grad[-1] for _, grad in runs]
    fwd_pred = math.prod(n_in * var_w(n_in, n_out) / 2 for n_in, n_out in shapes)
    bwd_pred = math.prod(n_out * var_w(n_in, n_out) / 2 for n_in, n_out in shapes)
    ends[name] = (fwd_pred, fwd_all, bwd_pred, bwd_all)
    for n_in, n_out in ((100, 400), (400, 100)):
        layers = [l for l, shape in enumerate(shapes, 1) if shape == (n_in, n_out)]
        fwd = [act[l] / act[l - 1] for act, _ in runs for l in layers]
        bwd = [grad[l - 1] / grad[l] for _, grad in runs for l in layers]
        v = var_w(n_in, n_out)
        print(f"{name:<26} | {f'{n_in}->{n_out}':>9} | {n_in * v / 2:8.2f} "
              f"| {span(fwd):>12} | {n_out * v / 2:8.2f} | {span(bwd):>12}")

# The factors of layers 2..8 multiplied: z_1 to z_8 and back.
print()
header("layers")
for name, (fwd_pred, fwd_all, bwd_pred, bwd_all) in ends.items():
    print(f"{name:<26} | {'2..8':>9} | {fwd_pred:8.2f} | {span(fwd_all):>12} "
          f"| {bwd_pred:8.2f} | {span(bwd_all):>12}")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.8))
layers = range(1, len(WIDTHS))
for name, (act, grad) in curves.items():
    ax1.plot(layers, [math.sqrt(a) for a in act], "o-", markersize=3, label=name)
    ax2.plot(layers, [math.sqrt(g) for g in grad], "o-", markersize=3)
ax1.set_title("RMS of pre-activations z (forward)", fontsize=10)
ax2.set_title("RMS of dL/dz (backward)", fontsize=10)
for ax in (ax1, ax2):
    ax.set_yscale("log")
    ax.set_xlabel("layer (output width 400, 100, 400, ...)")
    ax.yaxis.set_minor_formatter(ticker.NullFormatter())
    ax.set_xticks(list(layers))
ax1.set_yticks([0.4, 0.6, 1, 1.4], ["0.4", "0.6", "1", "1.4"])
ax2.set_yticks([0.2, 0.3, 0.5, 0.7], ["0.2", "0.3", "0.5", "0.7"])
ax1.legend(fontsize=8)
fig.suptitle("ReLU stack of non-square layers, seed 0")
fig.tight_layout()
plt.show()

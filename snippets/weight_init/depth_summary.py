# The same 10-layer stacks as the histograms (256 units, batch 512),
# summed up: std of the activations and of the gradients at every
# layer, per init scheme. "act" is the layer's output h (tanh, SELU),
# but for ReLU the pre-activation z; "grad" is dL/dh, with a unit-std
# gradient at the top. Ratios near 1 mean the scheme keeps the scale.
# Last: LeCun normal in a 50-layer SELU stack.
import math

import matplotlib.pyplot as plt
import torch

WIDTH, BATCH, DEPTH = 256, 512, 10
SCHEMES = {
    "small: randn × 0.01": lambda n: torch.randn(n, n) * 0.01,
    "LeCun = Xavier: 1/√n": lambda n: torch.randn(n, n) / math.sqrt(n),
    "Kaiming tanh: (5/3)/√n":
        lambda n: torch.randn(n, n) * 5 / 3 / math.sqrt(n),
    "He: √2/√n": lambda n: torch.randn(n, n) * math.sqrt(2 / n),
    "orthogonal": lambda n: torch.nn.init.orthogonal_(torch.empty(n, n)),
}


def run(make_weight, act, depth=DEPTH, seed=0):
    torch.manual_seed(seed)
    h = torch.randn(BATCH, WIDTH, requires_grad=True)
    acts, outs = [], []
    for _ in range(depth):
        z = h @ make_weight(WIDTH)
        h = act(z)
        h.retain_grad()
        outs.append(h)
        acts.append(z if act is torch.relu else h)
    h.backward(torch.randn(BATCH, WIDTH))
    return ([a.std().item() for a in acts],
            [o.grad.std().item() for o in outs],
            (outs[-1].abs() > 0.97).float().mean().item())


fig, axes = plt.subplots(2, 2, figsize=(9, 6.5), sharex=True)
print("act L10/L1: activation std at layer 10 over layer 1")
print("grad L1: gradient std at layer 1 (it is 1 at layer 10)")
print("sat L10: share of tanh outputs with |h| > 0.97 at layer 10")
print(f"{'stack':<5} | {'scheme':<22} | {'act L1':>6} | {'act L10/L1':>10}"
      f" | {'grad L1':>7} | sat L10")
print("-" * 72)
for row, (act, label) in enumerate(((torch.tanh, "tanh"),
                                    (torch.relu, "ReLU"))):
    for i, (name, make) in enumerate(SCHEMES.items()):
        a, g, sat = run(make, act)
        sat_text = f"{sat:7.1%}" if act is torch.tanh else f"{'-':>7}"
        print(f"{label:<5} | {name:<22} | {a[0]:6.3f} | "
              f"{a[-1] / a[0]:10.2e} | {g[0]:7.1e} | {sat_text}")
        layers = range(1, DEPTH + 1)
        style = dict(color=f"C{i}", label=name, marker="os^Dx"[i],
                     linestyle="--" if name == "orthogonal" else "-")
        axes[row, 0].plot(layers, a, **style)
        axes[row, 1].plot(layers, g, **style)
    what = "std of tanh output h" if row == 0 else "std of pre-act z"
    axes[row, 0].set_ylabel(f"{label}: {what}", fontsize=10)
    axes[row, 1].set_ylabel(f"{label}: std of dL/dh", fontsize=10)
for (row, col), ax in zip([(0, 0), (0, 1), (1, 0), (1, 1)], axes.flat):
    ax.set_yscale("log")
    ax.set_ylim(1e-2, 2e1)  # randn x 0.01 drops far below: see the table
    ax.text(0.62 if col == 0 else 0.38, 0.04, "randn × 0.01 falls off "
            "the chart", transform=ax.transAxes, ha="center",
            fontsize=8, color="C0")
for ax in axes[1]:
    ax.set_xlabel("layer")
axes[0, 0].set_title("forward: activations")
axes[0, 1].set_title("backward: gradients (1 at the top)")
fig.suptitle("Which inits keep the scale through 10 layers?")
fig.tight_layout(rect=(0, 0, 1, 0.91))
fig.legend(*axes[0, 0].get_legend_handles_labels(), ncol=3, fontsize=9,
           loc="upper center", bbox_to_anchor=(0.5, 0.95))

# LeCun normal is what deep SELU networks use (Klambauer et al. 2017).
print()
print("SELU stack, 50 layers, LeCun normal (std 1/sqrt(n)) vs He")
print(f"{'init':<10} | {'act std L10':>11} | {'act std L50':>11} | "
      f"grad std L1")
print("-" * 52)
lecun = SCHEMES["LeCun = Xavier: 1/√n"]
he = SCHEMES["He: √2/√n"]
grads = []  # LeCun's gradient std at layer 1, seeds 0-4
for name, make in (("LeCun", lecun), ("He", he)):
    a, g, _ = run(make, torch.selu, depth=50)
    print(f"{name:<10} | {a[9]:11.3f} | {a[49]:11.3f} | {g[0]:10.3f}")
    if name == "LeCun":
        grads.append(g[0])
# Backward, each SELU layer with LeCun weights multiplies the gradient's
# variance by E[selu'(z)^2], z ~ N(0, 1) at the forward fixed point.
z = torch.randn(10**6, requires_grad=True)
torch.selu(z).sum().backward()
chi = z.grad.pow(2).mean().item()
grads += [run(lecun, torch.selu, depth=50, seed=s)[1][0] for s in range(1, 5)]
print(f"E[selu'(z)^2] = {chi:.4f}: gradient std x{math.sqrt(chi):.4f} "
      f"per layer, x{chi ** (49 / 2):.2f} over 49 layers")
print(f"LeCun grad std L1 over seeds 0-4: {min(grads):.2f} to "
      f"{max(grads):.2f}, mean {sum(grads) / len(grads):.2f}")
plt.show()

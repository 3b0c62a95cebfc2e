# Per-layer histograms of a 10-layer stack (256 units, batch of 512)
# under five init schemes, for tanh and for ReLU. No biases, no
# normalisation: the init alone decides the scale.
# Forward: activations (tanh outputs; ReLU pre-activations, since
# half of the ReLU outputs are exactly 0). Backward: a unit-std
# gradient enters at the top; we record dL/dh at every layer.
import math

import matplotlib.pyplot as plt
import numpy as np
import torch

WIDTH, BATCH, DEPTH = 256, 512, 10
SHOWN = (1, 4, 7, 10)  # layers drawn, coloured C0..C3
SCHEMES = {  # name: weight maker (square layers: Xavier = LeCun)
    "small: randn × 0.01": lambda n: torch.randn(n, n) * 0.01,
    "LeCun = Xavier: 1/√n": lambda n: torch.randn(n, n) / math.sqrt(n),
    "Kaiming tanh: (5/3)/√n":
        lambda n: torch.randn(n, n) * 5 / 3 / math.sqrt(n),
    "He: √2/√n": lambda n: torch.randn(n, n) * math.sqrt(2 / n),
    "orthogonal": lambda n: torch.nn.init.orthogonal_(torch.empty(n, n)),
}


def run(make_weight, act):
    torch.manual_seed(0)
    h = torch.randn(BATCH, WIDTH, requires_grad=True)
    shown, outs = [], []
    for _ in range(DEPTH):
        z = h @ make_weight(WIDTH)
        h = act(z)
        h.retain_grad()
        outs.append(h)
        shown.append(h if act is torch.tanh else z)
    h.backward(torch.randn(BATCH, WIDTH))
    return ([s.detach().flatten().numpy() for s in shown],
            [o.grad.flatten().numpy() for o in outs])


def draw(ax, values, fixed_range=None):
    """Overlay the SHOWN layers; each curve scaled to its own peak."""
    r = fixed_range or 4 * max(values[i - 1].std() for i in SHOWN)
    edges = np.linspace(-r, r, 61)
    for c, layer in enumerate(SHOWN):
        counts, _ = np.histogram(values[layer - 1], bins=edges)
        ax.stairs(counts / counts.max(), edges, color=f"C{c}",
                  linewidth=1.5, label=f"layer {layer}")
    ax.xaxis.set_major_locator(plt.MaxNLocator(5))
    ax.set_yticks([])
    ax.set_ylim(0, 1.08)


for act, label in ((torch.tanh, "tanh"), (torch.relu, "ReLU")):
    fig, axes = plt.subplots(len(SCHEMES), 2, figsize=(9, 10.5))
    print(f"{label}: std per layer (layers {SHOWN})")
    for row, (name, make) in enumerate(SCHEMES.items()):
        acts, grads = run(make, act)
        draw(axes[row, 0], acts, 1.0 if act is torch.tanh else None)
        draw(axes[row, 1], grads)
        axes[row, 0].set_ylabel(name, fontsize=9)
        a = " ".join(f"{acts[i - 1].std():.1e}" for i in SHOWN)
        g = " ".join(f"{grads[i - 1].std():.1e}" for i in SHOWN)
        print(f"  {name:<23} act {a}")
        print(f"  {'':<23} grad {g}")
    what = "tanh output h" if act is torch.tanh else "pre-activation z"
    axes[-1, 0].set_xlabel(f"{what} (forward)")
    axes[-1, 1].set_xlabel("gradient dL/dh (backward)")
    axes[0, 0].set_title("activations, per layer")
    axes[0, 1].set_title("gradients, per layer")
    fig.suptitle(f"10-layer {label} stack, one init scheme per row "
                 "(each curve scaled to its own peak)")
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    fig.legend(*axes[0, 0].get_legend_handles_labels(), ncol=4,
               loc="upper center", bbox_to_anchor=(0.5, 0.965))
plt.show()

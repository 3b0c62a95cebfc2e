# Seven tanh layers of width 48 on a 3-arm spiral, trained with plain
# SGD, three ways: without BN (PyTorch's default Linear init), with BN,
# and with BN plus "noise": after every BN layer, each unit's output is
# scaled and shifted by random amounts redrawn at every step, so the
# distribution the next layer sees jumps around all the time (the test
# of Santurkar et al. 2018). One seed, watched closely; the next
# snippet repeats the comparison over five seeds, on held-out data.
import math

import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F

N, ARMS, WIDTH, DEPTH = 3000, 3, 48, 7
STEPS, BATCH, LR, NOISE = 400, 64, 0.1, 0.2


def spiral(n, seed):
    g = torch.Generator().manual_seed(seed)
    r = torch.rand(n, generator=g)
    y = torch.randint(0, ARMS, (n,), generator=g)
    theta = (1.5 * math.pi * r + 2 * math.pi * y / ARMS
             + 0.15 * torch.randn(n, generator=g))
    return 2 * r[:, None] * torch.stack([theta.cos(), theta.sin()], 1), y


X, Y = spiral(N, 0)
probe = X[:128]  # a fixed batch, to watch each layer's inputs move


class Net(nn.Module):
    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        dims = [2] + [WIDTH] * DEPTH
        self.linears = nn.ModuleList(
            nn.Linear(a, b) for a, b in zip(dims, dims[1:]))
        if kind != "no BN":  # BN makes the bias useless; dropping it only
            for linear in self.linears:  # after it was drawn keeps every
                linear.bias = None       # kind's weights identical
        self.norms = nn.ModuleList(
            nn.BatchNorm1d(WIDTH) if kind != "no BN" else nn.Identity()
            for _ in range(DEPTH))
        self.out = nn.Linear(WIDTH, ARMS)
        self.redraw_noise()

    def redraw_noise(self):  # one scale and shift per unit per layer
        u = torch.rand(2, DEPTH, WIDTH) * 2 - 1
        self.scale, self.shift = 1 + NOISE * u[0], NOISE * u[1]

    def forward(self, x, keep=None):
        for i, (linear, norm) in enumerate(zip(self.linears, self.norms)):
            x = norm(linear(x))
            if self.kind == "BN + noise" and self.training:
                x = x * self.scale[i] + self.shift[i]
            x = torch.tanh(x)
            if keep is not None:
                keep.append(x.detach())
        return self.out(x)


def look(net, inputs):
    """Each layer's tanh outputs on `inputs`, as one (layer, example,
    unit) tensor, in training mode but leaving BN's buffers alone."""
    norms = [n for n in net.norms if isinstance(n, nn.BatchNorm1d)]
    for n in norms:
        n.momentum = 0.0
    acts = []
    with torch.no_grad():
        net(inputs, acts)
    for n in norms:
        n.momentum = 0.1  # PyTorch's default, used in training
    return torch.stack(acts)


def train(kind):
    torch.manual_seed(0)  # same init, noise and batches for every kind
    net = Net(kind)
    batches = torch.Generator().manual_seed(100)
    losses, moves, hists = [], [], [look(net, X)]
    before = look(net, probe).mean(1)
    for step in range(STEPS):
        idx = torch.randint(0, N, (BATCH,), generator=batches)
        loss = F.cross_entropy(net(X[idx]), Y[idx])
        net.zero_grad()
        loss.backward()
        with torch.no_grad():  # plain SGD, as in the lecture
            for p in net.parameters():
                p -= LR * p.grad
        net.redraw_noise()
        losses.append(loss.item())
        # how far each unit's mean on the probe batch moved in one step,
        # in units of the unit's spread
        acts = look(net, probe)
        after = acts.mean(1)
        moves.append(((after - before).abs() / acts.std(1)).mean(1))
        before = after
    hists.append(look(net, X))
    return dict(losses=losses, hists=hists, shift=torch.stack(moves).mean(0))


kinds = ["no BN", "BN", "BN + noise"]
runs = {k: train(k) for k in kinds}
print(f"mean minibatch loss over all {STEPS} steps:")
for kind in kinds:
    print(f"  {kind + ':':<11} {sum(runs[kind]['losses']) / STEPS:.3f}")

shift = {k: runs[k]["shift"] for k in kinds}
print("\nper-step shift of the layer inputs, layers 1..7:")
print("mean |change of a unit's mean| / the unit's std (probe batch)")
for kind in kinds:
    print(f"{kind:<10} | " + " ".join(f"{v:.4f}" for v in shift[kind]))
print("\nstd of each layer's tanh outputs, at init / after training")
for kind in kinds[:2]:
    pairs = [f"{a.std():.2f}/{b.std():.2f}"
             for a, b in zip(*runs[kind]["hists"])]
    print(f"{kind:<5} " + " ".join(pairs))

fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(9, 3.8))
window = 20
for i, kind in enumerate(kinds):
    c = torch.tensor(runs[kind]["losses"])
    smooth = c.unfold(0, window, 1).mean(1)
    ax0.plot(range(window, STEPS + 1), smooth, color=f"C{i}", label=kind)
    ax1.plot(range(1, DEPTH + 1), shift[kind], "o-", color=f"C{i}",
             label=kind)
ax0.set_xlabel("training step")
ax0.set_ylabel(f"training loss (mean of {window} steps)")
ax0.set_title("Loss", fontsize=10)
ax0.legend(fontsize=8)
ax1.set_yscale("log")
ax1.set_xlabel("layer")
ax1.set_ylabel("shift per step (unit means / std)")
ax1.set_title("Input shift per step", fontsize=10)
ax1.legend(fontsize=8)
fig.suptitle("Seven tanh layers on a spiral, SGD lr 0.1, batch 64, seed 0")
fig.tight_layout()

fig, axes = plt.subplots(2, 2, figsize=(9, 6), sharex=True)
for row, kind in enumerate(kinds[:2]):
    for col, when in enumerate(["at init", "after training"]):
        ax = axes[row, col]
        for layer, a in enumerate(runs[kind]["hists"][col]):
            counts, edges = torch.histogram(a.flatten(), bins=40,
                                            range=(-1., 1.))
            density = counts / counts.sum() / (edges[1] - edges[0])
            ax.plot((edges[1:] + edges[:-1]) / 2, density,
                    color=f"C{layer}", label=f"layer {layer + 1}")
        ax.set_title(f"{kind}, {when}", fontsize=10)
        ax.set_ylim(bottom=0)
    axes[row, 0].set_ylabel("density")
for ax in axes[1]:
    ax.set_xlabel("tanh output")
axes[0, 0].legend(fontsize=8, loc="upper right")
fig.suptitle("Per-layer tanh outputs: without BN they shrink with depth")
fig.tight_layout()
plt.show()

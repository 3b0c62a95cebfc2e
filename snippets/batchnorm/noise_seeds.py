# Seven tanh layers of width 48 on a 3-arm spiral, trained with plain
# SGD, three ways: without BN (PyTorch's default Linear init), with BN,
# and with BN plus "noise": after every BN layer, each unit's output is
# scaled and shifted by random amounts redrawn at every step, so the
# distribution the next layer sees jumps around all the time (the test
# of Santurkar et al. 2018), repeated for five seeds. Each network is
# scored by its loss during training and, after it, on held-out data.
import math

import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F

N, ARMS, WIDTH, DEPTH = 3000, 3, 48, 7
STEPS, BATCH, LR, NOISE = 400, 64, 0.1, 0.2
SEEDS = range(5)


def spiral(n, seed):
    g = torch.Generator().manual_seed(seed)
    r = torch.rand(n, generator=g)
    y = torch.randint(0, ARMS, (n,), generator=g)
    theta = (1.5 * math.pi * r + 2 * math.pi * y / ARMS
             + 0.15 * torch.randn(n, generator=g))
    return 2 * r[:, None] * torch.stack([theta.cos(), theta.sin()], 1), y


X, Y = spiral(N, 0)            # training set
X_test, Y_test = spiral(N, 1)  # held out: never trained on


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

    def forward(self, x):
        for i, (linear, norm) in enumerate(zip(self.linears, self.norms)):
            x = norm(linear(x))
            if self.kind == "BN + noise" and self.training:
                x = x * self.scale[i] + self.shift[i]
            x = torch.tanh(x)
        return self.out(x)


def calibrate(net):
    """BN statistics of the whole training set, as the lecture does after
    training: one pass over all of X in training mode, where momentum
    None makes each buffer the plain average of what it saw."""
    kind, net.kind = net.kind, "calibrating"  # no noise
    for n in net.norms:
        if isinstance(n, nn.BatchNorm1d):
            n.reset_running_stats()
            n.momentum = None
    with torch.no_grad():
        net(X)
    net.kind = kind


def train(kind, seed):
    torch.manual_seed(seed)
    net = Net(kind)
    batches = torch.Generator().manual_seed(100 + seed)
    total = 0.0
    for _ in range(STEPS):
        idx = torch.randint(0, N, (BATCH,), generator=batches)
        loss = F.cross_entropy(net(X[idx]), Y[idx])
        net.zero_grad()
        loss.backward()
        with torch.no_grad():  # plain SGD, as in the lecture
            for p in net.parameters():
                p -= LR * p.grad
        net.redraw_noise()
        total += loss.item()
    calibrate(net)
    net.eval()  # the fixed function a trained network computes, no noise
    with torch.no_grad():
        train_loss, test_loss = (F.cross_entropy(net(x), y).item()
                                 for x, y in ((X, Y), (X_test, Y_test)))
        acc = (net(X_test).argmax(1) == Y_test).float().mean().item()
    return dict(during=total / STEPS, train=train_loss, test=test_loss,
                acc=acc)


kinds = ["no BN", "BN", "BN + noise"]
nets = [(torch.manual_seed(0), Net(k))[1] for k in kinds]
same = all(torch.equal(a.weight, b.weight) for net in nets[1:]
           for a, b in zip(nets[0].linears, net.linears))
print(f"same seed, same initial weights for all three networks: {same}")
runs = {k: [train(k, s) for s in SEEDS] for k in kinds}

print(f"during: mean minibatch loss over all {STEPS} steps (training speed)")
print("after training, in eval mode with whole-training-set BN statistics")
print(f"and no noise: train = all {N} training points, test = {N} held out")
print(f"{'network':<10} | {'5 seeds':<7} | {'during':>6} | {'train loss':>10} "
      f"| {'test loss':>9} | {'test acc':>8}")
print("-" * 65)
for kind in kinds:
    cols = [torch.tensor([r[key] for r in runs[kind]])
            for key in ("during", "train", "test", "acc")]
    for stat, f in (("mean", torch.mean), ("min", torch.min),
                    ("max", torch.max)):
        a, b, c, d = (f(col).item() for col in cols)
        print(f"{kind:<10} | {stat:<7} | {a:6.3f} | {b:10.3f} | {c:9.3f} "
              f"| {d:8.1%}")

# Same seed = same data, init and batches: compare the networks in pairs.
print(f"\n{'per seed (same init and batches)':<40}| "
      + " | ".join(f"{s:>6}" for s in SEEDS) + " |   mean")
print("-" * 89)
trios = list(zip(runs["no BN"], runs["BN"], runs["BN + noise"]))
rows = [("during: share of BN's gain lost to noise",
         [(n["during"] - b["during"]) / (o["during"] - b["during"])
          for o, b, n in trios], "{:6.0%}"),
        ("test loss, BN - no BN",
         [b["test"] - o["test"] for o, b, n in trios], "{:+6.3f}"),
        ("test loss, BN + noise - BN",
         [n["test"] - b["test"] for o, b, n in trios], "{:+6.3f}")]
for label, values, fmt in rows:
    print(f"{label:<40}| " + " | ".join(fmt.format(v) for v in values)
          + " | " + fmt.format(sum(values) / len(values)))

fig, axes = plt.subplots(1, 3, figsize=(9, 3.4))
for ax, key, label in zip(axes, ("during", "test", "acc"),
                          ("mean loss during training", "held-out loss",
                           "held-out accuracy")):
    for s in SEEDS:
        ax.plot(range(3), [runs[k][s][key] for k in kinds], "o-",
                color=f"C{s}", label=f"seed {s}")
    ax.set_xticks(range(3), kinds)
    ax.set_xlim(-0.3, 2.3)
    ax.set_title(label, fontsize=10)
axes[0].legend(fontsize=8)
fig.suptitle("The same five seeds with and without BN, and with noisy BN")
fig.tight_layout()
plt.show()

# Ioffe & Szegedy's central claim: BN lets a network train with much
# larger learning rates. A tanh network (four hidden layers of 32) on a
# 3-arm spiral, with and without BN, for learning rates from 0.1 to 10,
# three seeds each. Without BN the weights get the lecture's careful
# init, (5/3)/sqrt(fan_in), so BN is not rescuing a bad initialisation.
import math

import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F

N, ARMS, WIDTH, DEPTH, STEPS, BATCH = 3000, 3, 32, 4, 300, 64
RATES = [0.1, 0.3, 1.0, 3.0, 10.0]
SEEDS = range(3)


def spiral(n, seed):
    g = torch.Generator().manual_seed(seed)
    r = torch.rand(n, generator=g)
    y = torch.randint(0, ARMS, (n,), generator=g)
    theta = (1.5 * math.pi * r + 2 * math.pi * y / ARMS
             + 0.15 * torch.randn(n, generator=g))
    return 2 * r[:, None] * torch.stack([theta.cos(), theta.sin()], 1), y


X, Y = spiral(N, 0)
X_test, Y_test = spiral(N, 1)


def make_net(bn):
    layers, fan_in = [], 2
    for _ in range(DEPTH):
        linear = nn.Linear(fan_in, WIDTH)  # same random draws for both
        nn.init.normal_(linear.weight, std=5 / 3 / fan_in ** 0.5)
        if bn:
            linear.bias = None  # BN makes a bias useless
        else:
            nn.init.zeros_(linear.bias)
        layers += [linear, nn.BatchNorm1d(WIDTH) if bn else nn.Identity(),
                   nn.Tanh()]
        fan_in = WIDTH
    return nn.Sequential(*layers, nn.Linear(WIDTH, ARMS))


def run(bn, lr, seed):
    torch.manual_seed(seed)
    net = make_net(bn)
    batches = torch.Generator().manual_seed(100 + seed)
    total = 0.0
    for _ in range(STEPS):
        idx = torch.randint(0, N, (BATCH,), generator=batches)
        loss = F.cross_entropy(net(X[idx]), Y[idx])
        net.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in net.parameters():
                p -= lr * p.grad
        total += loss.item()
    with torch.no_grad():
        for m in net.modules():  # BN statistics of the whole training set
            if isinstance(m, nn.BatchNorm1d):
                m.reset_running_stats()
                m.momentum = None
        net(X)
        net.eval()
        acc = (net(X_test).argmax(1) == Y_test).float().mean().item()
    return total / STEPS, acc  # a diverged run gives nan loss


print(f"mean minibatch loss over {STEPS} steps (lower = faster training) and")
print("held-out accuracy after training; min and max over 3 seeds")
print(f"{'lr':>5} | {'loss, no BN':>13} | {'loss, BN':>13} | "
      f"{'acc, no BN':>13} | {'acc, BN':>13}")
print("-" * 69)
results = {}
for lr in RATES:
    for bn in (False, True):
        results[lr, bn] = torch.tensor([run(bn, lr, s) for s in SEEDS])
    spans = [results[lr, bn].aminmax(dim=0) for bn in (False, True)]
    cells = [f"{lo[0]:.3g}-{hi[0]:.3g}" for lo, hi in spans]
    cells += [f"{lo[1]:.1%}-{hi[1]:.1%}" for lo, hi in spans]
    print(f"{lr:5g} | " + " | ".join(f"{c:>13}" for c in cells))

fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(9, 3.6))
for bn, color, label in ((False, "C0", "no BN"), (True, "C1", "BN")):
    for col, ax in ((0, ax0), (1, ax1)):
        values = torch.stack([results[lr, bn][:, col] for lr in RATES])
        mid = values.mean(1)
        ax.fill_between(RATES, values.min(1).values, values.max(1).values,
                        color=color, alpha=0.25, lw=0)
        ax.plot(RATES, mid, "o-", color=color, label=label)
ax0.set_yscale("log")
for ax in (ax0, ax1):
    ax.set_xscale("log")
    ax.set_xlabel("learning rate (log scale)")
    ax.legend(fontsize=8)
ax0.set_ylabel(f"mean training loss, {STEPS} steps (log)")
ax0.set_title("Training speed", fontsize=10)
ax1.set_ylabel("held-out accuracy")
ax1.set_title("After training", fontsize=10)
fig.suptitle("Four tanh layers on a spiral: mean and range over 3 seeds")
fig.tight_layout()
plt.show()

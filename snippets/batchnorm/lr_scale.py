# Behind BN, a layer's weight scale no longer changes the function, only
# the effective learning rate: about lr / |W|^2. So the initial weight
# scale shifts the BN network along the learning-rate axis. The network
# of lr_sweep.py with BN, its weights drawn with gain 5/3 (as there) or
# 5 (three times larger), next to the network without BN, over 5 seeds.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N, ARMS, WIDTH, DEPTH, STEPS, BATCH = 3000, 3, 32, 4, 300, 64
SEEDS = range(5)
RUNS = [("no BN", 5 / 3, 0.3)] + [("BN", gain, lr) for gain in (5 / 3, 5)
                                  for lr in (0.3, 3.0, 10.0)]


def spiral(n, seed):
    g = torch.Generator().manual_seed(seed)
    r = torch.rand(n, generator=g)
    y = torch.randint(0, ARMS, (n,), generator=g)
    theta = (1.5 * math.pi * r + 2 * math.pi * y / ARMS
             + 0.15 * torch.randn(n, generator=g))
    return 2 * r[:, None] * torch.stack([theta.cos(), theta.sin()], 1), y


X, Y = spiral(N, 0)
X_test, Y_test = spiral(N, 1)


def make_net(bn, gain):
    layers, fan_in = [], 2
    for _ in range(DEPTH):
        linear = nn.Linear(fan_in, WIDTH)
        nn.init.normal_(linear.weight, std=gain / fan_in ** 0.5)
        if bn:
            linear.bias = None
        else:
            nn.init.zeros_(linear.bias)
        layers += [linear, nn.BatchNorm1d(WIDTH) if bn else nn.Identity(),
                   nn.Tanh()]
        fan_in = WIDTH
    return nn.Sequential(*layers, nn.Linear(WIDTH, ARMS))


def run(bn, gain, lr, seed):
    torch.manual_seed(seed)
    net = make_net(bn, gain)
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
    return total / STEPS, acc


print(f"mean minibatch loss over {STEPS} steps and held-out accuracy;")
print("mean and min-max over 5 seeds")
print(f"{'network':>7} | {'gain':>4} | {'lr':>4} | {'loss':>5} | "
      f"{'loss range':>11} | {'acc':>5} | {'acc range':>11}")
print("-" * 66)
for kind, gain, lr in RUNS:
    loss, acc = torch.tensor([run(kind == "BN", gain, lr, s)
                              for s in SEEDS]).T
    loss_range = f"{loss.min():.3g}-{loss.max():.3g}"
    print(f"{kind:>7} | {gain:4.2f} | {lr:4g} | {loss.mean():5.3g} | "
          f"{loss_range:>11} | {acc.mean():5.1%} | "
          f"{acc.min():.1%}-{acc.max():.1%}")

# After training, the lecture replaces BN's running averages by the mean
# and variance of the whole training set ("calibration"). How far apart
# are the two, and how different are the network's outputs in training
# mode (batch statistics), in eval mode with running averages, and in
# eval mode with calibrated statistics? A tanh network with four hidden
# layers of 32 and BN, on a 3-arm spiral, 300 steps of SGD (lr 0.3,
# batch 64), for PyTorch's default momentum 0.1 and the lecture's 0.001.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N, ARMS, WIDTH, DEPTH, STEPS, BATCH, LR = 3000, 3, 32, 4, 300, 64, 0.3
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


def make_net(momentum):
    layers, fan_in = [], 2
    for _ in range(DEPTH):
        layers += [nn.Linear(fan_in, WIDTH, bias=False),
                   nn.BatchNorm1d(WIDTH, momentum=momentum), nn.Tanh()]
        fan_in = WIDTH
    return nn.Sequential(*layers, nn.Linear(WIDTH, ARMS))


def losses(net, x, y):
    """Loss in training mode (statistics of each batch of 64, buffers left
    alone), and in eval mode with the buffers as they are."""
    norms = [m for m in net if isinstance(m, nn.BatchNorm1d)]
    with torch.no_grad():
        net.train()
        saved = [m.momentum for m in norms]
        for m in norms:
            m.momentum = 0.0
        train_mode = torch.stack([F.cross_entropy(net(xb), yb) for xb, yb
                                  in zip(x.split(BATCH), y.split(BATCH))])
        for m, a in zip(norms, saved):
            m.momentum = a
        net.eval()
        return train_mode.mean().item(), F.cross_entropy(net(x), y).item()


def calibrate(net):
    """One pass over the whole training set in training mode; momentum
    None makes each buffer the plain average of what it saw."""
    norms = [m for m in net if isinstance(m, nn.BatchNorm1d)]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None
    with torch.no_grad():
        net.train()
        net(X)
    return norms


def train(momentum, seed):
    torch.manual_seed(seed)
    net = make_net(momentum)
    batches = torch.Generator().manual_seed(100 + seed)
    for _ in range(STEPS):
        idx = torch.randint(0, N, (BATCH,), generator=batches)
        loss = F.cross_entropy(net(X[idx]), Y[idx])
        net.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in net.parameters():
                p -= LR * p.grad
    return net


rows = {name: [] for name in ("batch of 64 (train mode)",
                              "running avg, momentum 0.1",
                              "running avg, momentum 0.001",
                              "calibrated (whole set)")}
gaps = {0.1: [], 0.001: []}
same = True
for seed in SEEDS:
    nets = {a: train(a, seed) for a in gaps}
    # training mode never reads the buffers: both nets learnt the same
    same &= all(torch.equal(p, q) for p, q in zip(
        nets[0.1].parameters(), nets[0.001].parameters()))
    (batch, run_1), (batch_test, run_1_test) = (
        losses(nets[0.1], X, Y), losses(nets[0.1], X_test, Y_test))
    rows["batch of 64 (train mode)"].append((batch, batch_test))
    rows["running avg, momentum 0.1"].append((run_1, run_1_test))
    rows["running avg, momentum 0.001"].append(
        (losses(nets[0.001], X, Y)[1], losses(nets[0.001], X_test, Y_test)[1]))
    for a, net in nets.items():
        running = [(m.running_mean.clone(), m.running_var.clone())
                   for m in net if isinstance(m, nn.BatchNorm1d)]
        for (mean, var), m in zip(running, calibrate(net)):
            gaps[a].append(torch.stack([
                ((mean - m.running_mean) / m.running_var.sqrt()).abs(),
                var / m.running_var]))
    rows["calibrated (whole set)"].append(
        (losses(nets[0.1], X, Y)[1], losses(nets[0.1], X_test, Y_test)[1]))

print(f"both momenta train identical weights: {same}")
print(f"after {STEPS} steps, momentum 0.001 has moved the buffers "
      f"1 - 0.999^{STEPS} = {1 - 0.999 ** STEPS:.0%} of the way from their "
      "starting values 0 and 1")
print(f"\nloss on the {N} training points and on {N} held-out points")
print(f"{'statistics used':<27} | "
      + " | ".join(f"train {s}" for s in SEEDS) + " | "
      + " | ".join(f" test {s}" for s in SEEDS))
print("-" * 82)
for name, values in rows.items():
    train_l, test_l = zip(*values)
    print(f"{name:<27} | " + " | ".join(f"{v:7.3f}" for v in train_l + test_l))

print("\nrunning averages vs calibrated statistics, all units, 3 seeds")
print(f"{'momentum':>8} | {'|mean diff|/std: median':>23} | {'max':>5} | "
      f"{'var ratio: median':>17} | {'range':>11}")
print("-" * 78)
for a, g in gaps.items():
    mean_gap, ratio = torch.cat(g, dim=1)
    span = f"{ratio.min():.2f}-{ratio.max():.2f}"
    print(f"{a:8g} | {mean_gap.median():23.3f} | {mean_gap.max():5.2f} | "
          f"{ratio.median():17.3f} | {span:>11}")

# The noisy-BN test of noise_seeds.py, with the noise made larger: each
# unit's BN output is scaled by 1 + NOISE*u and shifted by NOISE*v, with
# u, v uniform in [-1, 1] and redrawn at every step. At NOISE = 1 a unit's
# scale jumps anywhere between 0 and 2 and its centre by up to one
# standard deviation. Same data, seeds, initial weights and batches as
# noise_seeds.py, so its table is the baseline.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N, ARMS, WIDTH, DEPTH = 3000, 3, 48, 7
STEPS, BATCH, LR = 400, 64, 0.1
SEEDS = range(5)


def spiral(n, seed):
    g = torch.Generator().manual_seed(seed)
    r = torch.rand(n, generator=g)
    y = torch.randint(0, ARMS, (n,), generator=g)
    theta = (1.5 * math.pi * r + 2 * math.pi * y / ARMS
             + 0.15 * torch.randn(n, generator=g))
    return 2 * r[:, None] * torch.stack([theta.cos(), theta.sin()], 1), y


X, Y = spiral(N, 0)
X_test, Y_test = spiral(N, 1)


class Net(nn.Module):
    def __init__(self, noise):
        super().__init__()
        self.noise, self.noisy = noise, True
        dims = [2] + [WIDTH] * DEPTH
        self.linears = nn.ModuleList(
            nn.Linear(a, b) for a, b in zip(dims, dims[1:]))
        for linear in self.linears:  # drawn, then dropped: same W as
            linear.bias = None       # in noise_seeds.py
        self.norms = nn.ModuleList(nn.BatchNorm1d(WIDTH)
                                   for _ in range(DEPTH))
        self.out = nn.Linear(WIDTH, ARMS)
        self.redraw_noise()

    def redraw_noise(self):
        u = torch.rand(2, DEPTH, WIDTH) * 2 - 1
        self.scale, self.shift = 1 + self.noise * u[0], self.noise * u[1]

    def forward(self, x):
        for i, (linear, norm) in enumerate(zip(self.linears, self.norms)):
            x = norm(linear(x))
            if self.noisy:
                x = x * self.scale[i] + self.shift[i]
            x = torch.tanh(x)
        return self.out(x)


def train(noise, seed):
    torch.manual_seed(seed)
    net = Net(noise)
    batches = torch.Generator().manual_seed(100 + seed)
    total = 0.0
    for _ in range(STEPS):
        idx = torch.randint(0, N, (BATCH,), generator=batches)
        loss = F.cross_entropy(net(X[idx]), Y[idx])
        net.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in net.parameters():
                p -= LR * p.grad
        net.redraw_noise()
        total += loss.item()
    for n in net.norms:  # calibrate: whole-training-set statistics
        n.reset_running_stats()
        n.momentum = None
    net.noisy = False
    with torch.no_grad():
        net(X)
        net.eval()
        test = F.cross_entropy(net(X_test), Y_test).item()
        acc = (net(X_test).argmax(1) == Y_test).float().mean().item()
    return total / STEPS, test, acc


print(f"BN + noise, 5 seeds; during: mean minibatch loss over {STEPS} steps;")
print(f"test: {N} held-out points, eval mode, whole-training-set statistics")
print(f"{'noise':>5} | {'stat':<4} | {'during':>6} | {'test loss':>9} "
      f"| {'test acc':>8}")
print("-" * 45)
for noise in (0.5, 1.0):
    cols = torch.tensor([train(noise, s) for s in SEEDS]).T
    for stat, f in (("mean", torch.mean), ("min", torch.min),
                    ("max", torch.max)):
        a, b, c = (f(col).item() for col in cols)
        print(f"{noise:5g} | {stat:<4} | {a:6.3f} | {b:9.3f} | {c:8.1%}")

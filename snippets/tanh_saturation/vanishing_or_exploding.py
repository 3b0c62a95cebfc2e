# Is the step-0 gradient "vanishing, not exploding"? Two settings.
# 1) The lecture's shallow MLP (random data as in two_problems.py):
#    gradient norms at the logits, across tanh, and on W1.
# 2) A stack of tanh layers, weights randn * gain / sqrt(fan_in), no bias,
#    inputs ~ N(0, 1): how the gradient's size changes from the last
#    tanh layer back to the first, for three gains.
import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

VOCAB, BLOCK, EMBED, HIDDEN = 27, 3, 10, 200
torch.manual_seed(0)
contexts = torch.randint(0, VOCAB, (4096, BLOCK))
labels = torch.randint(0, VOCAB, (4096,))

print("1) shallow MLP, lecture's seed: gradient norms, per example for "
      "the logits")
print(f"{'init':<11} | {'dL/dlogits':>10} | {'dL/dh':>7} | {'dL/dpreact':>10}"
      f" | dL/dW1")
print("-" * 56)
for name, (s_w1, s_b1, s_w2, s_b2) in (("plain randn", (1, 1, 1, 1)),
                                       ("fix both", (0.2, 0.01, 0.01, 0))):
    g = torch.Generator().manual_seed(2147483647)
    C = torch.randn((VOCAB, EMBED), generator=g)
    W1 = torch.randn((BLOCK * EMBED, HIDDEN), generator=g) * s_w1
    b1 = torch.randn(HIDDEN, generator=g) * s_b1
    W2 = torch.randn((HIDDEN, VOCAB), generator=g) * s_w2
    b2 = torch.randn(VOCAB, generator=g) * s_b2
    W1.requires_grad_()
    preact = C[contexts].view(-1, BLOCK * EMBED) @ W1 + b1
    h = torch.tanh(preact)
    logits = h @ W2 + b2
    for t in (preact, h, logits):
        t.retain_grad()
    F.cross_entropy(logits, labels).backward()
    n = len(labels)  # the loss is a mean: scale back to one example
    print(f"{name:<11} | {logits.grad.norm(dim=1).mean() * n:10.3f} | "
          f"{h.grad.norm():7.4f} | {preact.grad.norm():10.4f} | "
          f"{W1.grad.norm():.4f}")


def stack(gain, depth, seed, width=100, batch=512):
    """Per tanh layer: preact std, share |h| > 0.99, mean tanh'(z)^2,
    std of dL/dh."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, 30, generator=g)
    hs, stats = [], []
    for fan in [30] + [width] * (depth - 1):
        w = torch.randn(fan, width, generator=g) * gain / math.sqrt(fan)
        preact = x @ w.requires_grad_()
        x = torch.tanh(preact)
        x.retain_grad()
        hs.append(x)
        stats.append([preact.std().item(),
                      (x.abs() > 0.99).float().mean().item(),
                      ((1 - x.detach() ** 2) ** 2).mean().item()])
    # output layer scaled down, as the lecture does, for a softmax near uniform
    w_out = torch.randn(width, VOCAB, generator=g) / math.sqrt(width) * 0.1
    y = torch.randint(0, VOCAB, (batch,), generator=g)
    F.cross_entropy(x @ w_out, y).backward()
    return [s + [h.grad.std().item()] for s, h in zip(stats, hs)]


print("\n2) tanh stack, 5 seeds: preact std and |h| > 0.99 in the first "
      "and last layer (seed 0);")
print("   growth = std of dL/dh at layer 1 / at the last layer, "
      "lowest to highest, and for seed 0 (drawn below)")
print(f"{'gain':>4} | {'depth':>5} | {'preact std':>12} | {'|h|>0.99':>15} "
      f"| {'growth':>14} | seed 0")
print("-" * 73)
GAINS = {"1": 1.0, "5/3": 5 / 3, "3": 3.0}
curves = {}
for label, gain in GAINS.items():
    for depth in (5, 20):
        runs = [stack(gain, depth, seed) for seed in range(5)]
        growth = [run[0][3] / run[-1][3] for run in runs]
        first, last = runs[0][0], runs[0][-1]
        spread = f"{min(growth):.3g} to {max(growth):.3g}"
        print(f"{label:>4} | {depth:>5} | {first[0]:5.2f} -> {last[0]:4.2f} "
              f"| {first[1]:5.1%} -> {last[1]:5.1%} "
              f"| {spread:>14} | {growth[0]:.3g}")
        curves[label] = runs[0]

# One layer back, dL/dh = W @ (tanh'(z) * dL/dh_next): with fan_in = fan_out
# and W independent of the rest, the std is multiplied by about
# gain * sqrt(mean of tanh'(z)^2), z that layer's pre-activations.
print("\n3) per layer back (20 layers, seed 0): measured growth^(1/19), and "
      "gain * sqrt(mean tanh'(z)^2),\n   geometric mean over layers 2-20")
print(f"{'gain':>4} | {'measured':>8} | predicted")
print("-" * 26)
for label, run in curves.items():
    measured = (run[0][3] / run[-1][3]) ** (1 / 19)
    logs = [math.log(GAINS[label] * math.sqrt(r[2])) for r in run[1:]]
    print(f"{label:>4} | {measured:8.3f} | {math.exp(sum(logs) / 19):.3f}")
xi = torch.randn(100_000, generator=torch.Generator().manual_seed(0))
mean_sq = (torch.tanh(xi) ** 2).mean().item()
print(f"z ~ N(0, 1): mean tanh(z)^2 = {mean_sq:.3f}; the gain that brings "
      f"it back to 1: {mean_sq ** -0.5:.2f}")

fig, (ax_s, ax_g) = plt.subplots(1, 2, figsize=(9, 3.6))
for label, run in curves.items():  # depth 20, seed 0
    layers = range(1, len(run) + 1)
    ax_s.plot(layers, [r[1] for r in run], "o-", ms=3, label=f"gain {label}")
    ax_g.plot(layers, [r[3] / run[-1][3] for r in run], "o-", ms=3,
              label=f"gain {label}")
ax_s.set_title("share of tanh outputs with |h| > 0.99", fontsize=10)
ax_s.set_ylim(0, 1)
ax_g.set_yscale("log")
ax_g.set_title("std of dL/dh, relative to the last layer", fontsize=10)
for ax in (ax_s, ax_g):
    ax.set_xlabel("tanh layer (20-layer stack, seed 0)")
    ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

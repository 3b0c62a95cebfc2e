# What gamma (scale) and beta (shift) do to a BN output, and what a tanh
# after it then sees. The input is one skewed, off-centre feature.
import matplotlib.pyplot as plt
import torch
import torch.nn as nn

torch.manual_seed(0)
x = (0.6 * torch.randn(4096, 1)).exp() * 3 + 2  # skewed, mean ~5.6
bn = nn.BatchNorm1d(1)  # training mode: normalises with batch stats
settings = [(1.0, 0.0), (0.3, 0.0), (3.0, 0.0), (1.0, 2.0)]

print(f"{'gamma':>5} | {'beta':>4} | {'out mean':>8} | {'out std':>7} "
      f"| {'|tanh|>0.99':>11} | {'tanh mean':>9}")
print("-" * 58)
outputs = []
for gamma, beta in settings:
    with torch.no_grad():
        bn.weight.fill_(gamma)
        bn.bias.fill_(beta)
        y = bn(x).flatten()
    h = torch.tanh(y)
    outputs.append(y)
    print(f"{gamma:5.1f} | {beta:4.1f} | {y.mean():8.3f} | "
          f"{y.std(correction=0):7.3f} | "
          f"{(h.abs() > 0.99).float().mean():11.1%} | {h.mean():9.3f}")

# The identity: gamma = sqrt(var + eps) and beta = mean undo step 3.
mu, var = x.mean(0), x.var(0, correction=0)
with torch.no_grad():
    bn.weight.copy_(torch.sqrt(var + bn.eps))
    bn.bias.copy_(mu)
    y = bn(x)
print(f"\nidentity: gamma = sqrt(var + eps) = {bn.weight.item():.4f}, "
      f"beta = mean = {bn.bias.item():.4f}")
print(f"max |BN(x) - x| = {(y - x).abs().max():.1e} "
      f"(x up to {x.max():.1f})")
# ...but only for the statistics they were set from. In training mode
# another batch brings its own mean and variance; in eval mode the
# statistics are fixed, so matching them gives the identity for any input.
x_new = (0.6 * torch.randn(64, 1)).exp() * 3 + 2
with torch.no_grad():
    y = bn(x_new)
    print(f"same gamma, beta, a new batch of 64, train mode: "
          f"max |BN(x) - x| = {(y - x_new).abs().max():.2f}")
    bn.running_mean.copy_(mu)
    bn.running_var.copy_(var)
    bn.eval()
    y = bn(x_new)
    print(f"  eval mode, running stats = those of x: "
          f"max |BN(x) - x| = {(y - x_new).abs().max():.1e}")
bn.train()

# ReLU after BN: a unit that is negative on every example of the batch
# is dead (output 0, gradient 0). BN re-centres it; beta sets how much of
# the batch then lands in ReLU's flat zero region.
dead = x - x.max() - 1
print(f"\nReLU(x - {x.max() + 1:.1f}), no BN: "
      f"{(torch.relu(dead) == 0).float().mean():.1%} of the batch at 0")
print(f"{'beta':>5} | {'ReLU(BN) at 0':>13}")
print("-" * 21)
for beta in (-3.0, -1.0, 0.0, 1.0):
    with torch.no_grad():
        bn.weight.fill_(1.0)
        bn.bias.fill_(beta)
        zeros = (torch.relu(bn(dead)) == 0).float().mean()
    print(f"{beta:5.1f} | {zeros:13.1%}")

fig, (ax0, ax1, ax2) = plt.subplots(1, 3, figsize=(9, 3.6))
ax0.hist(x.flatten(), bins=60, range=(0, 20), color="C6")
ax0.set_title("input x: skewed, off-centre", fontsize=10)
ax0.set_xlim(0, 20)
ax0.set_xlabel("x")
ax0.set_ylabel("count")
for i, ((gamma, beta), y) in enumerate(zip(settings, outputs)):
    label = f"γ={gamma:g}, β={beta:g}"
    ax1.hist(y, bins=80, range=(-6, 8), histtype="step",
             linewidth=1.6, color=f"C{i}", label=label)
    ax2.hist(torch.tanh(y), bins=50, range=(-1, 1), histtype="step",
             linewidth=1.6, color=f"C{i}", label=label)
ax1.set_title("y = γ·x̂ + β: γ spreads, β moves", fontsize=10)
ax1.set_xlabel("BN output y")
ax1.legend(fontsize=8)
ax2.set_title("tanh(y): linear, saturated, shifted", fontsize=10)
ax2.set_xlabel("tanh(y)")
ax2.legend(fontsize=8, loc="upper left")
for ax in (ax1, ax2):
    ax.set_yticks([])
fig.suptitle("BN fixes the shape's position and width; "
             "γ and β choose them again")
fig.tight_layout()
plt.show()

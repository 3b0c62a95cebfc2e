# Running statistics of one BN unit, for three PyTorch momentum values,
# against the statistics of the whole training set. PyTorch's update:
#   running = (1 - momentum) * running + momentum * batch_statistic
# so momentum is the weight of the NEW batch (default 0.1).
import matplotlib.pyplot as plt
import torch
import torch.nn as nn

torch.manual_seed(0)
data = torch.randn(20000, 1) * 1.5 + 2.0  # one pre-activation, N = 20k
full_mean, full_var = data.mean().item(), data.var().item()
STEPS, BATCH = 8000, 32
momenta = [0.001, 0.01, 0.1]  # lecture (batch 32), -, PyTorch default
batches = data[torch.randint(0, len(data), (STEPS, BATCH))]  # S, B, 1
batch_mean = batches.mean(dim=1).flatten().tolist()
batch_var = batches.var(dim=1).flatten().tolist()  # unbiased, like torch
batch_var_biased = batches.var(dim=1, correction=0).flatten().tolist()


def running(values, start, a):
    out, r = [], start
    for v in values:
        r = (1 - a) * r + a * v  # PyTorch's convention
        out.append(r)
    return out


means = {a: running(batch_mean, 0.0, a) for a in momenta}
variances = {a: running(batch_var, 1.0, a) for a in momenta}

# The same numbers from nn.BatchNorm1d itself, over the first 300 steps.
gap = 0.0
for a in momenta:
    bn = nn.BatchNorm1d(1, momentum=a)
    for step in range(300):
        bn(batches[step])  # training mode: updates the running buffers
        gap = max(gap, abs(bn.running_mean.item() - means[a][step]),
                  abs(bn.running_var.item() - variances[a][step]))
print(f"by hand vs nn.BatchNorm1d buffers, 300 steps: max diff {gap:.1e}")

# Keras (BatchNormalization, momentum=0.99) writes its update as
# new = momentum * old + (1 - momentum) * batch.
keras, r = [], 0.0
for v in batch_mean:
    r = 0.99 * r + (1 - 0.99) * v
    keras.append(r)
diff = max(abs(k - p) for k, p in zip(keras, means[0.01]))
print(f"Keras momentum=0.99 vs PyTorch momentum=0.01: max diff {diff:.1e}")

print(f"\nfull training set: mean {full_mean:.3f}, var {full_var:.3f}")
print("end: average over the last 2000 steps; wobble: their std")
print(f"{'momentum':>8} | {'1/momentum':>10} | {'mean':>6} | "
      f"{'wobble':>6} | {'var':>6} | {'wobble':>6}")
print("-" * 57)
for a in momenta:
    m = torch.tensor(means[a][-2000:])
    v = torch.tensor(variances[a][-2000:])
    print(f"{a:8g} | {1 / a:10g} | {m.mean():6.3f} | {m.std():6.3f} "
          f"| {v.mean():6.3f} | {v.std():6.3f}")

biased = torch.tensor(running(batch_var_biased, 1.0, 0.001)[-2000:])
print(f"\nmomentum 0.001 with the biased batch variance: "
      f"{biased.mean():.3f}")
print(f"  = (m-1)/m * full var = {(BATCH - 1) / BATCH * full_var:.3f}, "
      f"about {1 / BATCH:.1%} low")

steps = range(1, STEPS + 1)
fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(9, 3.8))
for i, a in enumerate(momenta):  # the noisiest drawn first, underneath
    kw = dict(color=f"C{i}", lw=1.2, zorder=3 - i, label=f"momentum={a:g}")
    ax0.plot(steps, means[a], **kw)
    ax1.plot(steps, variances[a], **kw)
ax0.axhline(full_mean, color="black", ls="--", lw=1, zorder=4)
ax1.axhline(full_var, color="black", ls="--", lw=1, zorder=4,
            label="full training set")
ax0.set_title("running_mean (starts at 0)", fontsize=10)
ax1.set_title("running_var (starts at 1)", fontsize=10)
for ax in (ax0, ax1):
    ax.set_xscale("log")
    ax.set_xlabel("training step (log scale), batch of 32")
ax0.set_ylabel("running estimate")
ax1.legend(fontsize=8, loc="lower right")
fig.suptitle("Small momentum: slow but smooth; large: fast but noisy")
fig.tight_layout()
plt.show()

# Does a residual connection keep the scale? A stream of 50 blocks,
# x <- x + f(x), with f(x) = W relu(x) and He init for W (so f alone
# keeps the second moment: E[f(x)^2] = E[x^2]). No normalisation
# unless the variant says so. Width 256, batch 256, 5 seeds.
import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

WIDTH, BATCH, DEPTH, SEEDS = 256, 256, 50, range(5)
SHOWN = (1, 10, 25, 50)


def branch(x, w):
    return F.relu(x) @ w


def layer_norm(x):
    return F.layer_norm(x, (WIDTH,))


VARIANTS = {  # name: one block, (x, w) -> new x
    "plain, no skip: f(x)": lambda x, w: branch(x, w),
    "x + f(x)": lambda x, w: x + branch(x, w),
    "x + f(x) / sqrt(L)": lambda x, w: x + branch(x, w) / math.sqrt(DEPTH),
    "x + 0 · f(x) (zero last layer)": lambda x, w: x + branch(x, 0 * w),
    "pre-norm: x + f(LN(x))": lambda x, w: x + branch(layer_norm(x), w),
    "post-norm: LN(x + f(x))": lambda x, w: layer_norm(x + branch(x, w)),
}


def stream_std(block, seed):
    torch.manual_seed(seed)
    x = torch.randn(BATCH, WIDTH)
    stds = []
    for _ in range(DEPTH):
        w = torch.randn(WIDTH, WIDTH) * math.sqrt(2 / WIDTH)  # He
        x = block(x, w)
        stds.append(x.std().item())
    return torch.tensor(stds)


print(f"std of the stream after block l (input std 1), mean over "
      f"{len(SEEDS)} seeds;")
print("last column: lowest and highest seed at block 50")
print(f"{'block':<30} | " + " | ".join(f"{f'l = {l}':>8}" for l in SHOWN)
      + " | range at l = 50")
print("-" * 91)
fig, ax = plt.subplots(figsize=(7.2, 4.2))
for i, (name, block) in enumerate(VARIANTS.items()):
    runs = torch.stack([stream_std(block, s) for s in SEEDS])
    mean = runs.mean(0)
    lo, hi = runs[:, -1].min().item(), runs[:, -1].max().item()
    print(f"{name:<30} | "
          + " | ".join(f"{mean[l - 1]:8.3g}" for l in SHOWN)
          + f" | {lo:.3g} to {hi:.3g}")
    ax.plot(range(1, DEPTH + 1), mean, color=f"C{i}", label=name,
            linestyle="--" if "norm" in name else "-")
print(f"predicted for x + f(x): sqrt(2)^l, at l = 50: {2 ** 25:.3g}")
print(f"predicted for x + f(x)/sqrt(L): sqrt((1 + 1/L)^l), at l = 50: "
      f"{math.sqrt((1 + 1 / DEPTH) ** DEPTH):.3g}")
print(f"predicted for pre-norm: sqrt(1 + l), at l = 50: "
      f"{math.sqrt(1 + DEPTH):.3g}")
ax.set_yscale("log")
ax.set_xlabel("block l")
ax.set_ylabel("std of the residual stream x")
ax.set_title("A skip connection adds variance at every block")
ax.legend(fontsize=8)
plt.show()

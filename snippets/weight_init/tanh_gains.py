# He's gain sqrt(2) in a tanh stack, next to LeCun's 1 and tanh's 5/3.
# The 10-layer tanh stack of the depth table (256 units, batch 512,
# weights randn * gain / sqrt(256)), over 5 seeds (seed 0 is the
# table's run). "pred" is the wide-layer prediction: z_l is Gaussian
# with variance gain^2 * E[h_{l-1}^2], and each layer multiplies the
# gradient's variance by gain^2 * E[tanh'(z_l)^2].
import math

import matplotlib.pyplot as plt
import torch

WIDTH, BATCH, DEPTH, SEEDS = 256, 512, 10, range(5)
GAINS = {"LeCun: 1": 1.0, "He: √2": math.sqrt(2), "tanh: 5/3": 5 / 3}
SAT = 0.97  # |h| above this counts as saturated


def run(gain, seed, depth=DEPTH):
    torch.manual_seed(seed)
    h = torch.randn(BATCH, WIDTH, requires_grad=True)
    outs = []
    for _ in range(depth):
        h = torch.tanh(h @ (torch.randn(WIDTH, WIDTH) * gain
                            / math.sqrt(WIDTH)))
        h.retain_grad()
        outs.append(h)
    h.backward(torch.randn(BATCH, WIDTH))
    return (torch.tensor([o.std().item() for o in outs]),
            torch.tensor([o.grad.std().item() for o in outs]),
            (outs[-1].abs() > SAT).float().mean().item())


def predict(gain, depth=DEPTH):
    xi = torch.randn(10**6, generator=torch.Generator().manual_seed(1))
    second_moment, stds, chis = 1.0, [], []  # input: unit variance
    for _ in range(depth):
        z = gain * math.sqrt(second_moment) * xi
        h = torch.tanh(z)
        second_moment = h.pow(2).mean().item()
        stds.append(math.sqrt(second_moment))
        chis.append(gain**2 * (1 - h**2).pow(2).mean().item())
    sat = (z.abs() > math.atanh(SAT)).float().mean().item()
    grad_l1 = math.sqrt(math.prod(chis[1:]))  # layers 2..10
    return stds, grad_l1, sat, math.sqrt(chis[-1])


print("std of h at layers 1, 2, 4, 10 (mean over 5 seeds), its prediction")
print("at layer 10, and the share of |h| > 0.97 at layer 10")
print(f"{'gain':<10} | {'L1':>5} {'L2':>5} {'L4':>5} {'L10':>5} | "
      f"{'pred':>5} | {'sat mean':>8} | {'seeds':>12} | pred")
print("-" * 76)
runs = {name: [run(g, s) for s in SEEDS] for name, g in GAINS.items()}
preds = {name: predict(g) for name, g in GAINS.items()}
for name, rs in runs.items():
    stds = torch.stack([r[0] for r in rs]).mean(0)
    sats = [r[2] for r in rs]
    p_stds, _, p_sat, _ = preds[name]
    print(f"{name:<10} | " + " ".join(f"{stds[l - 1]:5.3f}" for l in
                                      (1, 2, 4, 10))
          + f" | {p_stds[-1]:5.3f} | {sum(sats) / len(sats):8.1%} | "
          f"{min(sats):4.1%} to {max(sats):4.1%} | {p_sat:.1%}")
print()
print("std of the gradient at layer 1 (1 at layer 10), its prediction,")
print("and the predicted growth of the gradient's std per layer at L10")
print(f"{'gain':<10} | {'mean':>5} | {'seeds':>12} | {'pred':>5} | "
      f"per layer")
print("-" * 50)
for name, rs in runs.items():
    g1 = [r[1][0].item() for r in rs]
    _, p_g1, _, p_factor = preds[name]
    print(f"{name:<10} | {sum(g1) / len(g1):5.2f} | {min(g1):4.2f} to "
          f"{max(g1):4.2f} | {p_g1:5.2f} | x{p_factor:.3f}")

# Gain 1 has no level to settle at: for small z, tanh(z)^2 ~ z^2 - 2z^4/3,
# so E[h^2] shrinks like 1/(2l): the std falls like l^(-1/2), a power
# law, not geometrically.
print()
deep = [run(1.0, s, depth=50) for s in range(3)]
p_deep = predict(1.0, depth=50)[0]
print("gain 1, 50 layers, 3 seeds: std of h, its prediction, mean * sqrt(l)")
print(f"{'layer':>5} | {'min':>5} | {'max':>5} | {'pred':>5} | "
      f"mean * sqrt(l)")
print("-" * 47)
mean = {}
for layer in (10, 20, 50):
    stds = [r[0][layer - 1].item() for r in deep]
    mean[layer] = sum(stds) / len(stds)
    print(f"{layer:5d} | {min(stds):5.3f} | {max(stds):5.3f} | "
          f"{p_deep[layer - 1]:5.3f} | {mean[layer] * math.sqrt(layer):.2f}")
print(f"a geometric fall at the rate of layers 10-20 would give "
      f"{mean[20] * (mean[20] / mean[10]) ** 3:.3f} at layer 50")
g1 = [r[1][0].item() for r in deep]
print(f"gradient std at layer 1 (1 at layer 50): {min(g1):.2f} to "
      f"{max(g1):.2f}")

fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
layers = range(1, DEPTH + 1)
for i, (name, rs) in enumerate(runs.items()):
    for j in (0, 1):
        curves = torch.stack([r[j] for r in rs])
        axes[j].fill_between(layers, curves.amin(0), curves.amax(0),
                             color=f"C{i}", alpha=0.25, linewidth=0)
        axes[j].plot(layers, curves.mean(0), color=f"C{i}", label=name)
    axes[0].plot(layers, preds[name][0], color=f"C{i}", linestyle=":")
axes[0].set_ylabel("std of tanh output h")
axes[1].set_ylabel("std of dL/dh")
axes[1].set_yscale("log")
for ax in axes:
    ax.set_xlabel("layer")
    ax.set_xticks(list(layers))
axes[1].legend(*axes[0].get_legend_handles_labels(), loc="lower right",
               title="gain (dotted: prediction)", fontsize=9,
               title_fontsize=9)
axes[0].set_title("forward", fontsize=11)
axes[1].set_title("backward (1 at layer 10)", fontsize=11)
fig.suptitle("10-layer tanh stack: mean and range over 5 seeds")
fig.tight_layout()
plt.show()

# Which numbers each normalisation averages over. BatchNorm: each feature
# (or channel) over the batch. LayerNorm and GroupNorm: each example over
# its own features, so they need no batch and have no running statistics.
import matplotlib.pyplot as plt
import torch
import torch.nn as nn

torch.manual_seed(0)
x = torch.randn(8, 6) * torch.linspace(0.5, 5, 6) + 3  # (N, features)
example = x[:1]

print("features: a batch of 8 examples x 6 features")
ln = nn.LayerNorm(6)
by_hand = (x - x.mean(1, keepdim=True)) / torch.sqrt(
    x.var(1, correction=0, keepdim=True) + ln.eps)
print(f"LayerNorm vs per-example stats over features: max diff "
      f"{(ln(x) - by_hand).abs().max():.1e}")
out = ln(x)
print(f"  each example: mean {out.mean(1).abs().max():.1e} (max |.|), "
      f"std {out.std(1, correction=0).min():.4f} to "
      f"{out.std(1, correction=0).max():.4f}")
with torch.no_grad():
    alone = ln(example)
    in_batch = ln(x)[:1]
    ln.eval()
    eval_out = ln(x)[:1]
print(f"  example alone vs in its batch: max diff "
      f"{(alone - in_batch).abs().max():.1e}")
print(f"  train vs eval mode: max diff {(in_batch - eval_out).abs().max():.1e}")
print(f"  running statistics kept: {len(list(ln.buffers()))}")
bn = nn.BatchNorm1d(6)
try:
    bn(example)
except ValueError:
    print("BatchNorm1d, batch of one in training mode: ValueError")
print(f"BatchNorm1d running statistics kept: "
      f"{[name for name, _ in bn.named_buffers()]}")

print("\nimages: a batch of 4, 6 channels, 5 x 5 pixels")
img = torch.randn(4, 6, 5, 5) * torch.linspace(0.5, 5, 6)[:, None, None] + 3
bn2d = nn.BatchNorm2d(6)
mean = img.mean(dim=(0, 2, 3), keepdim=True)  # one per channel
var = img.var(dim=(0, 2, 3), correction=0, keepdim=True)
by_hand = (img - mean) / torch.sqrt(var + bn2d.eps)
print(f"BatchNorm2d vs per-channel stats over (N, H, W): max diff "
      f"{(bn2d(img) - by_hand).abs().max():.1e}; "
      f"{mean.numel()} means, each over {img[:, 0].numel()} numbers")
nn.BatchNorm2d(6)(img[:1])  # one image: still 25 numbers per channel
print("BatchNorm2d, one 5 x 5 image in training mode: works")
try:
    nn.BatchNorm2d(6)(img[:1, :, :1, :1])
except ValueError:
    print("BatchNorm2d, one 1 x 1 image in training mode: ValueError")
gn = nn.GroupNorm(2, 6)  # 2 groups of 3 channels
groups = img.reshape(4, 2, 3 * 5 * 5)  # (N, group, numbers in it)
mean = groups.mean(2, keepdim=True)
var = groups.var(2, correction=0, keepdim=True)
by_hand = ((groups - mean) / torch.sqrt(var + gn.eps)).reshape(img.shape)
print(f"GroupNorm(2 groups) vs per-example, per-group stats: max diff "
      f"{(gn(img) - by_hand).abs().max():.1e}; "
      f"{mean.numel()} means, each over {groups.shape[2]} numbers")
print(f"  one image alone vs in its batch: max diff "
      f"{(gn(img[:1]) - gn(img)[:1]).abs().max():.1e}")

# Which numbers share one mean and variance, for a batch of 8 examples
# with 6 features (GroupNorm: 2 groups of 3 features).
rows, cols = torch.meshgrid(torch.arange(8), torch.arange(6), indexing="ij")
groups = {"BatchNorm: per feature,\nover the batch": cols,
          "LayerNorm: per example,\nover its features": rows,
          "GroupNorm (2 groups): per example,\nover a group of features":
          rows * 2 + cols // 3}
fig, axes = plt.subplots(1, 3, figsize=(9, 3.6))
for ax, (title, g) in zip(axes, groups.items()):
    ax.imshow(g % 20, cmap="tab20", vmin=0, vmax=19)
    ax.grid(False)
    ax.set_title(title, fontsize=9)
    ax.set_xticks(range(6))
    ax.set_yticks(range(8))
    ax.set_xlabel("feature")
axes[0].set_ylabel("example in the batch")
fig.suptitle("One colour = one mean and one variance")
fig.tight_layout()
plt.show()

# Sigmoid beside tanh: curves and slopes, and what sigmoid's all-positive
# outputs do to the weight gradients of the layer that reads them.
import matplotlib.pyplot as plt
import torch

x = torch.linspace(-6, 6, 1201, requires_grad=True)
curves = {"tanh": torch.tanh(x), "sigmoid": torch.sigmoid(x)}
slopes = {}
for name, y in curves.items():
    (slope,) = torch.autograd.grad(y.sum(), x)
    slopes[name] = slope
    peak = slope.argmax()
    print(f"{name:>7}: value at x = 0: {y[600]:.3f}, "
          f"largest slope {slope[peak]:.4f} at x = {x[peak]:.2f}")
gap = (curves["tanh"] - (2 * torch.sigmoid(2 * x) - 1)).abs().max()
print(f"tanh(x) = 2 sigmoid(2x) - 1, largest gap: {gap:.1e}")

# A layer of 100 units reads 200 activations a = f(z), z ~ N(0, 1).
# dL/dW[i, j] = sum over examples of a[i] * delta[j]: with one example,
# every a[i] > 0 gives column j the sign of delta[j] in all its entries.
torch.manual_seed(0)
z = torch.randn(32, 200)
delta = torch.randn(32, 100)  # stand-in for dL/d(next pre-activation)
print(f"{'activation':>10} | {'mean a':>6} | one-sign columns, 1 example "
      f"| 32 examples")
print("-" * 65)
for name, f in (("tanh", torch.tanh), ("sigmoid", torch.sigmoid)):
    a = f(z)
    shares = []
    for rows in (slice(0, 1), slice(0, 32)):
        grad_w = a[rows].T @ delta[rows]  # (200, 100), one column per unit
        one_sign = (grad_w > 0).all(0) | (grad_w < 0).all(0)
        shares.append(one_sign.float().mean().item())
    print(f"{name:>10} | {a.mean():6.3f} | {shares[0]:26.0%} "
          f"| {shares[1]:11.0%}")

fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(9, 3.6))
for name, y in curves.items():
    ax_f.plot(x.detach(), y.detach(), label=name, linewidth=2)
    ax_d.plot(x.detach(), slopes[name], label=f"{name}'", linewidth=2)
ax_f.axhline(0, color="black", linewidth=0.8)
ax_f.set_title("tanh is centred on 0, sigmoid on 0.5")
ax_d.axhline(0.25, color="C1", linestyle=":", linewidth=1,
             label="1/4")
ax_d.set_title("tanh's slope peaks at 1, sigmoid's at 1/4")
ax_f.legend(loc="upper left", fontsize=8)
ax_d.legend(loc="center right", fontsize=8)
for ax in (ax_f, ax_d):
    ax.set_xlabel("pre-activation x")
fig.tight_layout()
plt.show()

# Gradient descent on the raw problem of conditioning.py (height in m,
# weight in kg, bias), just below and just above lr = 2/lam_max.
# We follow the error theta - theta* along the three eigenvectors of
# H = X^T X / m: steep (largest eigenvalue), middle and flat (smallest).
# Each step multiplies the component c_i along eigenvector i by
# 1 - lr*lam_i, and the excess loss splits exactly over the directions:
# L - L* = sum_i lam_i c_i^2 / 2.
import matplotlib.pyplot as plt
import numpy as np


def make_data(seed):
    rng = np.random.default_rng(seed)
    m = 200
    height = rng.normal(1.75, 0.08, m)
    weight = 72 + 55 * (height - 1.75) + rng.normal(0, 10, m)
    age = rng.uniform(20, 60, m)
    y = 10 * weight + 625 * height - 5 * age + 5 + rng.normal(0, 20, m)
    return np.column_stack([height, weight, np.ones(m)]), y


def descend(X, y, mult, steps):
    """GD from theta = 0 at lr = mult * 2/lam_max. Returns the eigenvalues
    (ascending), the minimum loss and, per step, the error's components
    along the eigenvectors and the loss."""
    H = X.T @ X / len(y)
    lams, V = np.linalg.eigh(H)
    theta_star = np.linalg.solve(H, X.T @ y / len(y))
    lr = mult * 2 / lams[-1]
    theta, comps, losses = np.zeros(3), [], []
    for _ in range(steps + 1):
        comps.append(V.T @ (theta - theta_star))
        losses.append(np.mean((X @ theta - y) ** 2) / 2)
        theta = theta - lr * X.T @ (X @ theta - y) / len(y)
    loss_star = np.mean((X @ theta_star - y) ** 2) / 2
    return lams, loss_star, np.array(comps), np.array(losses)


X, y = make_data(0)
STEPS = 40
runs = {mult: descend(X, y, mult, STEPS) for mult in (0.5, 0.95, 1.05)}
lams, loss_star = runs[0.5][:2]
print(f"eigenvalues: steep {lams[2]:.1f}, middle {lams[1]:.4f}, "
      f"flat {lams[0]:.2e}; 2/lam_max = {2 / lams[2]:.3e}")
print(f"minimum loss {loss_star:.1f}")
V = np.linalg.eigh(X.T @ X / len(y))[1]
print("directions, as (height, weight, bias) components:")
for i, name in ((2, "steep"), (1, "middle"), (0, "flat")):
    print(f"  {name:<6} (" + ", ".join(f"{v:6.3f}" for v in V[:, i]) + ")")

for mult in (0.95, 1.05):
    _, _, comps, losses = runs[mult]
    factors = 1 - mult * 2 / lams[2] * lams
    print(f"\nlr = {mult} x 2/lam_max: per step the steep component is "
          f"x {factors[2]:.2f},")
    print(f"the middle one x {factors[1]:.7f}, the flat one x "
          f"{factors[0]:.9f}")
    print(f"{'step':>4} | {'steep comp':>10} | {'middle comp':>11} "
          f"| {'flat comp':>9} | loss")
    print("-" * 56)
    for t in (0, 1, 2, 3, 4, 10, 20, 40):
        c = comps[t]
        print(f"{t:4d} | {c[2]:10.3f} | {c[1]:11.3f} | {c[0]:9.3f} "
              f"| {losses[t]:.4g}")

print("\nexcess loss L - L*, split over the directions (lam_i c_i^2 / 2):")
print(f"{'when':>25} | {'steep':>7} | {'middle':>7} | {'flat':>6} | total")
print("-" * 65)
for when, mult, t in (("start", 0.5, 0), (f"step {STEPS}, 0.5", 0.5, STEPS),
                      (f"step {STEPS}, 0.95", 0.95, STEPS)):
    part = lams * runs[mult][2][t] ** 2 / 2
    when += " x 2/lam_max" if t else ""
    print(f"{when:>25} | {part[2]:7.0f} | {part[1]:7.0f} "
          f"| {part[0]:6.0f} | {part.sum():.0f}")

# one data set is an anecdote: the same split for five data seeds
shares = []
for seed in range(5):
    lams_s, _, comps, _ = descend(*make_data(seed), 0.95, STEPS)
    part = lams_s * comps[-1] ** 2 / 2
    shares.append(part / part.sum())
shares = np.array(shares)
print(f"\nshare of the excess loss at step {STEPS}, lr = 0.95 x 2/lam_max,")
print("over data seeds 0-4 (min to max):")
for i, name in ((2, "steep"), (1, "middle"), (0, "flat")):
    print(f"  {name:<6} {shares[:, i].min():6.1%} to {shares[:, i].max():6.1%}")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 4))
for mult, colour in ((0.95, "C0"), (1.05, "C3")):
    _, _, comps, losses = runs[mult]
    ax1.plot(comps[:, 2], "o-", color=colour, markersize=3,
             label=f"lr = {mult} × 2/λ_max")
    ax2.plot(losses, "o-", color=colour, markersize=3,
             label=f"lr = {mult} × 2/λ_max")
ax2.plot(runs[0.5][3], "o-", color="C2", markersize=3,
         label="lr = 0.5 × 2/λ_max")
ax2.axhline(loss_star, color="black", linestyle="--", linewidth=1,
            label="minimum loss")
ax1.axhline(0, color="black", linewidth=0.8)
ax1.set_xlabel("step")
ax1.set_ylabel("error along the steepest direction")
ax1.set_title("Steep direction: a zigzag that\nshrinks or grows",
              fontsize=11)
ax1.legend(fontsize=9)
ax2.set_yscale("log")
ax2.set_xlabel("step")
ax2.set_ylabel("loss (log scale)")
ax2.set_title("Loss: divergence above 2/λ_max,\na plateau below it",
              fontsize=11)
ax2.legend(fontsize=9, loc="upper left")
fig.tight_layout()
plt.show()

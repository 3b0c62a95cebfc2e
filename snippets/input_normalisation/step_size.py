# Gradient descent on the raw problem of conditioning.py (height in m,
# weight in kg, bias), just below and just above lr = 2/lam_max.
# We follow the error theta - theta* along the steepest eigenvector of
# H = X^T X / m (largest eigenvalue) and along the flattest (smallest).
# Each step multiplies the component along eigenvector i by 1 - lr*lam_i.
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)
m = 200
height = rng.normal(1.75, 0.08, m)
weight = 72 + 55 * (height - 1.75) + rng.normal(0, 10, m)
age = rng.uniform(20, 60, m)
y = 10 * weight + 625 * height - 5 * age + 5 + rng.normal(0, 20, m)
X = np.column_stack([height, weight, np.ones(m)])

H = X.T @ X / m
lams, V = np.linalg.eigh(H)
steep, flat = V[:, -1], V[:, 0]
theta_star = np.linalg.solve(H, X.T @ y / m)
loss_star = np.mean((X @ theta_star - y) ** 2) / 2
lr_max = 2 / lams[-1]
print(f"lam_max {lams[-1]:.1f}, lam_min {lams[0]:.2e}, "
      f"2/lam_max = {lr_max:.3e}")
print(f"minimum loss {loss_star:.1f}")

STEPS = 40
runs = {}
for mult in (0.5, 0.95, 1.05):
    lr = mult * lr_max
    theta, hist = np.zeros(3), []
    for t in range(STEPS + 1):
        e = theta - theta_star
        loss = np.mean((X @ theta - y) ** 2) / 2
        hist.append((t, e @ steep, e @ flat, loss))
        theta = theta - lr * X.T @ (X @ theta - y) / m
    runs[mult] = np.array(hist)

for mult in (0.95, 1.05):
    lr = mult * lr_max
    print(f"\nlr = {mult} x 2/lam_max: per step the steep component is "
          f"x {1 - lr * lams[-1]:.2f},")
    print(f"the flat one x {1 - lr * lams[0]:.8f}")
    print(f"{'step':>4} | {'steep comp':>11} | {'flat comp':>11} | loss")
    print("-" * 46)
    for t, s, f, loss in runs[mult][[0, 1, 2, 3, 4, 10, 20, 40]]:
        print(f"{t:4.0f} | {s:11.3f} | {f:11.3f} | {loss:.4g}")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 4))
for mult, colour in ((0.95, "C0"), (1.05, "C3")):
    h = runs[mult]
    ax1.plot(h[:, 0], h[:, 1], "o-", color=colour, markersize=3,
             label=f"lr = {mult} × 2/λ_max")
    ax2.plot(h[:, 0], h[:, 3], "o-", color=colour, markersize=3,
             label=f"lr = {mult} × 2/λ_max")
h = runs[0.5]
ax2.plot(h[:, 0], h[:, 3], "o-", color="C2", markersize=3,
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

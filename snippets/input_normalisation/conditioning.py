# How the scale and offset of the inputs shape a least-squares problem.
# Data: 200 adults, height in metres and weight in kg, predicting
# resting energy use (kcal/day) with Mifflin-St Jeor-like coefficients;
# age is left out of the inputs, so it acts as noise.
# Model: y_hat = X @ theta, where X has a column of ones for the bias.
# Loss L = |X theta - y|^2 / (2m); its Hessian is H = X^T X / m.
import numpy as np

rng = np.random.default_rng(0)
m = 200
height = rng.normal(1.75, 0.08, m)
weight = 72 + 55 * (height - 1.75) + rng.normal(0, 10, m)
age = rng.uniform(20, 60, m)
y = 10 * weight + 625 * height - 5 * age + 5 + rng.normal(0, 20, m)

raw = np.column_stack([height, weight])
mu, sd = raw.mean(axis=0), raw.std(axis=0)
print(f"height: mean {mu[0]:.3f} m, std {sd[0]:.3f} m")
print(f"weight: mean {mu[1]:.1f} kg, std {sd[1]:.1f} kg")
print(f"correlation: {np.corrcoef(raw.T)[0, 1]:.3f}")
features = {
    "raw": raw,
    "centred only": raw - mu,
    "scaled only": raw / sd,
    "centred+scaled": (raw - mu) / sd,
}
TOL = 1e-6  # stop when the excess loss is a millionth of its start


def steps_to_tol(lams, c, lr):
    """First n with excess(n) <= TOL * excess(0), from the closed form
    excess(n) = sum_i lam_i c_i^2 (1 - lr lam_i)^(2n) / 2."""
    def ratio(n):
        return (lams * c**2 * (1 - lr * lams) ** (2 * n)).sum() / (
            lams * c**2).sum()
    hi = 1
    while ratio(hi) > TOL:
        hi *= 2
    lo = hi // 2
    while hi - lo > 1:  # the ratio only falls, so bisect
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if ratio(mid) > TOL else (lo, mid)
    return hi


rows, worst_gap = [], 0.0
for name, f in features.items():
    X = np.column_stack([f, np.ones(m)])
    H = X.T @ X / m
    lams, V = np.linalg.eigh(H)  # ascending eigenvalues
    theta_star = np.linalg.solve(H, X.T @ y / m)
    c = V.T @ (0 - theta_star)  # start at theta = 0, in eigen-coords
    lr = 2 / (lams[-1] + lams[0])  # best fixed step for a quadratic
    n = steps_to_tol(lams, c, lr)
    # check the closed form by running plain gradient descent
    theta, k = np.zeros(3), min(n, 20000)
    for _ in range(k):
        theta -= lr * X.T @ (X @ theta - y) / m
    e = theta - theta_star
    sim = e @ H @ e / 2
    formula = (lams * c**2 * (1 - lr * lams) ** (2 * k)).sum() / 2
    worst_gap = max(worst_gap, abs(sim - formula) / formula)
    rows.append((name, lams, lams[-1] / lams[0], 2 / lams[-1], lr, n))
    print(f"\n{name}: H = X^T X / m (columns: height, weight, bias)")
    H_shown = np.where(np.abs(H) < 1e-9, 0.0, H)  # no "-0." entries
    print(np.array2string(H_shown, precision=4, suppress_small=True))
    print("eigenvalues:", np.array2string(lams, precision=4))

print("\nGD at lr = 2/(lam_max + lam_min), from theta = 0, until the")
print(f"excess loss is below {TOL:g} of its starting value:")
print(f"{'inputs':<14} | {'lam_max':>9} | {'lam_min':>8} | {'kappa':>8} "
      f"| {'2/lam_max':>9} | steps")
print("-" * 70)
for name, lams, kappa, lr_max, lr, n in rows:
    print(f"{name:<14} | {lams[-1]:9.4g} | {lams[0]:8.2g} | {kappa:8.3g} "
          f"| {lr_max:9.3g} | {n}")
print(f"\nclosed form vs running GD (up to 20000 steps): largest "
      f"relative gap {worst_gap:.0e}")

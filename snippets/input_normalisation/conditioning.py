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
print(f"height: mean {mu[0]:.3f} m, std {sd[0]:.3f} m, "
      f"min {height.min():.2f} m")
print(f"weight: mean {mu[1]:.1f} kg, std {sd[1]:.1f} kg, "
      f"min {weight.min():.1f} kg")
print(f"correlation: {np.corrcoef(raw.T)[0, 1]:.3f}")
features = {
    "raw": raw,
    "centred only": raw - mu,
    "scaled only": raw / sd,
    "centred+scaled": (raw - mu) / sd,
}
TOL = 1e-6  # stop when the excess loss is a millionth of its start
# learning rates to try, as fractions 1 - 10^-k/4 of the limit 2/lam_max
FRACTIONS = 1 - 10.0 ** -np.arange(0.25, 8.01, 0.25)


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


rows, predictions, worst_gap = [], [], 0.0
for name, f in features.items():
    X = np.column_stack([f, np.ones(m)])
    H = X.T @ X / m
    lams, V = np.linalg.eigh(H)  # ascending eigenvalues
    theta_star = np.linalg.solve(H, X.T @ y / m)
    predictions.append(X @ theta_star)
    c = V.T @ (0 - theta_star)  # start at theta = 0, in eigen-coords
    share = lams * c**2 / (lams * c**2).sum()  # of the starting excess
    lr_wc = 2 / (lams[-1] + lams[0])  # best rate for the worst start
    n_wc = steps_to_tol(lams, c, lr_wc)
    n, lr = min((steps_to_tol(lams, c, a), a)
                for a in [lr_wc, *FRACTIONS * 2 / lams[-1]])
    # check the closed form by running plain gradient descent
    theta, k = np.zeros(3), min(n, 20000)
    for _ in range(k):
        theta -= lr * X.T @ (X @ theta - y) / m
    e = theta - theta_star
    sim = e @ H @ e / 2
    formula = (lams * c**2 * (1 - lr * lams) ** (2 * k)).sum() / 2
    worst_gap = max(worst_gap, abs(sim - formula) / formula)
    kappa = lams[-1] / lams[0]
    rows.append((name, lams, kappa, 2 / lams[-1], n_wc, lr * lams[-1] / 2,
                 n, share[0], kappa / 4 * np.log(share[0] / TOL)))
    print(f"\n{name}: H = X^T X / m (columns: height, weight, bias)")
    H_shown = np.where(np.abs(H) < 1e-9, 0.0, H)  # no "-0." entries
    print(np.array2string(H_shown, precision=4, suppress_small=True))
    print("eigenvalues:", np.array2string(lams, precision=4))
    if name == "raw":
        print("at theta = 0, gradient:",
              np.array2string(-X.T @ y / m, precision=0))
        print("minimum theta*:        ",
              np.array2string(theta_star, precision=2))

print(f"\n{'inputs':<14} | {'lam_max':>9} | {'lam_min':>8} | {'kappa':>8} "
      f"| 2/lam_max")
print("-" * 58)
for name, lams, kappa, limit, *_ in rows:
    print(f"{name:<14} | {lams[-1]:9.4g} | {lams[0]:8.2g} | {kappa:8.3g} "
          f"| {limit:.3g}")

print(f"\nGD steps from theta = 0 until the excess loss is below {TOL:g} of")
print("its start, at lr = 2/(lam_max + lam_min) and at the best lr among that")
print("one and (1 - 10^-k/4) x 2/lam_max for k = 1..32. p_flat is the")
print("flattest direction's share of the starting excess loss.")
print(f"{'inputs':<14} | {'2/(max+min)':>11} | {'best lr/limit':>13} "
      f"| {'steps':>7} | {'p_flat':>7} | kappa/4 ln(p_flat/{TOL:g})")
print("-" * 86)
for name, _, _, _, n_wc, frac, n, p_flat, estimate in rows:
    print(f"{name:<14} | {n_wc:>11} | {'1 - ' + format(1 - frac, '.1e'):>13} "
          f"| {n:>7} | {p_flat:7.1e} | {estimate:.0f}")
print(f"\nclosed form vs running GD (first 20000 steps at the best lr): "
      f"largest relative gap {worst_gap:.0e}")
spread = np.ptp(predictions, axis=0).max()
print(f"the four minima predict the same: largest difference {spread:.0e} "
      "kcal/day")

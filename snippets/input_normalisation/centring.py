# Why scaling is not enough when the model has a bias: one feature with
# std 1 and mean mu, plus a column of ones. Then
#   H = X^T X / m = [[1 + mu^2, mu], [mu, 1]],
# whose trace is 2 + mu^2 and determinant 1, so lam_min = 1 / lam_max,
# kappa = lam_max^2 with lam_max = (2 + mu^2 + sqrt(mu^2 (mu^2 + 4))) / 2,
# which is about (2 + mu^2)^2 once mu is a few units.
import numpy as np

rng = np.random.default_rng(0)
z = rng.normal(0, 1, 1000)
z = (z - z.mean()) / z.std()  # exactly mean 0, std 1

print(f"{'mean mu':>7} | {'kappa (eigh)':>12} | {'lam_max^2':>9} "
      f"| {'(2 + mu^2)^2':>12} | lr limit 2/lam_max")
print("-" * 74)
for mu in (0.0, 1.0, 3.0, 10.0, 22.7):
    X = np.column_stack([z + mu, np.ones_like(z)])
    lams = np.linalg.eigvalsh(X.T @ X / len(z))
    lam_max = (2 + mu**2 + np.sqrt(mu**2 * (mu**2 + 4))) / 2
    print(f"{mu:7.1f} | {lams[-1] / lams[0]:12.4g} | {lam_max**2:9.4g} "
          f"| {(2 + mu**2)**2:12.4g}"
          f" | {2 / lams[-1]:.3g}")

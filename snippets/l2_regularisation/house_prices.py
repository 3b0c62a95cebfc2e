# The house-price intuition, with ridge regression (a linear model with
# the L2 penalty, solved exactly). Houses have 3 standardised features:
# floor area, bedrooms (almost a copy of area, correlation 0.95) and
# neighbourhood quality (independent). True price, in $1000s:
#   300 + 40 * area + 10 * bedrooms + 30 * neighbourhood + noise.
# We draw 500 training sets of 25 houses and fit each one, to see how
# much the fitted weights depend on which 25 houses we happened to get,
# and test each fit on usual houses (drawn like the training ones) and on
# unusual ones, whose bedrooms are independent of their area.
# Loss: |Xw - y|^2 / (2m) + (lam/2) |w|^2 on centred data (the intercept
# is not penalised), so w = (X^T X/m + lam I)^-1 X^T y/m.
import numpy as np

rng = np.random.default_rng(0)
TRUE_W = np.array([40.0, 10.0, 30.0])


def houses(n, corr=0.95):
    area = rng.normal(0, 1, n)
    bedrooms = corr * area + np.sqrt(1 - corr**2) * rng.normal(0, 1, n)
    hood = rng.normal(0, 1, n)
    X = np.column_stack([area, bedrooms, hood])
    return X, 300 + X @ TRUE_W + rng.normal(0, 25, n)


tests = {"usual": houses(5000), "unusual": houses(5000, corr=0.0)}
LAMS = (0, 0.03, 0.1, 0.3, 1, 3)
weights = {lam: [] for lam in LAMS}
rmse = {(lam, name): [] for lam in LAMS for name in tests}
for _ in range(500):
    X, y = houses(25)
    mx, my = X.mean(axis=0), y.mean()
    Xc, yc = X - mx, y - my
    for lam in LAMS:
        A = Xc.T @ Xc / len(y) + lam * np.eye(3)
        w = np.linalg.solve(A, Xc.T @ yc / len(y))
        weights[lam].append(w)
        for name, (X_test, y_test) in tests.items():
            pred = (X_test - mx) @ w + my
            rmse[lam, name].append(np.sqrt(np.mean((pred - y_test) ** 2)))

print("fitted weights over 500 training sets: mean +- std; mean norm of w;")
print("test RMSE on usual houses and on unusual ones (area, bedrooms unrelated)")
print(f"{'lam':>4} | {'area':>11} | {'bedrooms':>11} | "
      f"{'neighbourhd':>11} | {'norm':>4} | usual | unusual")
print("-" * 76)
for lam in LAMS:
    W = np.array(weights[lam])
    cells = " | ".join(f"{mu:5.1f} +-{sd:4.1f}"
                       for mu, sd in zip(W.mean(axis=0), W.std(axis=0)))
    norm = np.linalg.norm(W, axis=1).mean()
    print(f"{lam:4g} | {cells} | {norm:4.1f} | "
          f"{np.mean(rmse[lam, 'usual']):5.1f} | "
          f"{np.mean(rmse[lam, 'unusual']):.1f}")
print("true | " + " | ".join(f"{w:5.1f}      " for w in TRUE_W)
      + f" | {np.linalg.norm(TRUE_W):4.1f} |")
W = np.array(weights[0])
print(f"lam = 0: area and bedrooms weights correlate at "
      f"{np.corrcoef(W[:, 0], W[:, 1])[0, 1]:.2f} across training sets")
print(f"lam = 0: the bedrooms weight is negative in "
      f"{np.mean(W[:, 1] < 0):.0%} of the training sets")

# Why: the features' covariance has eigenvalues d along three directions;
# ridge keeps the fraction d / (d + lam) of the unpenalised fit along each.
d = np.linalg.eigvalsh([[1, 0.95, 0], [0.95, 1, 0], [0, 0, 1]])  # ascending
print("\neigen-directions of the features' covariance, and d / (d + lam)")
print(f"{'direction':<16} | {'d':>4} | "
      + " | ".join(f"{'lam ' + format(lam, 'g'):>8}" for lam in LAMS[1:]))
print("-" * 71)
for name, di in zip(("area - bedrooms", "neighbourhood", "area + bedrooms"), d):
    print(f"{name:<16} | {di:4.2f} | "
          + " | ".join(f"{di / (di + lam):8.2f}" for lam in LAMS[1:]))

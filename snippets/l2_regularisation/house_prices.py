# The house-price intuition, with ridge regression (a linear model with
# the L2 penalty, solved exactly). Houses have 3 standardised features:
# floor area, bedrooms (almost a copy of area, correlation 0.95) and
# neighbourhood quality (independent). True price, in $1000s:
#   300 + 40 * area + 10 * bedrooms + 30 * neighbourhood + noise.
# We draw 500 training sets of 25 houses and fit each one, to see how
# much the fitted weights depend on which 25 houses we happened to get.
# Loss: |Xw - y|^2 / (2m) + (lam/2) |w|^2 on centred data (the intercept
# is not penalised), so w = (X^T X/m + lam I)^-1 X^T y/m.
import numpy as np

rng = np.random.default_rng(0)
TRUE_W = np.array([40.0, 10.0, 30.0])


def houses(n):
    area = rng.normal(0, 1, n)
    bedrooms = 0.95 * area + np.sqrt(1 - 0.95**2) * rng.normal(0, 1, n)
    hood = rng.normal(0, 1, n)
    X = np.column_stack([area, bedrooms, hood])
    return X, 300 + X @ TRUE_W + rng.normal(0, 25, n)


X_test, y_test = houses(5000)
LAMS = (0, 0.03, 0.1, 0.3, 1, 3)
weights = {lam: [] for lam in LAMS}
rmse = {lam: [] for lam in LAMS}
for _ in range(500):
    X, y = houses(25)
    mx, my = X.mean(axis=0), y.mean()
    Xc, yc = X - mx, y - my
    for lam in LAMS:
        A = Xc.T @ Xc / len(y) + lam * np.eye(3)
        w = np.linalg.solve(A, Xc.T @ yc / len(y))
        pred = (X_test - mx) @ w + my
        weights[lam].append(w)
        rmse[lam].append(np.sqrt(np.mean((pred - y_test) ** 2)))

print("fitted weights over 500 training sets: mean +- std")
print(f"{'lam':>4} | {'area':>11} | {'bedrooms':>11} | "
      f"{'neighbourhd':>11} | test RMSE")
print("-" * 60)
for lam in LAMS:
    W = np.array(weights[lam])
    cells = " | ".join(f"{mu:5.1f} +-{sd:4.1f}"
                       for mu, sd in zip(W.mean(axis=0), W.std(axis=0)))
    print(f"{lam:4g} | {cells} | {np.mean(rmse[lam]):.1f}")
print("true | " + " | ".join(f"{w:5.1f}      " for w in TRUE_W) + " |")
W = np.array(weights[0])
print(f"lam = 0: area and bedrooms weights correlate at "
      f"{np.corrcoef(W[:, 0], W[:, 1])[0, 1]:.2f} across training sets")
print(f"lam = 0: the bedrooms weight is negative in "
      f"{np.mean(W[:, 1] < 0):.0%} of the training sets")

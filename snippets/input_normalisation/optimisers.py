# What else fixes a badly conditioned bowl? On the raw problem of
# conditioning.py (height in m, weight in kg, bias), count the steps from
# theta = 0 until the loss is within 1% of its minimum L*, for:
#   GD; GD with heavy-ball momentum; RMSprop (Adam without its momentum,
#   beta1 = 0); Adam; Newton's method (GD with the gradient multiplied by
#   H^-1); and plain GD after standardising the inputs.
# Every method gets the same grid of learning rates (momentum also a grid
# of betas) and keeps the setting that gets there first. Repeated on five
# data sets (seeds 0-4), each tuned on its own. GD needs millions of steps,
# so its count comes from the closed form of the chapter (the error along
# eigenvector i is multiplied by 1 - lr*lam_i per step); the other
# methods are run step by step.
import matplotlib.pyplot as plt
import numpy as np

LRS = 10.0 ** np.arange(-6, 3.01, 0.25)
BETAS = (0.9, 0.99, 0.999, 0.9999)
TARGET = 0.01  # stop when (L - L*) / L* <= TARGET
MAX_STEPS = 100_000


def make_data(seed):
    rng = np.random.default_rng(seed)
    m = 200
    height = rng.normal(1.75, 0.08, m)
    weight = 72 + 55 * (height - 1.75) + rng.normal(0, 10, m)
    age = rng.uniform(20, 60, m)
    y = 10 * weight + 625 * height - 5 * age + 5 + rng.normal(0, 20, m)
    return np.column_stack([height, weight]), y


def quadratic(features, y):
    """H, b, theta* and L* of the loss |X theta - y|^2 / 2m, X = [f, 1]."""
    X = np.column_stack([features, np.ones(len(y))])
    H, b = X.T @ X / len(y), X.T @ y / len(y)
    theta_star = np.linalg.solve(H, b)
    return H, b, theta_star, np.mean((X @ theta_star - y) ** 2) / 2


def gd_excess(H, theta_star, loss_star, lr, n):
    """(L - L*) / L* after n steps of GD from theta = 0 (closed form)."""
    lams, V = np.linalg.eigh(H)
    c = V.T @ -theta_star
    n = np.asarray(n)[..., None]
    return (lams * c**2 * (1 - lr * lams) ** (2 * n)).sum(-1) / 2 / loss_star


def gd_race(H, b, theta_star, loss_star, lrs=LRS):
    """Like race below, for plain GD, with the steps counted in closed form
    (and the curve given at 2000 log-spaced steps)."""
    best = (np.inf, None)
    for lr in lrs:
        if lr * np.linalg.eigvalsh(H)[-1] >= 2:
            continue  # diverges
        hi = 1
        while gd_excess(H, theta_star, loss_star, lr, hi) > TARGET:
            hi *= 2
        lo = hi // 2
        while hi - lo > 1:  # the excess only falls, so bisect
            mid = (lo + hi) // 2
            ok = gd_excess(H, theta_star, loss_star, lr, mid) <= TARGET
            lo, hi = (lo, mid) if ok else (mid, hi)
        best = min(best, (hi, lr))
    n, lr = best
    steps = np.unique(np.geomspace(1, n, 2000).astype(int))  # for the plot
    return n, (lr, 0.0), (steps, gd_excess(H, theta_star, loss_star, lr, steps))


def momentum(g, lr, beta, state, t, H):  # v <- beta v + g (as torch SGD)
    state["v"] = beta * state.get("v", 0) + g
    return lr * state["v"]


def adam(g, lr, beta, state, t, H, b1=0.9, b2=0.999, eps=1e-8):
    state["m"] = b1 * state.get("m", 0) + (1 - b1) * g
    state["s"] = b2 * state.get("s", 0) + (1 - b2) * g * g
    m_hat, s_hat = state["m"] / (1 - b1**t), state["s"] / (1 - b2**t)
    return lr * m_hat / (np.sqrt(s_hat) + eps)


def rmsprop(g, lr, beta, state, t, H):
    return adam(g, lr, beta, state, t, H, b1=0.0)


def newton(g, lr, beta, state, t, H):
    return lr * np.linalg.solve(H, g.T).T


def race(H, b, theta_star, loss_star, update, betas=(0.0,)):
    """Run every (lr, beta) setting at once, step by step; stop when the
    first one reaches the target. Returns its steps, its setting and its
    (L - L*) / L* after steps 1, 2, ..."""
    lr, beta = (a.ravel()[:, None] for a in np.meshgrid(LRS, betas))
    theta, state = np.zeros((len(lr), 3)), {}
    history = []
    with np.errstate(all="ignore"):  # settings that diverge overflow
        for t in range(1, MAX_STEPS + 1):
            g = theta @ H - b  # the gradient, H (theta - theta*)
            theta = theta - update(g, lr, beta, state, t, H)
            e = theta - theta_star
            history.append((e @ H * e).sum(axis=1) / 2 / loss_star)
            if (history[-1] <= TARGET).any():
                k = np.nanargmin(history[-1])
                curve = np.array(history)[:, k]
                return t, (lr[k, 0], beta[k, 0]), (np.arange(1, t + 1), curve)
    raise RuntimeError("no setting reached the target")


def standardise(f):
    return (f - f.mean(axis=0)) / f.std(axis=0)


methods = {  # name: (inputs, how to run it)
    "GD": ("raw", gd_race),
    "GD + momentum": ("raw", lambda *q: race(*q, momentum, BETAS)),
    "RMSprop": ("raw", lambda *q: race(*q, rmsprop)),
    "Adam": ("raw", lambda *q: race(*q, adam)),
    "Newton": ("raw", lambda *q: race(*q, newton)),
    "GD, standardised": ("std", gd_race),
}
theta_star = quadratic(*make_data(0))[2]
print("seed 0: theta* = (height, weight, bias) =",
      np.array2string(theta_star, precision=2))
kappas, polyak = [], []
for seed in range(5):
    H = quadratic(*make_data(seed))[0]
    d = np.sqrt(np.diag(H))  # rescale every coordinate to unit curvature
    lams = np.linalg.eigvalsh(H / np.outer(d, d))
    kappas.append(lams[-1] / lams[0])
    root = np.sqrt(np.linalg.eigvalsh(H)[[-1, 0]])  # sqrt lam_max, lam_min
    polyak.append(((root[0] - root[1]) / (root[0] + root[1])) ** 2)
print("kappa after rescaling each coordinate to unit curvature (H_ii = 1):")
print(f"seed 0 {kappas[0]:.0f}, seeds 0-4 {min(kappas):.0f} to "
      f"{max(kappas):.0f}")
# van der Sluis (1969): for a 3 x 3 H no diagonal rescaling beats this
# kappa by more than a factor of 3
print("(no diagonal rescaling does better than a third of that)\n")
print(f"learning rates: 10^k for k = -6, -5.75, ..., 3 ({len(LRS)} values)")
print(f"momentum betas: {BETAS}")
print(f"\nsteps until L <= {1 + TARGET} L*, at the best setting of the grid")
print(f"{'method':<16} | {'seed 0 winner':>25} | {'seed 0':>7} "
      f"| seeds 0-4 (min to max)")
print("-" * 79)
curves, betas = {}, []
for name, (inputs, run) in methods.items():
    steps = []
    for seed in range(5):
        raw, y = make_data(seed)
        n, (lr, beta), history = run(*quadratic(
            raw if inputs == "raw" else standardise(raw), y))
        steps.append(n)
        if name == "GD + momentum":
            betas.append(beta)
        if seed == 0:
            curves[name] = history
            shown = f"lr {lr:.3g}" + (f", beta {beta}" if beta else "")
    if name == "GD":
        coarse = steps
    print(f"{name:<16} | {shown:>25} | {steps[0]:7d} "
          f"| {min(steps):>7d} to {max(steps)}")
fine = []  # GD on conditioning.py's grid: (1 - 10^-k/4) x 2/lam_max
for seed in range(5):
    q = quadratic(*make_data(seed))
    limit = 2 / np.linalg.eigvalsh(q[0])[-1]
    fractions = 1 - 10.0 ** -np.arange(0.25, 8.01, 0.25)
    fine.append(gd_race(*q, fractions * limit)[0])
ratio = np.divide(fine, coarse)
print(f"GD, finer grid up to 1e-8 below 2/lam_max: {min(fine)} to {max(fine)}"
      f" steps,\n{ratio.min():.2f} to {ratio.max():.2f} times the grid's count")
print("\nmomentum's winning beta, seeds 0-4:", ", ".join(map(str, betas)))
print("Polyak's optimal beta ((sqrt k - 1) / (sqrt k + 1))^2, k = lam_max /"
      f" lam_min: {min(polyak):.4f} to {max(polyak):.4f}")

fig, ax = plt.subplots(figsize=(9, 4.2))
for i, (name, (steps, history)) in enumerate(curves.items()):
    n = steps[-1]
    thin = name == "GD + momentum"  # it zigzags thousands of times
    ax.plot(steps, history, color=f"C{i}",
            linewidth=0.5 if thin else 1.3, zorder=1 if thin else 2,
            label=f"{name}: {n} step{'s' if n > 1 else ''}")
    ax.plot(n, TARGET, "o", color=f"C{i}", zorder=3)  # where it got there
ax.axhline(TARGET, color="black", linestyle="--", linewidth=1,
           label=f"target: L = {1 + TARGET} L*")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_ylim(1e-3, 2e3)
ax.set_xlabel("step (log scale)")
ax.set_ylabel("(L − L*) / L*  (log scale)")
ax.set_title("Seed 0, each method at its best setting of the grid",
             fontsize=11)
ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.02, 1))
fig.tight_layout()
plt.show()

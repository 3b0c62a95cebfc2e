# One feature and a bias, for the page's explorable: resting energy use
# predicted from height alone, y_hat = w x + b, with the feature
# x = (height - offset) / divisor. Same data as conditioning.py; weight and
# age are left out of the inputs, so they act as noise. With two parameters
# nothing needs freezing: the whole loss surface fits in one picture.
# For every offset, divisor and learning rate the explorable offers, this
# computes H = X^T X / m, kappa, 50 steps of gradient descent from
# (w, b) = (0, 0), and the steps until the excess loss is below 1e-6 of its
# start (the closed form of conditioning.py).
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)
m = 200
height = rng.normal(1.75, 0.08, m)
weight = 72 + 55 * (height - 1.75) + rng.normal(0, 10, m)
age = rng.uniform(20, 60, m)
y = 10 * weight + 625 * height - 5 * age + 5 + rng.normal(0, 20, m)
mean, std = height.mean(), height.std()

offsets = [0.0, 1.0, 1.5, 1.7, mean]  # metres subtracted from height
in_metres = ["0 m", "1 m", "1.5 m", "1.7 m", f"{mean:.3f} m"]
divisors = [0.01, std, 1.0]  # metres per unit of the feature
divisor_metres = ["0.01 m", f"{std:.3f} m", "1 m"]
fractions = [0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.05]  # x 2/lam_max
STEPS, TOL = 50, 1e-6
# The charts divide w and b by |theta*|, the distance from the start to the
# minimum: one window then fits every setting, and dividing both axes by
# the same number keeps shapes and angles true. Its width over its height
# is the plot area's, 260 by 158 pixels, so the scales are equal on screen.
XRANGE = [-1.3, 1.3]  # bias / |theta*|
YRANGE = [-0.3, round(-0.3 + 2.6 * 158 / 260, 3)]  # weight / |theta*|
NX, NY = 60, 36  # the heatmap's cells
N_CURVE = np.unique(np.round(np.logspace(0, 8, 81)))  # steps, log-spaced


def steps_to_tol(lams, c, lr):
    """First n with excess(n) <= TOL * excess(0); None if GD diverges."""
    if np.abs(1 - lr * lams).max() >= 1:
        return None

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


def sig(v, digits=4):
    return float(f"{v:.{digits}g}")


def study(offset, divisor):
    """The problem on the feature (height - offset) / divisor."""
    x = (height - offset) / divisor
    X = np.column_stack([x, np.ones(m)])  # columns: w, b
    H = X.T @ X / m
    lams, V = np.linalg.eigh(H)  # ascending
    theta_star = np.linalg.solve(H, X.T @ y / m)
    c = V.T @ (0 - theta_star)  # the start's error, in eigen-coordinates
    D = np.linalg.norm(theta_star)

    def ratio(t):  # excess loss at t (normalised by D) over the start's
        d = t - theta_star / D
        return np.einsum("...i,ij,...j->...", d, H, d) / (
            theta_star @ H @ theta_star / D**2)

    runs = []
    for f in fractions:
        lr = f * 2 / lams[-1]
        theta, path = np.zeros(2), [np.zeros(2)]
        for _ in range(STEPS):
            theta = theta - lr * X.T @ (X @ theta - y) / m
            path.append(theta)
        path = np.array(path)
        with np.errstate(over="ignore"):
            curve = (lams * c**2 * (1 - lr * lams)[None] ** (2 * N_CURVE[:, None])
                     ).sum(axis=1) / (lams * c**2).sum()
        runs.append(dict(lr=lr, path=path / D, curve=curve,
                         left=np.linalg.norm(path[-1] - theta_star) / D,
                         steps=steps_to_tol(lams, c, lr)))
    return dict(H=H, lams=lams, kappa=lams[-1] / lams[0],
                theta_star=theta_star, D=D, ratio=ratio, runs=runs,
                mu=(mean - offset) / std)


problems = {(i, j): study(o, d) for i, o in enumerate(offsets)
            for j, d in enumerate(divisors)}


def steps_text(n):
    return "never: it diverges" if n is None else f"{n:,}"


def left_text(d):
    return f"{d:.1%} of |θ*|" if d < 10 else f"{d:.0f} times |θ*|"


print(f"height: mean {mean:.3f} m, std {std:.3f} m")
print(f"\n{'subtract':>8} | {'divide by':>9} | {'mean/std':>8} | {'kappa':>8} "
      f"| {'2/lam_max':>9} | {'w*':>8} | {'b*':>7}")
print("-" * 78)
for (i, j), p in problems.items():
    w_star, b_star = p["theta_star"]
    print(f"{offsets[i]:8.3f} | {divisors[j]:9.3f} | {p['mu']:8.3g} "
          f"| {p['kappa']:8.3g} | {2 / p['lams'][-1]:9.3g} | {w_star:8.4g} "
          f"| {b_star:7.4g}")

# The best unit for the uncentred height: with nothing subtracted, only the
# divisor is free, and kappa is least when it gives both diagonal entries
# of H the value 1, i.e. when it is height's root mean square (a 2 x 2
# matrix is best scaled to unit diagonal). A scan over units checks it.
rms = np.sqrt(np.mean(height**2))


def kappa_raw(divisor):
    """kappa for the feature height / divisor, nothing subtracted."""
    X = np.column_stack([height / divisor, np.ones(m)])
    lams = np.linalg.eigvalsh(X.T @ X / m)
    return lams[-1] / lams[0]


scan = np.logspace(-3, 2, 2001)  # divisors from 1 mm to 100 m
best = min(kappa_raw(d) for d in scan)
print(f"\nbest unit for height, nothing subtracted: its root mean square, "
      f"{rms:.3f} m: kappa {kappa_raw(rms):.3g}; least kappa over "
      f"{len(scan):,} units from 1 mm to 100 m: {best:.3g}")

print(f"\nGD steps from (w, b) = (0, 0) until the excess loss is below {TOL:g}"
      " of its start,\nat lr = fraction x 2/lam_max (- : diverges)")
print(f"{'subtract':>8} | {'divide by':>9} | "
      + " | ".join(f"{f:>8}" for f in fractions))
print("-" * 100)
for (i, j), p in problems.items():
    print(f"{offsets[i]:8.3f} | {divisors[j]:9.3f} | " + " | ".join(
        f"{'-' if r['steps'] is None else format(r['steps'], '.3g'):>8}"
        for r in p["runs"]))

# What the explorable shows for each setting, as text; printed here for the
# default setting (the raw feature: height in metres, lr 0.5 x 2/lam_max).
readouts = {
    "feature": "the feature x",
    "mu": "mean of x, in standard deviations of x",
    "kappa": "condition number κ",
    "limit": "stability limit 2/λ_max",
    "lr": "learning rate η",
    "minimum": "minimum (w*, b*)",
    "left": f"distance to the minimum after {STEPS} steps",
    "steps": f"steps until the excess loss is below {TOL:g} of its start",
}
texts = {}
for (i, j), p in problems.items():
    for k, r in enumerate(p["runs"]):
        w_star, b_star = p["theta_star"]
        texts[i, j, k] = {
            "feature": f"(height − {in_metres[i]}) / {divisor_metres[j]}",
            "mu": f"{p['mu']:.3g}",
            "kappa": f"{p['kappa']:.3g}",
            "limit": f"{2 / p['lams'][-1]:.3g}",
            "lr": f"{r['lr']:.3g}",
            "minimum": f"({w_star:.4g}, {b_star:.4g})",
            "left": left_text(r["left"]),
            "steps": steps_text(r["steps"]),
        }
DEFAULT = (0, divisors.index(1.0), fractions.index(0.5))
print("\nheight in metres, nothing subtracted, lr = 0.5 x 2/lam_max:")
for k, label in readouts.items():
    print(f"{label}: {texts[DEFAULT][k]}")


# What the page's explorable looks up: every value it can show.
def bands(p):
    """The heatmap: log10 of the excess loss over the start's, floored to
    whole decades, row 0 the lowest. Each cell shows the lowest value of a
    4 x 4 grid of points inside it, so that a valley thinner than a cell
    still shows as a continuous band."""
    sub = (np.arange(4) + 0.5) / 4
    cx = XRANGE[0] + (np.arange(NX)[:, None] + sub).ravel() * (
        XRANGE[1] - XRANGE[0]) / NX
    cy = YRANGE[0] + (np.arange(NY)[:, None] + sub).ravel() * (
        YRANGE[1] - YRANGE[0]) / NY
    points = np.stack(np.meshgrid(cx, cy), axis=-1)[..., ::-1]  # (w, b)
    lowest = p["ratio"](points).reshape(NY, 4, NX, 4).min(axis=(1, 3))
    z = np.floor(np.log10(np.maximum(lowest, 1e-30)))
    return np.clip(z, -6, 1).astype(int).tolist()


def shown_path(path):
    """The path as (bias, weight) pairs, cut after it leaves the window
    far behind (a diverging run)."""
    out = []
    for w, b in path:
        out.append([sig(b), sig(w)])
        if abs(w) > 10 or abs(b) > 10:
            break
    return out


def shown_curve(curve):
    return [sig(v, 3) if 1e-12 < v < 1e3 else None for v in curve]


EXPLORABLE = {
    "controls": [
        {"name": "offset", "label": "Subtract from height", "values": offsets,
         "labels": in_metres[:-1] + [f"the mean ({in_metres[-1]})"],
         "default": 0.0},
        {"name": "divisor", "label": "Then divide by", "values": divisors,
         "labels": ["1 cm", f"the std ({divisor_metres[1]})", "1 m"],
         "default": 1.0, "kind": "radio"},
        {"name": "lr", "label": "Learning rate, × 2/λ_max",
         "values": fractions, "default": 0.5},
    ],
    "shared": {"n": N_CURVE.astype(int).tolist()},
    "settings": {},
    "charts": [
        {"kind": "heatmap", "title": "Loss, and 50 steps of GD",
         "xlabel": "bias b / |θ*|", "ylabel": "weight w / |θ*|",
         "z": "bands", "zrange": [-6, 1], "xrange": XRANGE, "yrange": YRANGE,
         "points": "star", "path": "path"},
        {"kind": "lines", "title": "Excess loss ÷ its start",
         "x": "n", "xlog": True, "ylog": True, "yrange": [1e-8, 10],
         "xlabel": "step (log scale)", "ylabel": "excess loss (log scale)",
         "series": [{"y": "curve"}],
         "marks": [{"y": TOL, "label": f"{TOL:g}"},
                   {"x": STEPS, "label": f"{STEPS} steps"}]},
    ],
    "readouts": [{"label": label, "key": k} for k, label in readouts.items()],
}
for (i, j), p in problems.items():
    z = bands(p)
    w_star, b_star = p["theta_star"] / p["D"]
    for k, r in enumerate(p["runs"]):
        EXPLORABLE["settings"][f"{i},{j},{k}"] = {
            "bands": z, "path": shown_path(r["path"]),
            "star": [[sig(b_star), sig(w_star), 1]],
            "curve": shown_curve(r["curve"]), **texts[i, j, k]}

# The static view: the four rows of conditioning.py, one feature each,
# at lr = 0.5 x 2/lam_max = 1/lam_max.
fig, axes = plt.subplots(2, 2, figsize=(9, 6.4))
gx = np.linspace(*XRANGE, 261)
gy = np.linspace(*YRANGE, 159)
G = np.stack(np.meshgrid(gx, gy), axis=-1)[..., ::-1]  # (w, b) order
panels = [((0, 2), "raw: height in m"),
          ((0, 1), "scaled only: height / std"),
          ((4, 2), "centred only: height − mean, in m"),
          ((4, 1), "standardised: (height − mean) / std")]
for ax, ((i, j), name) in zip(axes.flat, panels):
    p = problems[i, j]
    run = p["runs"][fractions.index(0.5)]
    ax.contour(gx, gy, p["ratio"](G), levels=10.0 ** np.arange(-6, 2),
               colors="C0", linewidths=0.9)
    ax.plot(run["path"][:, 1], run["path"][:, 0], "o-", color="C1",
            markersize=2.5, linewidth=1.1, label=f"{STEPS} GD steps")
    ax.plot(*(p["theta_star"][::-1] / p["D"]), "*", color="C3",
            markersize=12, label="minimum")
    ax.set_aspect("equal")
    ax.set_xlim(*XRANGE)
    ax.set_ylim(*YRANGE)
    ax.set_title(f"{name} (κ = {p['kappa']:.3g})", fontsize=10)
for ax in axes[1]:
    ax.set_xlabel("bias b / |θ*|")
for ax in axes[:, 0]:
    ax.set_ylabel("weight w / |θ*|")
axes[0, 0].legend(loc="upper left", fontsize=8)
fig.tight_layout()
plt.show()

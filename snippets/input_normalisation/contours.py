# Loss contours over the two feature weights, raw inputs vs standardised
# inputs, with the path of 25 gradient-descent steps drawn on each.
# Same data as conditioning.py. To draw in two dimensions the bias is
# frozen at its best value; only the two weights are trained. Each run
# uses its own best learning rate: the one, among 200 stable rates up
# to 2/lam_max, that leaves the lowest loss after the 25 steps.
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)
m = 200
height = rng.normal(1.75, 0.08, m)
weight = 72 + 55 * (height - 1.75) + rng.normal(0, 10, m)
age = rng.uniform(20, 60, m)
y = 10 * weight + 625 * height - 5 * age + 5 + rng.normal(0, 20, m)
raw = np.column_stack([height, weight])
mu, sd = raw.mean(axis=0), raw.std(axis=0)
STEPS = 25

panels = []
for name, f in [("raw: metres and kilograms", raw),
                ("standardised: (x - mean) / std", (raw - mu) / sd)]:
    X = np.column_stack([f, np.ones(m)])
    full = np.linalg.solve(X.T @ X, X.T @ y)  # best weights and bias
    w_star, b_star = full[:2], full[2]
    r = y - b_star  # what the two weights must fit, bias frozen
    H = f.T @ f / m
    lams, V = np.linalg.eigh(H)

    def excess(w, H=H, w_star=w_star):  # loss above the minimum
        d = w - w_star
        return 0.5 * np.einsum("...i,ij,...j->...", d, H, d)

    def descend(lr, f=f, r=r):
        w, path = np.zeros(2), [np.zeros(2)]
        for _ in range(STEPS):
            w = w - lr * f.T @ (f @ w - r) / m
            path.append(w)
        return np.array(path)

    rates = np.linspace(0.01, 0.995, 200) * 2 / lams[-1]
    lr = min(rates, key=lambda a: excess(descend(a)[-1]))
    path = descend(lr)
    w = path[-1]
    share = 1 - np.linalg.norm(w - w_star) / np.linalg.norm(w_star)
    left = excess(w) / excess(np.zeros(2))
    print(f"{name}")
    print(f"  kappa {lams[-1] / lams[0]:.3g}, best lr {lr:.3g} "
          f"= {lr * lams[-1]:.2f}/lam_max")
    print(f"  slow direction: lam {lams[0]:.3g} along (height, weight) = "
          f"({V[0, 0]:.3f}, {V[1, 0]:.3f})")
    print(f"  minimum at ({w_star[0]:.1f}, {w_star[1]:.2f}); after "
          f"{STEPS} steps at ({w[0]:.1f}, {w[1]:.2f})")
    print(f"  {share:.1%} of the way there; excess loss left: "
          f"{left:.2e} of the start")
    panels.append((name, path, w_star, excess))

fig, axes = plt.subplots(1, 2, figsize=(9, 4.6))
for ax, (name, path, w_star, excess) in zip(axes, panels):
    # a square window around the start and the minimum, equal axes,
    # so that the shapes and the angles on screen are the true ones
    centre = w_star / 2
    half = 0.7 * np.abs(w_star).max()
    g0 = np.linspace(centre[0] - half, centre[0] + half, 400)
    g1 = np.linspace(centre[1] - half, centre[1] + half, 400)
    G = np.stack(np.meshgrid(g0, g1), axis=-1)
    top = excess(np.zeros(2))
    levels = top * np.logspace(-4, 0.5, 10)
    ax.contour(g0, g1, excess(G), levels=levels, colors="C0",
               linewidths=0.9)
    ax.plot(path[:, 0], path[:, 1], "o-", color="C1", markersize=3,
            linewidth=1.2, label=f"{STEPS} GD steps from (0, 0)")
    ax.plot(*w_star, "*", color="C3", markersize=14, label="minimum")
    ax.set_aspect("equal")
    ax.set_xlim(g0[0], g0[-1])
    ax.set_ylim(g1[0], g1[-1])
    ax.set_title(name, fontsize=11)
    ax.legend(loc="lower right", fontsize=9)
axes[0].set_xlabel("weight on height (kcal/day per m)")
axes[0].set_ylabel("weight on weight (kcal/day per kg)")
axes[1].set_xlabel("weight on height (kcal/day per std)")
axes[1].set_ylabel("weight on weight (kcal/day per std)")
fig.suptitle("Same data, same model, same 25 steps: raw inputs stretch "
             "the bowl into a valley")
fig.tight_layout()
plt.show()

# Why Adam + L2 is not weight decay. 4 x 1000 weights start at 1. The
# data gradient of each is pure noise, s * N(0, 1), with a scale s that
# differs by row (0.01, 0.1, 1, 10): none of these weights is needed,
# so a regulariser should shrink them all alike. The noise averages out
# in the mean over the 1000 weights of a row, leaving only the decay.
# Adam + L2: the loss gets (lam/2) sum w^2; Adam divides the whole
#   gradient, lam * w included, by sqrt(v) ~ the gradient's RMS, so the
#   decay per step is about lr * lam * w / RMS: weak where s is large.
# AdamW: w -= lr * lam * w every step, whatever the gradients.
# A sweep over lam then asks whether any lam makes Adam + L2 match AdamW.
import matplotlib.pyplot as plt
import torch

SCALES = torch.tensor([0.01, 0.1, 1.0, 10.0]).view(4, 1)
LR, LAM, STEPS = 0.01, 0.1, 1000
CHECK = [0, 100, 300, 1000]


def run(lams, decoupled=False):
    """Adam + (lam/2) |w|^2 in the loss for every lam in lams at once
    (Adam acts weight by weight, so the runs do not mix), or AdamW with
    weight_decay=lams[0]. Returns the mean of each row: (STEPS+1, lams, 4)."""
    gen = torch.Generator().manual_seed(0)  # same noise for every run
    w = torch.ones(len(lams), 4, 1000, requires_grad=True)
    lam = torch.tensor(lams).view(-1, 1, 1)
    if decoupled:
        opt = torch.optim.AdamW([w], lr=LR, weight_decay=lams[0])
    else:
        opt = torch.optim.Adam([w], lr=LR)
    means = [w.detach().mean(dim=2)]
    for _ in range(STEPS):
        noise = torch.randn(4, 1000, generator=gen)
        loss = (SCALES * noise * w).sum()  # gradient: s * noise
        if not decoupled:
            loss = loss + (lam / 2 * w**2).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
        means.append(w.detach().mean(dim=2))
    return torch.stack(means)


SWEEP = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0]  # includes LAM
sweep = run(SWEEP)
l2, wd = sweep[:, SWEEP.index(LAM)], run([LAM], decoupled=True)[:, 0]
print(f"lr = {LR}, lam = {LAM}; mean weight of each row (start: 1)")
print(f"AdamW's decay alone would leave (1 - lr*lam)^{STEPS} = "
      f"{(1 - LR * LAM) ** STEPS:.3f}")
print(f"{'noise s':>7} | {'optimiser':<10} | "
      + " | ".join(f"step {t:>4}" for t in CHECK[1:]))
print("-" * 54)
for i, s in enumerate(SCALES.flatten().tolist()):
    for name, h in (("Adam + L2", l2), ("AdamW", wd)):
        cells = " | ".join(f"{h[t, i]:9.3f}" for t in CHECK[1:])
        print(f"{s:7g} | {name:<10} | {cells}")

# Could Adam + L2 match AdamW with some other lam? Sweep it.
print(f"\nAdam + L2 with other lam: mean weight of each row at step {STEPS}")
print(f"{'lam':>5} | " + " | ".join(f"s = {s:<5g}" for s in
                                    SCALES.flatten().tolist()))
print("-" * 53)
for lam, final in zip(SWEEP, sweep[-1]):
    print(f"{lam:5g} | " + " | ".join(f"{m:9.3f}" for m in final.tolist()))

fig, axes = plt.subplots(1, 2, figsize=(9, 3.8), sharey=True)
for ax, h, title in ((axes[0], l2, "Adam + L2 in the loss"),
                     (axes[1], wd, "AdamW (decoupled decay)")):
    for i, s in enumerate(SCALES.flatten().tolist()):
        ax.plot(h[:, i], color=f"C{i}", label=f"gradient noise s = {s:g}")
    ax.set_title(title, fontsize=11)
    ax.set_xlabel("step")
axes[0].set_ylabel("mean weight (started at 1)")
axes[1].legend(fontsize=9, loc="lower left")
fig.suptitle(f"Same λ = {LAM}, same lr: Adam + L2 decays a weight "
             "less the larger its gradients", fontsize=11)
fig.tight_layout()
plt.show()

# Why Adam + L2 is not weight decay. 4 x 1000 weights start at 1. The
# data gradient of each is pure noise, s * N(0, 1), with a scale s that
# differs by row (0.01, 0.1, 1, 10): none of these weights is needed,
# so a regulariser should shrink them all alike. The noise averages out
# in the mean over the 1000 weights of a row, leaving only the decay.
# Adam + L2: the loss gets (lam/2) sum w^2; Adam divides the whole
#   gradient, lam * w included, by sqrt(v) ~ the gradient's RMS, so the
#   decay per step is about lr * lam * w / RMS: weak where s is large.
# AdamW: w -= lr * lam * w every step, whatever the gradients.
import matplotlib.pyplot as plt
import torch

SCALES = torch.tensor([0.01, 0.1, 1.0, 10.0]).view(4, 1)
LR, LAM, STEPS = 0.01, 0.1, 1000
CHECK = [0, 100, 300, 1000]


def run(decoupled):
    gen = torch.Generator().manual_seed(0)  # same noise for both runs
    w = torch.ones(4, 1000, requires_grad=True)
    if decoupled:
        opt = torch.optim.AdamW([w], lr=LR, weight_decay=LAM)
    else:
        opt = torch.optim.Adam([w], lr=LR)
    means = [w.detach().mean(dim=1)]
    for _ in range(STEPS):
        noise = torch.randn(4, 1000, generator=gen)
        loss = (SCALES * noise * w).sum()  # gradient: s * noise
        if not decoupled:
            loss = loss + LAM / 2 * (w**2).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
        means.append(w.detach().mean(dim=1))
    return torch.stack(means)  # (STEPS + 1, 4)


l2, wd = run(False), run(True)
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

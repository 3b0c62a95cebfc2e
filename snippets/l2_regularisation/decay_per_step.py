# How much one step of weight decay shrinks a weight, with and without
# momentum. The weight starts at 1 and the data do not need it (its data
# gradient is 0), so only the decay acts on it.
# Coupled: SGD(weight_decay=lam) adds lam * w to the gradient, the same
#   as (lam/2) w^2 in the loss; with momentum that term also goes into
#   the velocity buffer, where it accumulates like any other gradient.
# Decoupled (SGDW, AdamW): w -= lr * lam * w, beside the optimiser step
# (PyTorch's AdamW convention: the decay is scaled by the learning rate).
import matplotlib.pyplot as plt
import torch

torch.set_default_dtype(torch.float64)  # 1 - w = 5e-7 is below float32 precision
LR, MOM, LAM, STEPS = 0.05, 0.9, 0.05, 100


def history(momentum, coupled):
    w = torch.ones(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=LR, momentum=momentum,
                          weight_decay=LAM if coupled else 0.0)
    ws = [1.0]
    for _ in range(STEPS):
        w.grad = torch.zeros(1)  # the data gradient
        if not coupled:
            with torch.no_grad():
                w.mul_(1 - LR * LAM)
        opt.step()
        ws.append(w.item())
    return ws


runs = {"SGD, weight_decay=lam": history(0.0, True),
        "SGD+mom, weight_decay=lam": history(MOM, True),
        "SGD+mom, decoupled (SGDW)": history(MOM, False)}
ref = [(1 - LR * LAM) ** t for t in range(STEPS + 1)]
print(f"lr = {LR}, momentum = {MOM}, lam = {LAM}; weight with zero data "
      f"gradient, start 1")
print(f"{'run':<26} | {'step 10':>7} | {'step 100':>8} | per step")
print("-" * 58)
for name, ws in [("(1 - lr*lam)^t", ref)] + list(runs.items()):
    factor = ws[STEPS] ** (1 / STEPS)  # geometric mean factor per step
    print(f"{name:<26} | {ws[10]:7.4f} | {ws[STEPS]:8.4f} | {factor:.4f}")

# AdamW's decay is multiplied by the learning rate: one step, zero
# gradient, so that Adam's own update is 0 and only the decay acts.
print("\none step on a zero gradient: 1 - w = the fraction removed")
print(f"{'optimiser':<9} | {'lr':>5} | {'weight_decay':>12} | 1 - w")
print("-" * 44)
for name, lr, wd in [("SGD", 0.1, 5e-4), ("AdamW", 1e-3, 5e-4),
                     ("AdamW", 1e-3, 0.05)]:
    w = torch.ones(1, requires_grad=True)
    opt = getattr(torch.optim, name)([w], lr=lr, weight_decay=wd)
    w.grad = torch.zeros(1)
    opt.step()
    print(f"{name:<9} | {lr:5g} | {wd:12g} | {1 - w.item():.1e}")
default = torch.optim.AdamW([torch.ones(1)]).defaults["weight_decay"]
print(f"torch.optim.AdamW's default weight_decay: {default}")

fig, ax = plt.subplots(figsize=(7.2, 3.8))
ax.plot(ref, color="black", linewidth=6, alpha=0.25,
        label=r"$(1 - \mathrm{lr}\cdot\lambda)^t$")
for (name, ws), style in zip(runs.items(), ["-", "-", "--"]):
    ax.plot(ws, style, label=name.replace("lam", "λ"))
ax.set_xlabel("step")
ax.set_ylabel("weight (data gradient 0)")
ax.set_title(f"Coupled decay with momentum {MOM} shrinks far faster "
             f"than 1 − lr·λ per step", fontsize=11)
ax.legend(fontsize=9)
fig.tight_layout()
plt.show()

# Weight decay with momentum: coupled (SGD's weight_decay, = L2 in the
# loss) vs decoupled (SGDW as written here: w -= lr * lam * w beside the
# momentum step). Momentum v <- beta * v + g speeds up every gradient by
# 1/(1 - beta) once v has built up, the coupled lam * w included.
# 1. A weight the data do not need (data gradient 0), starting at 1.
# 2. A weight the data want at 1: data loss (w - 1)^2 / 2.
# 3. One step on a zero gradient in SGD and AdamW: what each removes.
import matplotlib.pyplot as plt
import torch

torch.set_default_dtype(torch.float64)  # so that 1 - w = 5e-7 prints exactly


def history(lr, lam, mom, coupled, steps, target=None):
    """SGD from w = 1 with data loss (w - target)^2 / 2 (0 if target is
    None), coupled weight_decay=lam or decoupled decay lr * lam."""
    w = torch.ones(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=lr, momentum=mom,
                          weight_decay=lam if coupled else 0.0)
    ws = [1.0]
    for _ in range(steps):
        grad = 0.0 if target is None else w.item() - target
        w.grad = torch.tensor([grad])
        if not coupled:
            with torch.no_grad():
                w.mul_(1 - lr * lam)
        opt.step()
        ws.append(w.item())
    return ws


# 1. Zero data gradient, coupled decay with momentum 0.9 or 0.99. The weight
# obeys w' = (1 + beta - lr*lam) w - beta w_prev: it decays without sign
# changes only if lr*lam <= (1 - sqrt(beta))^2, and then, if lr*lam is
# well below that, by about lr*lam / (1 - beta) per step.
print("1. data gradient 0, coupled weight_decay with momentum, 2000 steps")
print(f"{'lr':>5} | {'lam':>5} | {'beta':>4} | {'lr*lam':>7} | "
      f"{'(1-sqrt b)^2':>12} | {'lr*lam/(1-b)':>12} | {'per step':>10} | "
      f"{'min w':>7}")
print("-" * 87)
SETTINGS = [(0.01, 0.01, 0.9), (0.05, 0.01, 0.9), (0.05, 0.05, 0.9),
            (0.1, 0.2, 0.9), (0.05, 0.05, 0.99)]
for lr, lam, beta in SETTINGS:
    ws = history(lr, lam, beta, True, 2000)
    # fraction removed per step, averaged over the first 200 steps
    per_step = f"{1 - ws[200] ** (1 / 200):.5f}" if min(ws) >= 0 else "sign flips"
    print(f"{lr:5g} | {lam:5g} | {beta:4g} | {lr * lam:7.5f} | "
          f"{(1 - beta**0.5) ** 2:12.5f} | {lr * lam / (1 - beta):12.5f} | "
          f"{per_step:>10} | {min(ws):7.3f}")
print("per step: 1 - w_200^(1/200), the mean fraction removed per step")

# 2. The data want w = 1. The regularised loss (w-1)^2/2 + lam/2 w^2 is
# lowest at 1 / (1 + lam); decoupled decay with momentum settles where
# lr*lam*w = lr * (data gradient) / (1 - beta), i.e. L2 with lam*(1-beta).
LR, LAM, MOM, STEPS = 0.05, 0.5, 0.9, 3000
print(f"\n2. data loss (w - 1)^2 / 2, lr = {LR}, lam = {LAM}, "
      f"{STEPS} steps")
print(f"L2 optimum 1/(1+lam) = {1 / (1 + LAM):.4f}; "
      f"1/(1+(1-beta)*lam) = {1 / (1 + (1 - MOM) * LAM):.4f}")
print(f"{'run':<27} | final w")
print("-" * 37)
runs = {"SGD, weight_decay=lam": history(LR, LAM, 0.0, True, STEPS, 1.0),
        "SGD+mom, weight_decay=lam": history(LR, LAM, MOM, True, STEPS, 1.0),
        "SGD+mom, decoupled (SGDW)": history(LR, LAM, MOM, False, STEPS, 1.0)}
for name, ws in runs.items():
    print(f"{name:<27} | {ws[-1]:.4f}")

# 3. One step on a zero gradient removes lr * weight_decay (Adam's own
# update is 0 there); with momentum, the steady rate is measured at step
# 1000. 1 / fraction is the number of steps the decay needs to shrink a
# weight by a factor e (about): the decay's time scale.
print("\n3. zero data gradient: fraction of the weight removed per step")
print(f"{'optimiser':<9} | {'lr':>5} | {'momentum':>8} | {'weight_decay':>12} "
      f"| {'step 1':>7} | {'step 1000':>9} | 1/fraction")
print("-" * 79)
for name, lr, mom, wd in [("SGD", 0.1, 0.0, 5e-4), ("SGD", 0.1, 0.9, 5e-4),
                          ("AdamW", 1e-3, 0.0, 5e-4),
                          ("AdamW", 1e-3, 0.0, 0.05), ("AdamW", 1e-3, 0.0, 0.5)]:
    w = torch.ones(1, requires_grad=True)
    kw = dict(momentum=mom) if name == "SGD" else {}
    opt = getattr(torch.optim, name)([w], lr=lr, weight_decay=wd, **kw)
    removed = []
    for _ in range(1000):
        before = w.item()
        w.grad = torch.zeros(1)
        opt.step()
        removed.append(1 - w.item() / before)
    print(f"{name:<9} | {lr:5g} | {mom:8g} | {wd:12g} | {removed[0]:7.1e} | "
          f"{removed[-1]:9.1e} | {1 / removed[-1]:.0f}")
default = torch.optim.AdamW([torch.ones(1)]).defaults["weight_decay"]
print(f"torch.optim.AdamW's default weight_decay: {default}")

fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
ax = axes[0]
lr, lam, beta = SETTINGS[1]
t = range(501)
ax.plot([(1 - lr * lam) ** s for s in t], color="black", linewidth=6,
        alpha=0.25, label="(1 − lr·λ)$^t$")
ax.plot(history(lr, lam, beta, True, 500), label="coupled weight_decay")
ax.plot([(1 - lr * lam / (1 - beta)) ** s for s in t], ":", color="gray",
        linewidth=2, label="(1 − lr·λ/(1 − β))$^t$")
ax.plot(history(lr, lam, beta, False, 500), "--", label="decoupled (SGDW)")
ax.set_title(f"Data gradient 0 (lr {lr}, λ {lam}, β {beta})", fontsize=10)
ax.set_xlabel("step")
ax.set_ylabel("weight")
ax.legend(fontsize=8)
ax = axes[1]
for (name, ws), style in zip(runs.items(), [":", "-", "--"]):
    ax.plot(ws[:300], style, label=name.replace("lam", "λ"))
ax.axhline(1 / (1 + LAM), color="gray", linewidth=0.8)
ax.axhline(1 / (1 + (1 - MOM) * LAM), color="gray", linewidth=0.8)
ax.text(300, 1 / (1 + LAM) + 0.01, "L2 optimum 1/(1 + λ)", ha="right",
        va="bottom", fontsize=8, color="gray")
ax.text(300, 1 / (1 + (1 - MOM) * LAM) - 0.01, "1/(1 + (1 − β)λ)",
        ha="right", va="top", fontsize=8, color="gray")
ax.set_title(f"Data want w = 1 (lr {LR}, λ {LAM}, β {MOM})", fontsize=10)
ax.set_xlabel("step (first 300)")
ax.legend(fontsize=8, loc="lower right")
fig.suptitle("With momentum, coupled decay is sped up like the data "
             "gradient; decoupled decay is not", fontsize=11)
fig.tight_layout()
plt.show()

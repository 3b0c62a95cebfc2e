# L2 in the loss vs the optimiser's weight_decay, on a small MLP.
# With the penalty (lam/2) * sum p^2 the gradient gains lam * p, which
# is exactly what weight_decay=lam adds in SGD (with or without
# momentum) and in Adam (by default): "coupled" decay, it goes through
# the optimiser.
# Decoupled decay shrinks the weights directly, p -= lr * lam * p,
# beside the optimiser's step: AdamW, and SGDW (Loshchilov & Hutter).
# Note: weight_decay acts on every parameter, so here the penalty
# covers the biases as well. float64 makes equal runs agree to ~1e-16.
import torch

torch.set_default_dtype(torch.float64)
torch.manual_seed(0)
X, Y = torch.randn(64, 5), torch.randn(64, 1)
LAM, STEPS = 0.05, 100


def train(opt_name, penalty=0.0, decay=0.0, **opt_kwargs):
    """penalty c adds c * sum p^2 to the loss; decay d multiplies every
    parameter by 1 - lr * d before each step (decoupled). Returns the
    parameters after STEPS full-batch steps, as one vector."""
    torch.manual_seed(1)  # the same initial network every time
    net = torch.nn.Sequential(torch.nn.Linear(5, 16), torch.nn.Tanh(),
                              torch.nn.Linear(16, 1))
    params = list(net.parameters())
    opt = getattr(torch.optim, opt_name)(params, **opt_kwargs)
    for _ in range(STEPS):
        loss = ((net(X) - Y) ** 2).mean()
        loss = loss + penalty * sum((p**2).sum() for p in params)
        opt.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p.mul_(1 - opt_kwargs["lr"] * decay)
        opt.step()
    return torch.cat([p.detach().flatten() for p in params])


def gap(a, b):
    return f"{(a - b).abs().max().item():.1e}"


print(f"lam = {LAM}, {STEPS} full-batch steps from the same start;")
print("largest absolute difference between the parameters of two runs:")
print(f"{'run A':<27} | {'run B':<27} | max diff")
print("-" * 70)
for name, kw in [("SGD", dict(lr=0.1)),
                 ("SGD+mom", dict(lr=0.05, momentum=0.9))]:
    opt = "SGD"
    half = train(opt, LAM / 2, **kw)  # (lam/2) sum p^2
    full = train(opt, LAM, **kw)  # the notes' lam * sum p^2
    wd = train(opt, weight_decay=LAM, **kw)
    wd2 = train(opt, weight_decay=2 * LAM, **kw)
    dec = train(opt, decay=LAM, **kw)
    print(f"{name + ', (lam/2)sum p^2':<27} | {name + ', wd=lam':<27} | "
          f"{gap(half, wd)}")
    print(f"{name + ', lam*sum p^2':<27} | {name + ', wd=lam':<27} | "
          f"{gap(full, wd)}")
    print(f"{name + ', lam*sum p^2':<27} | {name + ', wd=2*lam':<27} | "
          f"{gap(full, wd2)}")
    print(f"{name + ', wd=lam':<27} | {name + ', decoupled lam':<27} | "
          f"{gap(wd, dec)}")
kw = dict(lr=0.01)
adam_l2 = train("Adam", LAM / 2, **kw)
adam_wd = train("Adam", weight_decay=LAM, **kw)
adamw = train("AdamW", weight_decay=LAM, **kw)
adam_none = train("Adam", **kw)
adam_dec = train("Adam", decay=LAM, **kw)
# Adam's decoupled_weight_decay flag (False by default) turns it into AdamW
adam_flag = train("Adam", weight_decay=LAM, decoupled_weight_decay=True, **kw)
print(f"{'Adam, (lam/2)sum p^2':<27} | {'Adam, wd=lam':<27} | "
      f"{gap(adam_l2, adam_wd)}")
print(f"{'Adam, (lam/2)sum p^2':<27} | {'AdamW, wd=lam':<27} | "
      f"{gap(adam_l2, adamw)}")
print(f"{'Adam, no penalty':<27} | {'AdamW, wd=lam':<27} | "
      f"{gap(adam_none, adamw)}")
print(f"{'AdamW, wd=lam':<27} | {'Adam, decoupled lam':<27} | "
      f"{gap(adamw, adam_dec)}")
print(f"{'AdamW, wd=lam':<27} | {'Adam, wd=lam, decoupled_wd':<27} | "
      f"{gap(adamw, adam_flag)}")

# Why constant init fails: symmetry, not zeros.
# Task: label 2-D Gaussian points by whether they lie outside a circle
# (a linear classifier cannot do it). Net: 2 -> 16 tanh -> 16 tanh -> 1,
# trained with full-batch gradient descent.
# "spread": largest difference between the incoming weights of unit 0
# and of any other unit of the second hidden layer (columns of W2).
# "loss < 0.5 at": first step at which the loss falls below 0.5.
import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.randn(500, 2, dtype=torch.float64)
y = (x.pow(2).sum(1) > 2 * math.log(2)).double()  # half inside
H, STEPS, LR = 16, 500, 0.5


def gauss(n_in, n_out):  # Kaiming for tanh, (in, out) layout
    return torch.randn(n_in, n_out, dtype=torch.float64) * (5 / 3) \
        / math.sqrt(n_in)


def const(n_in, n_out, c):
    return torch.full((n_in, n_out), c, dtype=torch.float64)


setups = {  # name: (W1, W2, W3); all biases start at 0
    "random everywhere": (gauss(2, H), gauss(H, H), gauss(H, 1)),
    "all weights 0.3": (const(2, H, 0.3), const(H, H, 0.3),
                        const(H, 1, 0.3)),
    "all weights 0": (const(2, H, 0), const(H, H, 0), const(H, 1, 0)),
    "random, zero output": (gauss(2, H), gauss(H, H),
                                  const(H, 1, 0)),
}



def train(weights):
    ws = [w.clone().requires_grad_() for w in weights]
    bs = [torch.zeros(w.shape[1], dtype=torch.float64,
                      requires_grad=True) for w in weights]
    params, curve = ws + bs, []
    for step in range(STEPS):
        h1 = torch.tanh(x @ ws[0] + bs[0])
        h2 = torch.tanh(h1 @ ws[1] + bs[1])
        logit = (h2 @ ws[2] + bs[2]).squeeze(1)
        loss = F.binary_cross_entropy_with_logits(logit, y)
        curve.append(loss.item())
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= LR * p.grad
    acc = ((logit > 0).double() == y).double().mean()
    below = [i for i, v in enumerate(curve) if v < 0.5]
    return curve, params, acc, (below[0] if below else None)


print(f"{'init':<19} | {'loss end':>8} | {'acc':>6} | {'rank W2':>7} | "
      f"{'spread':>7} | loss < 0.5 at")
print("-" * 76)
curves = {}
for name, weights in setups.items():
    curves[name], params, acc, first = train(weights)
    w2 = params[1].detach()
    spread = (w2 - w2[:, :1]).abs().max()  # unit j vs unit 0
    when = "never" if first is None else f"step {first}"
    print(f"{name:<19} | {curves[name][-1]:8.3f} | {acc:6.1%} | "
          f"{torch.linalg.matrix_rank(w2):7d} | {spread:7.1e} | {when}")
    if name == "all weights 0":
        frozen = [p.detach().abs().max().item() for p in params[:5]]
        frozen.append(params[5].item())  # b3, one value
print(f"ln 2 = {math.log(2):.3f} (loss of predicting 50/50)")
# With every weight 0 only the output bias gets a gradient: it learns
# the log-odds of the labels, and the loss drops to their entropy.
p = y.mean().item()
print("all weights 0, after training: largest absolute value of")
print("  W1, W2, W3: " + ", ".join(f"{v:.1e}" for v in frozen[:3]))
print("  b1, b2:     " + ", ".join(f"{v:.1e}" for v in frozen[3:5]))
print(f"  b3: {frozen[5]:+.4f}; labels' log-odds ln(p/(1-p)) = "
      f"{math.log(p / (1 - p)):+.4f}, p = {p:.3f}")
print(f"  loss floor: entropy of the labels = "
      f"{-(p * math.log(p) + (1 - p) * math.log(1 - p)):.5f}, "
      f"final loss {curves['all weights 0'][-1]:.5f}")

# Equal weights: each layer acts as one unit, a monotone function of the
# one below, so the output is monotone in a single projection d.x and the
# boundary is one straight line. The best straight line on this data:
best = 0.0
for angle in torch.linspace(0, math.pi, 721, dtype=torch.float64):
    d = torch.stack([torch.cos(angle), torch.sin(angle)])
    ys = y[torch.argsort(x @ d)]
    # label "outside" above the k-th smallest projection, for every k
    correct = (1 - ys).cumsum(0) + ys.sum() - ys.cumsum(0)
    best = max(best, correct.max().item() / len(y),
               1 - correct.min().item() / len(y))  # or the other side
print(f"best accuracy of any straight line: {best:.1%}")

# The zero output layer's delay, over other random hidden layers.
rows = []
for seed in range(1, 6):
    torch.manual_seed(seed)
    w1, w2, w3 = gauss(2, H), gauss(H, H), gauss(H, 1)
    rnd, zero = train((w1, w2, w3)), train((w1, w2, const(H, 1, 0)))
    rows.append((rnd[0][-1], zero[0][-1], zero[3] - rnd[3]))
print("seeds 1-5, same hidden weights, random vs zero output layer:")
print(f"  final loss {min(r[0] for r in rows):.3f} to "
      f"{max(r[0] for r in rows):.3f} vs {min(r[1] for r in rows):.3f} to "
      f"{max(r[1] for r in rows):.3f}; delay to loss < 0.5: "
      f"{min(r[2] for r in rows)} to {max(r[2] for r in rows)} steps")

fig, ax = plt.subplots(figsize=(7.2, 4))
for i, (name, c) in enumerate(curves.items()):
    ax.plot(c, color=f"C{i}", label=name, linewidth=2,
            linestyle="--" if i == 3 else "-")
ax.axhline(math.log(2), color="black", linewidth=0.8, linestyle=":",
           label="ln 2: a 50/50 guess")
ax.set_xlabel("gradient descent step")
ax.set_ylabel("training loss (binary cross-entropy)")
ax.set_ylim(0, 1.0)
ax.set_title("Equal weights stay equal; a zero output layer is fine")
ax.legend(fontsize=9, loc="lower right", bbox_to_anchor=(1, 0.12))
plt.show()

# The lecture's MLP at step 0 has two separate problems with two fixes:
# - output layer: logits too large, so the softmax is confidently wrong
#   and the loss is far above -ln(1/27);
# - hidden layer: pre-activations too wide, so many tanh units saturate
#   and little gradient gets through them.
# Random contexts and labels stand in for names (random_vs_names.py
# compares the two).
import math

import torch
import torch.nn.functional as F

VOCAB, BLOCK, EMBED, HIDDEN = 27, 3, 10, 200
LECTURE_SEED = 2147483647
torch.manual_seed(0)
contexts = torch.randint(0, VOCAB, (4096, BLOCK))
labels = torch.randint(0, VOCAB, (4096,))

kaiming = (5 / 3) / math.sqrt(BLOCK * EMBED)
setups = {  # name: (W1 scale, b1 scale, W2 scale, b2 scale)
    "plain randn": (1.0, 1.0, 1.0, 1.0),
    "fix output (W2*0.01, b2*0)": (1.0, 1.0, 0.01, 0.0),
    "fix hidden (W1*0.2, b1*0.01)": (0.2, 0.01, 1.0, 1.0),
    "fix both": (0.2, 0.01, 0.01, 0.0),
    "kaiming W1 + fix output": (kaiming, 0.01, 0.01, 0.0),
}


def step0(seed, s_w1, s_b1, s_w2, s_b2):
    """preact std, loss, max prob, share saturated, grad kept."""
    g = torch.Generator().manual_seed(seed)  # the lecture's draw order
    C = torch.randn((VOCAB, EMBED), generator=g)
    W1 = torch.randn((BLOCK * EMBED, HIDDEN), generator=g) * s_w1
    b1 = torch.randn(HIDDEN, generator=g) * s_b1
    W2 = torch.randn((HIDDEN, VOCAB), generator=g) * s_w2
    b2 = torch.randn(VOCAB, generator=g) * s_b2

    preact = C[contexts].view(-1, BLOCK * EMBED) @ W1 + b1
    preact.requires_grad_()
    h = torch.tanh(preact)
    h.retain_grad()
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, labels)
    loss.backward()

    top = logits.detach().softmax(dim=1).max(dim=1).values.mean()
    saturated = (h.abs() > 0.99).float().mean()
    kept = preact.grad.norm() / h.grad.norm()
    return (preact.std().item(), loss.item(), top.item(),
            saturated.item(), kept.item())


print(f"uniform guess: -ln(1/27) = {-math.log(1 / VOCAB):.4f}")
print("max prob: mean probability of the softmax's top choice")
print("grad kept: |dL/dpreact| / |dL/dh|, the share that crosses tanh")
print("(in brackets: the std that Var = 30 * W1_scale^2 + b1_scale^2 "
      "predicts,\n and the share of such a Gaussian beyond atanh(0.99))")
print(f"\nthe lecture's seed, {LECTURE_SEED}:")
print(f"{'setup':<28} | {'preact std':>11} | {'loss':>6} | {'max prob':>8} "
      f"| {'|h|>0.99':>14} | grad kept")
print("-" * 94)
for name, scales in setups.items():
    std, loss, top, saturated, kept = step0(LECTURE_SEED, *scales)
    s_w1, s_b1 = scales[:2]
    predicted = math.sqrt(BLOCK * EMBED * s_w1**2 + s_b1**2)
    tail = math.erfc(math.atanh(0.99) / (predicted * math.sqrt(2)))
    print(f"{name:<28} | {std:4.2f} ({predicted:4.2f}) | {loss:6.3f} | "
          f"{top:8.3f} | {saturated:5.1%} ({tail:5.1%}) | {kept:9.1%}")

# One seed is one draw: the same table's range over ten other seeds.
print("\nseeds 0-9, lowest to highest:")
print(f"{'setup':<28} | " + " | ".join(
    f"{col:>16}" for col in ("loss", "max prob", "|h|>0.99", "grad kept")))
print("-" * 105)
for name, scales in setups.items():
    runs = [step0(seed, *scales) for seed in range(10)]
    cells = []
    for col, fmt in ((1, "6.3f"), (2, "5.3f"), (3, "5.1%"), (4, "5.1%")):
        values = [run[col] for run in runs]
        cells.append(f"{min(values):{fmt}} to {max(values):{fmt}}")
    print(f"{name:<28} | " + " | ".join(f"{c:>16}" for c in cells))

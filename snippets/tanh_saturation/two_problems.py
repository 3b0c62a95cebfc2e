# The lecture's MLP at step 0 has two separate problems with two fixes:
# - output layer: logits too large, so the softmax is confidently wrong
#   and the loss is far above -ln(1/27);
# - hidden layer: pre-activations too wide, so many tanh units saturate
#   and little gradient gets through them.
# At initialisation the logits do not depend on which label is correct,
# so random contexts and labels give the expected step-0 loss.
import math

import torch
import torch.nn.functional as F

VOCAB, BLOCK, EMBED, HIDDEN = 27, 3, 10, 200
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

print(f"uniform guess: -ln(1/27) = {-math.log(1 / VOCAB):.4f}")
print("max prob: mean probability of the softmax's top choice")
print("grad kept: |dL/dpreact| / |dL/dh|, the share that crosses tanh")
print(f"{'setup':<28} | {'loss':>6} | {'max prob':>8} | {'|h|>0.99':>8}"
      f" | grad kept")
print("-" * 74)
for name, (s_w1, s_b1, s_w2, s_b2) in setups.items():
    g = torch.Generator().manual_seed(2147483647)  # lecture's seed, order
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
    print(f"{name:<28} | {loss.item():6.3f} | {top:8.3f} | "
          f"{saturated:8.1%} | {kept:9.1%}")

# ReLU of a standard normal: its second moment is 1/2, its variance is not.
#   E[relu(y)]   = 1/sqrt(2 pi)
#   E[relu(y)^2] = 1/2               (half of E[y^2] = 1, by symmetry)
#   Var(relu(y)) = 1/2 - 1/(2 pi)
# Leaky ReLU with slope a keeps a^2 of the negative half: (1 + a^2) / 2.
import math

import torch

torch.manual_seed(0)
y = torch.randn(4_000_000, dtype=torch.float64)
r = torch.relu(y)

rows = [
    ("relu: mean", r.mean(), 1 / math.sqrt(2 * math.pi)),
    ("relu: second moment", (r**2).mean(), 0.5),
    ("relu: variance", r.var(), 0.5 - 1 / (2 * math.pi)),
    ("leaky 0.2: 2nd moment", (torch.nn.functional.leaky_relu(y, 0.2) ** 2).mean(),
     (1 + 0.2**2) / 2),
]
print(f"{'y ~ N(0, 1)':<21} | {'measured':>8} | {'exact':>8}")
print("-" * 43)
for name, measured, exact in rows:
    print(f"{name:<21} | {measured.item():8.4f} | {exact:8.4f}")

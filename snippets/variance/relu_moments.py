# ReLU of a standard normal: its second moment is 1/2, its variance is not.
#   E[relu(y)]   = 1/sqrt(2 pi)
#   E[relu(y)^2] = 1/2               (half of E[y^2] = 1, by symmetry)
#   Var(relu(y)) = 1/2 - 1/(2 pi)
import math

import torch

torch.manual_seed(0)
y = torch.randn(4_000_000, dtype=torch.float64)
r = torch.relu(y)

rows = [
    ("mean", r.mean(), 1 / math.sqrt(2 * math.pi)),
    ("second moment", (r**2).mean(), 0.5),
    ("variance", r.var(), 0.5 - 1 / (2 * math.pi)),
]
print(f"{'relu(y), y ~ N(0,1)':<20} | {'measured':>8} | {'exact':>8}")
print("-" * 42)
for name, measured, exact in rows:
    print(f"{name:<20} | {measured.item():8.4f} | {exact:8.4f}")

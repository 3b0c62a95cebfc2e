# What torch.nn.init draws: std = gain / sqrt(fan), with fan_in read from
# size(1) and fan_out from size(0), the layout of nn.Linear.weight,
# (out_features, in_features). For a conv weight (out, in, k, k) the fans
# multiply by the kernel area: fan_in = in * k * k.
import math

import torch
from torch.nn import init

torch.manual_seed(0)
w = torch.empty(200, 30)  # nn.Linear(30, 200).weight has this shape
checks = [
    ("relu, fan_in", lambda: init.kaiming_normal_(w, nonlinearity="relu"),
     math.sqrt(2 / 30)),
    ("relu, fan_out", lambda: init.kaiming_normal_(w, mode="fan_out",
                                                   nonlinearity="relu"),
     math.sqrt(2 / 200)),
    ("tanh, fan_in", lambda: init.kaiming_normal_(w, nonlinearity="tanh"),
     (5 / 3) / math.sqrt(30)),
    ("xavier_normal_", lambda: init.xavier_normal_(w), math.sqrt(2 / 230)),
]
print(f"{'(200, 30) weight':<24} | {'std':>6} | {'expected':>8}")
print("-" * 44)
for name, draw, expected in checks:
    print(f"{name:<24} | {draw().std():6.4f} | {expected:8.4f}")

# The same call on a weight stored the other way round, (n_in, n_out), as
# in x @ W: PyTorch's "fan_out" is then n_in.
W = init.kaiming_normal_(torch.empty(100, 400), mode="fan_out", nonlinearity="relu")
print(f"\n(n_in, n_out) = (100, 400), mode='fan_out': Var(W) * n_in = "
      f"{W.var() * 100:.3f}, Var(W) * n_out = {W.var() * 400:.3f}")

conv = init.kaiming_normal_(torch.empty(64, 16, 3, 3), nonlinearity="relu")
print(f"conv (64, 16, 3, 3): std {conv.std():.4f}, "
      f"sqrt(2 / (16 * 3 * 3)) = {math.sqrt(2 / 144):.4f}")

print(f"gains: sigmoid {init.calculate_gain('sigmoid')}, "
      f"leaky_relu(0.2) {init.calculate_gain('leaky_relu', 0.2):.4f} "
      f"= sqrt(2 / (1 + 0.2^2)) = {math.sqrt(2 / 1.04):.4f}")

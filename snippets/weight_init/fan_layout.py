# The fan_in trap. torch.nn.init reads fan_in from size(1), because
# nn.Linear stores its weight as (out, in) and computes x @ W.T.
# The lecture's W1 is (in, out) = (30, 200) and computes x @ W1.
import math

import torch
from torch import nn

torch.manual_seed(0)
FAN_IN, FAN_OUT = 30, 200  # 3 characters x 10-dim embeddings -> 200
x = torch.randn(100_000, FAN_IN)  # inputs of unit variance
gain = nn.init.calculate_gain("tanh")
target = gain / math.sqrt(FAN_IN)
print(f"target std of W1: (5/3)/sqrt({FAN_IN}) = {target:.4f}")


def w1():
    return torch.empty(FAN_IN, FAN_OUT)  # the lecture's (in, out)


k = nn.init.kaiming_normal_
linear = nn.Linear(FAN_IN, FAN_OUT)
setups = {  # label: weight used as x @ W (shape (30, 200))
    "randn(30,200)*(5/3)/sqrt(30)": torch.randn(FAN_IN, FAN_OUT) * target,
    "kaiming_normal_(W1)": k(w1(), nonlinearity="tanh"),
    "kaiming_normal_(W1, fan_out)": k(w1(), mode="fan_out",
                                  nonlinearity="tanh"),
    "kaiming_normal_(W1.T)": k(w1().T, nonlinearity="tanh").T,
    "nn.Linear(30, 200) default": linear.weight.detach().T,
    "lecture's fix: randn * 0.2": torch.randn(FAN_IN, FAN_OUT) * 0.2,
}
print(f"nn.Linear(30, 200).weight.shape = {tuple(linear.weight.shape)}")
print(f"{'how W1 was made':<28} | {'W1 std':>6} | {'max abs':>7} | "
      f"preact std")
print("-" * 62)
for name, w in setups.items():
    preact = x @ w
    print(f"{name:<28} | {w.std():6.4f} | {w.abs().max():7.4f} | "
          f"{preact.std():10.3f}")

bound = 1 / math.sqrt(FAN_IN)
print(f"nn.Linear bound 1/sqrt(30) = {bound:.4f}, "
      f"so std = bound/sqrt(3) = {bound / math.sqrt(3):.4f}")
print(f"fan_in read from the wrong side: (5/3)/sqrt(200) = "
      f"{gain / math.sqrt(FAN_OUT):.4f}")
print(f"0.2 * sqrt(30) = {0.2 * math.sqrt(FAN_IN):.3f}: the 0.2 fix is "
      f"a gain of about 1.1")

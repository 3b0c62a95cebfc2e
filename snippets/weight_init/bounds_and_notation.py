# Three checks on how the formulas are written down.
# 1. U(-a, a) has variance a^2/3, which turns std targets into bounds.
# 2. Glorot's normal variance is 2/(fan_in + fan_out); 1/(fan_in +
#    fan_out) disagrees with the uniform bound sqrt(6/(fan_in+fan_out)).
# 3. randn * 0.01 has std 0.01 (variance 1e-4), i.e. N(0, 0.01^2).
import math

import torch

torch.manual_seed(0)
FAN_IN, FAN_OUT = 500, 300
N = 1_000_000

print("1. U(-a, a): variance / a^2 should be 1/3 = 0.33333")
print(f"{'bound a':<29} | {'a':>7} | {'max abs':>7} | var / a^2")
print("-" * 61)
bounds = {
    "sqrt(6 / fan_in) (He)": math.sqrt(6 / FAN_IN),
    "sqrt(6 / (in + out)) (Xavier)": math.sqrt(6 / (FAN_IN + FAN_OUT)),
    "1 / sqrt(fan_in) (nn.Linear)": 1 / math.sqrt(FAN_IN),
}
for name, a in bounds.items():
    w = torch.empty(N).uniform_(-a, a)
    print(f"{name:<29} | {a:7.5f} | {w.abs().max():7.5f} | "
          f"{w.var() / a**2:.5f}")

print()
print("2. Xavier: variance implied by each written formula")
a = math.sqrt(6 / (FAN_IN + FAN_OUT))
w = torch.empty(N).uniform_(-a, a)
glorot = 2 / (FAN_IN + FAN_OUT)
loose = 1 / (FAN_IN + FAN_OUT)
print(f"uniform bound a = sqrt(6/(in+out)): var a^2/3 = {a**2 / 3:.6f},"
      f" measured {w.var():.6f}")
print(f"Glorot normal, 2/(in+out)         : var {glorot:.6f}")
print(f"loose normal,  1/(in+out)         : var {loose:.6f}"
      f" (x{glorot / loose:.0f} too small)")
print(f"LeCun, 1/fan_in (not Xavier)      : var {1 / FAN_IN:.6f}")

print()
print("3. what randn * 0.01 really is")
w = torch.randn(N) * 0.01
print(f"std {w.std():.5f}, variance {w.var():.2e}: N(0, 0.01^2)")
w = torch.randn(N) * math.sqrt(0.01)
print(f"N(0, 0.01) read as a variance: std {w.std():.5f}")

# Variance through one linear layer y = x @ W, W ~ N(0, sigma^2).
# The notes' formula Var(y) = fan_in * sigma^2 * Var(x) holds only when
# x has mean zero. In general Var(y) = fan_in * sigma^2 * E[x^2].
import torch

torch.manual_seed(0)
fan_in, sigma = 256, 0.05
W = torch.randn(fan_in, 512) * sigma
z = torch.randn(20000, fan_in)
inputs = {
    "x ~ N(0, 1)": z,
    "x ~ N(1, 1)": z + 1,
    "x = relu(N(0, 1))": torch.relu(z),
}

# Var(y) pools all 512 units and the batch: a variance over random weights
# and inputs. For one unit of this fixed W, over the batch, the variance
# misses the unit's own mean sum_j W_j E[x_j]; the second moment keeps it.
print(f"fan_in = {fan_in}, sigma = {sigma}")
print(f"{'input':<18} | {'Var(x)':>6} | {'E[x^2]':>6} | {'Var(y)':>6} "
      f"| {'n*s2*Var':>8} | {'n*s2*E2':>7} | {'unit Var':>8} | {'unit E2':>7}")
print("-" * 91)
for name, x in inputs.items():
    y = x @ W
    var_x, second = x.var().item(), (x**2).mean().item()
    print(f"{name:<18} | {var_x:6.3f} | {second:6.3f} | {y.var().item():6.3f} "
          f"| {fan_in * sigma**2 * var_x:8.3f} "
          f"| {fan_in * sigma**2 * second:7.3f} "
          f"| {y.var(0).mean().item():8.3f} | {(y**2).mean(0).mean().item():7.3f}")
print("unit Var, unit E2: each unit's variance and second moment over the "
      "batch,\naveraged over the 512 units")

# Product of two independent scalars, with nonzero means on both sides:
# Var(WX) = Var(W)Var(X) + Var(W)E[X]^2 + E[W]^2 Var(X)
n = 2_000_000
w = torch.randn(n, dtype=torch.float64) * 0.5 + 0.3   # E=0.3, Var=0.25
x = torch.randn(n, dtype=torch.float64) * 2.0 + 1.5   # E=1.5, Var=4
formula = 0.25 * 4 + 0.25 * 1.5**2 + 0.3**2 * 4
naive = 0.25 * 4
print(f"\nVar(WX) measured {(w * x).var().item():.3f}, "
      f"full formula {formula:.3f}, Var(W)Var(X) alone {naive:.3f}")

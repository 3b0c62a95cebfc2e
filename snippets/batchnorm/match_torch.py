# nn.BatchNorm1d against the four steps written out by hand, in training
# mode (batch statistics), for the running statistics, and in eval mode.
import torch
import torch.nn as nn

torch.manual_seed(0)
n, eps, momentum = 4, 1e-5, 0.1
bn = nn.BatchNorm1d(n, eps=eps, momentum=momentum)
with torch.no_grad():  # pretend training has moved gamma and beta
    bn.weight.copy_(torch.randn(n))
    bn.bias.copy_(torch.randn(n))
gamma, beta = bn.weight.detach(), bn.bias.detach()
run_mean, run_var = torch.zeros(n), torch.ones(n)
scale = torch.tensor([0.1, 1.0, 5.0, 20.0])


def by_hand(x, mu, var):
    return gamma * (x - mu) / torch.sqrt(var + eps) + beta


worst_train = 0.0
for step in range(50):
    x = torch.randn(32, n) * scale + 3.0
    m = x.shape[0]
    mu, var = x.mean(0), x.var(0, correction=0)  # biased: divide by m
    y_hand = by_hand(x, mu, var)
    y_torch = bn(x)  # training mode by default
    worst_train = max(worst_train, (y_hand - y_torch).abs().max().item())
    run_mean = (1 - momentum) * run_mean + momentum * mu
    run_var = (1 - momentum) * run_var + momentum * var * m / (m - 1)

x = torch.randn(500, n) * scale + 3.0
bn.eval()
y_eval = bn(x)
print("max |by hand - nn.BatchNorm1d|")
print(f"  train mode, 50 batches  : {worst_train:.1e}")
rel_mean = ((run_mean - bn.running_mean) / bn.running_mean).abs().max()
rel_var = ((run_var - bn.running_var) / bn.running_var).abs().max()
print(f"  running_mean (relative) : {rel_mean:.1e}")
print(f"  running_var (relative)  : {rel_var:.1e}")
print(f"  eval mode               : "
      f"{(by_hand(x, run_mean, run_var) - y_eval).abs().max():.1e}")

# Which variance goes where? One fresh layer with momentum=1 keeps
# exactly the last batch's statistics in its buffers.
x = torch.randn(8, n) * scale + 3.0
fresh = nn.BatchNorm1d(n, momentum=1.0)
y = fresh(x)
biased, unbiased = x.var(0, correction=0), x.var(0, correction=1)
ratio_u = (fresh.running_var / unbiased).tolist()
ratio_b = (fresh.running_var / biased).tolist()
print("\none batch of m = 8, fresh layer with momentum=1.0")
print(f"m/(m-1) = {8 / 7:.4f}")
print(f"{'feature':<26} | " + " | ".join(f"{f'f{j}':>6}" for j in range(n)))
print("-" * 62)
print(f"{'running_var / unbiased':<26} | "
      + " | ".join(f"{r:6.4f}" for r in ratio_u))
print(f"{'running_var / biased':<26} | "
      + " | ".join(f"{r:6.4f}" for r in ratio_b))
err_b = (y - (x - x.mean(0)) / torch.sqrt(biased + 1e-5)).abs().max()
err_u = (y - (x - x.mean(0)) / torch.sqrt(unbiased + 1e-5)).abs().max()
print(f"output vs normalising with biased var   : max err {err_b:.1e}")
print(f"output vs normalising with unbiased var : max err {err_u:.1e}")

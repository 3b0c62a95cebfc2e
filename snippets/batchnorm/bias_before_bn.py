# A bias added just before BN is subtracted again with the batch mean:
# the outputs do not change and the bias gets no gradient. BN's beta
# does the bias's job, which is why the lecture drops b1.
import torch
import torch.nn as nn

torch.manual_seed(0)
x = torch.randn(32, 30)        # a batch: 32 examples, 30 inputs
target = torch.randn(32, 200)  # something to compute a loss against

with_bias = nn.Linear(30, 200, bias=True)
no_bias = nn.Linear(30, 200, bias=False)
with torch.no_grad():
    no_bias.weight.copy_(with_bias.weight)  # same weights
    with_bias.bias.mul_(100)                # a large bias, to make sure
bn = nn.BatchNorm1d(200)

out_b = bn(with_bias(x))
out_n = bn(no_bias(x))
print(f"bias values range from {with_bias.bias.min():.1f} "
      f"to {with_bias.bias.max():.1f}")
print(f"max |BN(xW + b) - BN(xW)| = {(out_b - out_n).abs().max():.1e}")

loss = ((torch.tanh(out_b) - target) ** 2).mean()
loss.backward()
print(f"gradient norm, weight W : {with_bias.weight.grad.norm():.1e}")
print(f"gradient norm, bias b   : {with_bias.bias.grad.norm():.1e}")
print(f"gradient norm, BN beta  : {bn.bias.grad.norm():.1e}")

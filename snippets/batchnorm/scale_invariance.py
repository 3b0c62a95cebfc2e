# BN after a linear layer makes the layer blind to the scale of its
# weights: BN(X @ (a*W)) = BN(X @ W). The gradient then scales as 1/a,
# and the relative size of an SGD step as 1/a^2.
import torch
import torch.nn as nn

torch.manual_seed(0)
X = torch.randn(64, 20)
W0 = torch.randn(20, 10) / 20 ** 0.5
target = torch.randn(64, 10)
bn = nn.BatchNorm1d(10)  # training mode: batch statistics


def forward(W):
    return bn(X @ W)


def loss_and_grad(W):
    W = W.clone().requires_grad_()
    loss = ((torch.tanh(forward(W)) - target) ** 2).mean()
    loss.backward()
    return loss.item(), W.grad


_, g1 = loss_and_grad(W0)
lr = 0.1
print(f"{'a':>5} | {'max|BN(XaW)-BN(XW)|':>19} | {'loss':>6} | "
      f"{'|g(a)|/|g(1)|':>13} | {'times a':>7} | step/|W|")
print("-" * 74)
for a in (0.1, 0.5, 1.0, 2.0, 10.0):  # exact up to eps = 1e-5 in BN
    diff = (forward(a * W0) - forward(W0)).abs().max()
    loss, g = loss_and_grad(a * W0)
    ratio = (g.norm() / g1.norm()).item()
    step = (lr * g.norm() / (a * W0).norm()).item()  # relative step
    print(f"{a:5g} | {diff:19.1e} | {loss:6.4f} | {ratio:13.4f} | "
          f"{ratio * a:7.3f} | {step:.2e}")

# Each output unit's loss is unchanged by scaling its column of W, so
# the gradient of each column is orthogonal to the column itself.
cos = (W0 * g1).sum(0) / (W0.norm(dim=0) * g1.norm(dim=0))
print(f"\nlargest |cos(W column, its gradient)|: {cos.abs().max():.1e}")

# How much gradient a tanh unit passes back, depending on its input x.
# Backprop multiplies the incoming gradient by tanh'(x) = 1 - tanh(x)^2.
import torch

xs = torch.tensor([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0],
                  requires_grad=True)
torch.tanh(xs).sum().backward()

print(f"{'x':>5} | {'tanh(x)':>8} | {'tanh_prime(x)':>13} | gradient kept")
print("-" * 48)
for x, slope in zip(xs.detach(), xs.grad):
    print(f"{x:5.1f} | {torch.tanh(x):8.5f} | {slope:13.6f} | {slope:8.3%}")

# Through several saturated layers in a row the factors multiply
# (ignoring the weights in between, which can also scale the gradient up).
at_3 = xs.grad[xs.detach() == 3.0].item()
for depth in (1, 2, 3):
    print(f"{depth} saturated layer(s) at x = 3 pass on "
          f"{at_3 ** depth:.2e} of the gradient")

# In float32, tanh(x) rounds to exactly 1 for large x: the slope becomes 0.
# Beside it, the slope in float64, which is still far from rounding there.
for dtype in (torch.float32, torch.float64):
    big = torch.tensor([8.0, 9.0, 10.0], dtype=dtype, requires_grad=True)
    torch.tanh(big).sum().backward()
    name = str(dtype).removeprefix("torch.")
    for x, slope in zip(big.detach(), big.grad):
        print(f"{name} at x = {x:.0f}: tanh'(x) = {slope:.1e}")

# Every classic init scheme written by hand from its formula, then
# checked against torch.nn.init on a large matrix. The matrix has
# PyTorch's layout (out, in), so fan_in = size(1), fan_out = size(0).
import math

import torch
from torch import nn

FAN_OUT, FAN_IN = 300, 500
SHAPE = (FAN_OUT, FAN_IN)
torch.manual_seed(0)


def normal(std):
    return torch.randn(SHAPE) * std


def uniform(bound):  # U(-bound, bound)
    return (torch.rand(SHAPE) * 2 - 1) * bound


def orthogonal():
    a = torch.randn(FAN_IN, FAN_OUT)  # tall, so QR gives orthonormal
    q, r = torch.linalg.qr(a)  # columns; q is (FAN_IN, FAN_OUT)
    q = q * torch.sign(torch.diagonal(r))  # Mezzadri's sign fix
    return q.T  # (out, in): orthonormal rows


def torch_init(fn, *args, **kwargs):
    return fn(torch.empty(SHAPE), *args, **kwargs)


fans = FAN_IN + FAN_OUT
tanh_gain = nn.init.calculate_gain("tanh")
init = nn.init
schemes = {  # name: (std from the formula, hand-made, torch-made)
    "Xavier uniform": (
        math.sqrt(2 / fans), uniform(math.sqrt(6 / fans)),
        torch_init(init.xavier_uniform_)),
    "Xavier normal": (
        math.sqrt(2 / fans), normal(math.sqrt(2 / fans)),
        torch_init(init.xavier_normal_)),
    "He uniform (ReLU)": (
        math.sqrt(2 / FAN_IN), uniform(math.sqrt(6 / FAN_IN)),
        torch_init(init.kaiming_uniform_, nonlinearity="relu")),
    "He normal (ReLU)": (
        math.sqrt(2 / FAN_IN), normal(math.sqrt(2 / FAN_IN)),
        torch_init(init.kaiming_normal_, nonlinearity="relu")),
    "Kaiming normal (tanh)": (
        5 / 3 / math.sqrt(FAN_IN), normal(5 / 3 / math.sqrt(FAN_IN)),
        torch_init(init.kaiming_normal_, nonlinearity="tanh")),
    "LeCun normal": (  # torch has no lecun_: Kaiming with gain 1
        1 / math.sqrt(FAN_IN), normal(1 / math.sqrt(FAN_IN)),
        torch_init(init.kaiming_normal_, nonlinearity="linear")),
    "LeCun uniform": (
        1 / math.sqrt(FAN_IN), uniform(math.sqrt(3 / FAN_IN)),
        torch_init(init.kaiming_uniform_, nonlinearity="linear")),
    "orthogonal": (  # entries of a semi-orthogonal matrix
        1 / math.sqrt(max(SHAPE)), orthogonal(),
        torch_init(init.orthogonal_)),
    "small random (x 0.01)": (
        0.01, normal(0.01), torch_init(init.normal_, 0, 0.01)),
    "nn.Linear default": (  # U(+-1/sqrt(fan_in)), std = bound/sqrt(3)
        1 / math.sqrt(3 * FAN_IN), uniform(1 / math.sqrt(FAN_IN)),
        nn.Linear(FAN_IN, FAN_OUT).weight.detach()),
    "zero": (0.0, torch.zeros(SHAPE), torch_init(init.zeros_)),
}

print(f"weight shape {SHAPE}: fan_in = {FAN_IN}, fan_out = {FAN_OUT}")
print(f"calculate_gain('tanh') = {tanh_gain:.6f}, "
      f"equal to 5/3: {tanh_gain == 5 / 3}")
print(f"{'scheme':<22} | {'formula':>7} | {'by hand':>7} | "
      f"{'torch':>7} | match")
print("-" * 62)
for name, (std, hand, made) in schemes.items():
    ok = all(abs(w.std().item() - std) <= 0.01 * std for w in (hand, made))
    print(f"{name:<22} | {std:7.5f} | {hand.std():7.5f} | "
          f"{made.std():7.5f} | {'yes' if ok else 'NO'}")

# Where the table's rules need a caveat.
print()
w = init.orthogonal_(torch.empty(512, 128))  # widening: fan_in 128 < 512
x = torch.randn(10000, 128)
print(f"orthogonal_, (out, in) = (512, 128): entry std {w.std():.4f}, "
      f"LeCun 1/sqrt(128) = {1 / math.sqrt(128):.4f}, "
      f"1/sqrt(512) = {1 / math.sqrt(512):.4f}; "
      f"std of x @ W.T for unit x: {(x @ w.T).std():.3f}")
conv = init.kaiming_normal_(torch.empty(64, 3, 5, 5), nonlinearity="relu")
print(f"kaiming_normal_ on a conv weight (64, 3, 5, 5): std {conv.std():.4f}"
      f", sqrt(2 / (3*5*5)) = {math.sqrt(2 / 75):.4f}, "
      f"sqrt(2 / 3) = {math.sqrt(2 / 3):.4f}")
bias = nn.Linear(FAN_IN, FAN_OUT).bias.detach()
print(f"nn.Linear default bias: largest abs(b) {bias.abs().max():.4f}, "
      f"bound 1/sqrt(fan_in) = {1 / math.sqrt(FAN_IN):.4f}")
print(f"calculate_gain('sigmoid') = {nn.init.calculate_gain('sigmoid')}")

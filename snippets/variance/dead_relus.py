# He init fixes the scale of a ReLU network, not dead units.
# 1) At init, relu(a*z) = a*relu(z) for a > 0: the on/off pattern of every
#    unit is the same whatever the weight scale. Only magnitudes change.
# 2) Units die during training (large steps push their biases down until
#    they are off for every input), with He init as with any other.
import math

import torch
import torch.nn as nn

torch.manual_seed(0)
WIDTH = 128
x = torch.randn(2000, WIDTH)
Ws = [torch.randn(WIDTH, WIDTH) for _ in range(4)]


def on_off(scale):
    h, masks = x, []
    for W in Ws:
        h = torch.relu(h @ (W * scale / math.sqrt(WIDTH)))
        masks.append(h > 0)
    return masks


lecun, he = on_off(1.0), on_off(math.sqrt(2))
same = all(torch.equal(a, b) for a, b in zip(lecun, he))
print(f"same on/off pattern under 1/sqrt(n) and sqrt(2/n): {same}")
print(f"share of activations that are zero at init: "
      f"{1 - he[-1].float().mean():.1%}")

# 2) A small He-initialised ReLU regression net, three learning rates.
data_x = torch.rand(512, 2) * 4 - 2
data_y = torch.sin(data_x[:, :1] * 2) + data_x[:, 1:] ** 2


def dead_units(net):
    """Hidden units that output 0 for every input in the data."""
    with torch.no_grad():
        h, dead = data_x, 0
        for module in net[:-1]:
            h = module(h)
            if isinstance(module, nn.ReLU):
                dead += int((h.amax(dim=0) == 0).sum())
    return dead


print("\ndead units, out of 192 hidden units:")
print(f"{'SGD lr':>6} | {'dead at init':>12} | {'dead after':>10} "
      f"| final loss")
print("-" * 50)
for lr in (0.01, 0.05, 0.1):
    torch.manual_seed(1)
    layers = [nn.Linear(2, 64), nn.Linear(64, 64), nn.Linear(64, 64)]
    for layer in layers:
        nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
        nn.init.zeros_(layer.bias)
    net = nn.Sequential(layers[0], nn.ReLU(), layers[1], nn.ReLU(),
                        layers[2], nn.ReLU(), nn.Linear(64, 1))
    at_init = dead_units(net)
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    for step in range(300):
        loss = ((net(data_x) - data_y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"{lr:>6} | {at_init:>12} | {dead_units(net):>10} "
          f"| {loss.item():.3f}")

# He init fixes the scale of a ReLU network, not which units are dead.
# 1) At init, relu(a*z) = a*relu(z) for a > 0: with zero biases the on/off
#    pattern of every unit is the same whatever the weight scale. Only
#    magnitudes change. A fixed nonzero bias breaks this.
# 2) A unit that outputs 0 for every input gets no gradient through its
#    ReLU. Some are dead at init; training can revive a few or kill more.
import math
import statistics

import torch
import torch.nn as nn

torch.manual_seed(0)
WIDTH = 128
x = torch.randn(2000, WIDTH)
Ws = [torch.randn(WIDTH, WIDTH) for _ in range(4)]


def on_off(scale, bias):
    h, masks = x, []
    for W in Ws:
        h = torch.relu(h @ (W * scale / math.sqrt(WIDTH)) + bias)
        masks.append(h > 0)
    return masks


def same_pattern(bias):
    lecun, he = on_off(1.0, bias), on_off(math.sqrt(2), bias)
    return all(torch.equal(a, b) for a, b in zip(lecun, he))


print(f"same on/off pattern under 1/sqrt(n) and sqrt(2/n), zero biases: "
      f"{same_pattern(0.0)}")
print(f"same on/off pattern, biases 0.1 (not rescaled): {same_pattern(0.1)}")
print(f"share of activations that are zero at init: "
      f"{1 - on_off(math.sqrt(2), 0.0)[-1].float().mean():.1%}")

# 2) A small He-initialised ReLU regression net, three learning rates,
#    five initialisations each (seeds 0-4).
data_x = torch.rand(512, 2) * 4 - 2
data_y = torch.sin(data_x[:, :1] * 2) + data_x[:, 1:] ** 2
best_constant = ((data_y - data_y.mean()) ** 2).mean()
print(f"loss of the best constant prediction: {best_constant:.3f}")


def dead_units(net):
    """Hidden units that output 0 for every input in the data."""
    with torch.no_grad():
        h, dead = data_x, 0
        for module in net[:-1]:
            h = module(h)
            if isinstance(module, nn.ReLU):
                dead += int((h.amax(dim=0) == 0).sum())
    return dead


def train(seed, lr):
    torch.manual_seed(seed)
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
        if not math.isfinite(loss.item()):
            break  # diverged: the loss overflowed
        opt.zero_grad()
        loss.backward()
        opt.step()
    return at_init, dead_units(net), loss.item()


def spread(values, fmt, ends="d"):
    return (f"{statistics.mean(values):{fmt}} "
            f"[{min(values):{ends}}, {max(values):{ends}}]")


# Runs whose loss became non-finite (diverged) are counted, not averaged.
print("\ndead units out of 192, mean [min, max] over 5 seeds:")
print(f"{'SGD lr':>6} | {'at init':>13} | {'diverged':>8} "
      f"| {'after 300 steps':>16} | {'change':>8} | final loss")
print("-" * 86)
all_runs = {}
for lr in (0.01, 0.05, 0.1):
    runs = all_runs[lr] = [train(seed, lr) for seed in range(5)]
    init = [i for i, _, _ in runs]
    done = [(i, a, loss) for i, a, loss in runs if math.isfinite(loss)]
    after = [a for _, a, _ in done]
    change = [a - i for i, a, _ in done]
    losses = [loss for _, _, loss in done]
    moved = f"{min(change):+d}..{max(change):+d}"
    print(f"{lr:>6} | {spread(init, '.1f'):>13} | {len(runs) - len(done):>8} "
          f"| {spread(after, '.1f'):>16} "
          f"| {moved:>8} "
          f"| {spread(losses, '.3f', '.3f')}")

print("\nlr 0.05, (dead units, loss) per seed: " + ", ".join(
    f"({a}, {loss:.3f})" for _, a, loss in all_runs[0.05]))

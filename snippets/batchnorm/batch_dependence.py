# In training mode a BN output depends on the other examples in the
# batch; in eval mode it does not. A batch of one cannot be trained on.
import torch
import torch.nn as nn

torch.manual_seed(0)
bn = nn.BatchNorm1d(3)
for _ in range(200):  # fill the running statistics first
    bn(torch.randn(32, 3) * 2 + 1)

example = torch.tensor([[1.0, 2.0, -1.0]])
batch_a = torch.cat([example, torch.randn(31, 3) * 2 + 1])
batch_b = torch.cat([example, torch.randn(31, 3) * 2 + 1])


def show(name, y):
    print(f"{name:<24} | " + " | ".join(f"{v:7.4f}" for v in y.tolist()))


print(f"{'output for the example':<24} | {'f0':>7} | {'f1':>7} | {'f2':>7}")
print("-" * 53)
bn.train()
with torch.no_grad():  # keep the running statistics as they are
    bn.momentum = 0.0
    show("train, in batch A", bn(batch_a)[0])
    show("train, in batch B", bn(batch_b)[0])
    bn.eval()
    show("eval, in batch A", bn(batch_a)[0])
    show("eval, in batch B", bn(batch_b)[0])
    show("eval, alone", bn(example)[0])

# How much does the example's output wobble from batch to batch?
print(f"\n{'batch size':>10} | std of the example's train output, f0..f2")
print("-" * 55)
with torch.no_grad():
    bn.train()
    for m in (4, 16, 64, 256):
        outs = torch.stack([
            bn(torch.cat([example, torch.randn(m - 1, 3) * 2 + 1]))[0]
            for _ in range(500)])
        print(f"{m:>10} | " + " | ".join(f"{s:6.3f}"
                                          for s in outs.std(0).tolist()))

try:
    bn(example)
except ValueError as error:
    message = str(error).replace(", got", ",\n  got")
    print(f"\ntrain mode, batch of one:\nValueError: {message}")

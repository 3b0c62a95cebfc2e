# Batch normalisation written by hand: the four steps of the paper,
# plus the running statistics that replace the batch's at test time.
# A batch of m = 32 examples with n = 4 features, deliberately
# off-centre and badly scaled, goes through the layer.
import torch


class BatchNorm:
    def __init__(self, n, eps=1e-5, momentum=0.1):
        self.gamma = torch.ones(n)   # learnable scale, starts at 1
        self.beta = torch.zeros(n)   # learnable shift, starts at 0
        self.eps, self.momentum = eps, momentum
        self.run_mean, self.run_var = torch.zeros(n), torch.ones(n)
        self.training = True

    def __call__(self, x):
        if self.training:
            m = x.shape[0]
            mu = x.mean(dim=0)                     # 1: mean per feature
            var = ((x - mu) ** 2).mean(dim=0)      # 2: variance, 1/m
            a = self.momentum                      # weight of the NEW batch
            self.run_mean = (1 - a) * self.run_mean + a * mu
            # like PyTorch: the running variance is the unbiased one
            self.run_var = (1 - a) * self.run_var + a * var * m / (m - 1)
        else:
            mu, var = self.run_mean, self.run_var  # fixed statistics
        x_hat = (x - mu) / torch.sqrt(var + self.eps)  # 3: normalise
        return self.gamma * x_hat + self.beta          # 4: scale, shift


def row(name, values, fmt="8.3f"):
    cells = " | ".join(f"{v:{fmt}}" for v in values.tolist())
    print(f"{name:<18} | {cells}")


torch.manual_seed(0)
scale = torch.tensor([0.1, 1.0, 5.0, 20.0])
x = torch.randn(32, 4) * scale + 3.0
bn = BatchNorm(4)
y = bn(x)

print(f"{'per feature':<18} | " + " | ".join(f"{f'f{j}':>8}"
                                             for j in range(4)))
print("-" * 62)
row("input mean", x.mean(dim=0))
row("input std", x.std(dim=0, correction=0))
row("train: out mean", y.mean(dim=0), "8.1e")
row("train: out std", y.std(dim=0, correction=0), "8.5f")

# Train on 300 more batches from the same distribution, then evaluate.
for step in range(300):
    bn(torch.randn(32, 4) * scale + 3.0)
bn.training = False
y = bn(torch.randn(1000, 4) * scale + 3.0)  # any batch size works now
row("run_mean", bn.run_mean)
row("run_var", bn.run_var, "8.3f")
row("eval: out mean", y.mean(dim=0), "8.3f")
row("eval: out std", y.std(dim=0, correction=0), "8.3f")

# Orthogonal init by hand: QR of a Gaussian matrix, then the sign fix.
# 1. What "orthogonal" buys: every singular value is 1.
# 2. Why the sign fix: without it, Q from QR is not uniformly (Haar)
#    distributed. For a Haar 3x3 matrix, Q[0,0] is uniform on [-1, 1].
# 3. Deep linear stacks: products of orthogonal matrices stay
#    orthogonal; products of Gaussian matrices do not.
import math

import matplotlib.pyplot as plt
import torch

torch.manual_seed(0)
N = 256


def orthogonal(n, fix_signs=True):
    q, r = torch.linalg.qr(torch.randn(n, n))
    if fix_signs:  # Mezzadri (2007): multiply column j by sign(R[j, j])
        q = q * torch.sign(torch.diagonal(r))
    return q


w = orthogonal(N)
w_torch = torch.nn.init.orthogonal_(torch.empty(N, N))
x = torch.randn(1000, N)
print(f"{'check (n = 256)':<26} | {'by hand':>9} | {'torch':>9}")
print("-" * 50)
for name, f in {
    "max abs(W^T W - I)": lambda m: (m.T @ m - torch.eye(N)).abs().max(),
    "largest singular value": lambda m: torch.linalg.svdvals(m).max(),
    "smallest singular value": lambda m: torch.linalg.svdvals(m).min(),
    "Frobenius norm": lambda m: torch.linalg.norm(m),
    "max abs(norm ratio - 1)":
        lambda m: ((x @ m).norm(dim=1) / x.norm(dim=1) - 1).abs().max(),
}.items():
    print(f"{name:<26} | {f(w):9.2e} | {f(w_torch):9.2e}")
print(f"norm ratio = norm(Wx) / norm(x), 1000 random x; "
      f"sqrt(n) = {math.sqrt(N):.2f}")

# 2. 20000 random 3x3 matrices, QR with and without the sign fix.
a = torch.randn(20000, 3, 3)
q, r = torch.linalg.qr(a)
q_fixed = q * torch.sign(torch.diagonal(r, dim1=1, dim2=2)).unsqueeze(1)
print()
print("20000 QR factorisations of 3x3 Gaussian matrices (Haar: mean 0,")
print("half of Q[0,0] positive, det +1 and -1 equally often)")
print(f"{'Q from QR':<14} | {'share Q00 > 0':>13} | {'mean diag(Q)':>20}"
      f" | share det +1")
print("-" * 70)
for name, m in (("no sign fix", q), ("sign fixed", q_fixed)):
    diag = torch.diagonal(m, dim1=1, dim2=2).mean(0).tolist()
    det_plus = (torch.linalg.det(m) > 0).float().mean()
    print(f"{name:<14} | {(m[:, 0, 0] > 0).float().mean():13.1%} | "
          + " ".join(f"{d:+6.3f}" for d in diag) + f" | {det_plus:12.1%}")
# Without the fix the sign of det(Q) is fixed too, but which sign
# depends on n (LAPACK's QR is a product of Householder reflections).
shares = []
for n in (2, 3, 4, 16):
    q_n = torch.linalg.qr(torch.randn(2000, n, n))[0]
    plus = (torch.linalg.det(q_n) > 0).float().mean()
    shares.append(f"n = {n}: {plus:.0%}")
print("no sign fix, share det +1 for " + ", ".join(shares))

# 3. End-to-end matrix of a deep linear net: the product of the layers
# (float64, so that small singular values are not rounding noise).
print()
print(f"{'product of L layers':<20} | {'L':>3} | {'max sv':>8} | "
      f"{'median sv':>9} | share sv < 0.01")
print("-" * 66)
spectra = {}
for name in ("Gaussian 1/sqrt(n)", "orthogonal"):
    prod = torch.eye(N, dtype=torch.float64)
    for depth in range(1, 51):
        if name == "orthogonal":
            layer = orthogonal(N)
        else:
            layer = torch.randn(N, N) / math.sqrt(N)
        prod = prod @ layer.double()
        if depth in (1, 10, 50):
            sv = torch.linalg.svdvals(prod)
            spectra[(name, depth)] = sv
            print(f"{name:<20} | {depth:3d} | {sv.max():8.3f} | "
                  f"{sv.median():9.2e} | {(sv < 0.01).float().mean():.1%}")

fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
ax = axes[0]
bins = torch.linspace(-1, 1, 41)
ax.hist(q[:, 0, 0].numpy(), bins=bins.numpy(), density=True, alpha=0.6,
        label="QR, no sign fix")
ax.hist(q_fixed[:, 0, 0].numpy(), bins=bins.numpy(), density=True,
        histtype="step", linewidth=2, label="QR + sign fix")
ax.axhline(0.5, color="black", linestyle="--", linewidth=1,
           label="Haar: uniform, density 1/2")
ax.set_xlabel("Q[0, 0] of a random 3×3 orthogonal matrix")
ax.set_ylabel("density")
ax.set_ylim(0, 1.4)
ax.set_title("Without the sign fix, Q[0,0] < 0", fontsize=11)
ax.legend(fontsize=8, loc="upper right")

ax = axes[1]
for i, depth in enumerate((1, 10, 50)):
    sv = spectra[("Gaussian 1/sqrt(n)", depth)]
    ax.plot(sv, color=f"C{i}", label=f"Gaussian, {depth} layer(s)")
ax.plot(spectra[("orthogonal", 50)], color="black", linestyle="--",
        label="orthogonal, any depth")
ax.set_yscale("log")
ax.set_ylim(1e-10, 1e2)  # below that, float64 rounding noise
ax.set_xlabel("singular value index (largest first)")
ax.set_ylabel("singular value")
ax.set_title("End-to-end matrix of a deep linear net", fontsize=11)
ax.legend(fontsize=8, loc="lower left")
fig.suptitle("Orthogonal init: the sign fix (left), deep linear nets (right)")
fig.tight_layout()
plt.show()

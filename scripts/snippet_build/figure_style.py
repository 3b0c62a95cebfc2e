"""How snippet figures look on the site: one style, drawn for Material's light palette, then
recoloured for the dark ("slate") palette.

Backgrounds are transparent, so a figure sits on the page's own background colour. Only the
"ink" (text, axes, ticks) and "paper" (legend boxes, explicit white) colours change between
the two variants; data colours come from a cycle that reads on both backgrounds.
"""

import matplotlib as mpl
from matplotlib.collections import Collection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.colors import to_rgba

# Foreground, grid and paper colours of Material's default (light) and slate (dark) schemes.
PALETTES = {
    "light": {"ink": "#222222", "grid": "#d9d9d9", "paper": "#ffffff"},
    "dark": {"ink": "#d5d8e2", "grid": "#3d4254", "paper": "#1e2129"},
}

# Mid-luminance colours: enough contrast on white and on the dark slate background.
DATA_COLOURS = ["#3b82d6", "#f0892a", "#2aa876", "#e0525a", "#9a6bd6", "#c0902b", "#4fb3c4"]

# Snippets may also draw with plain black or white; treat them as ink and paper.
_ALIASES = {"ink": ["#000000"], "paper": ["#ffffff"]}


def apply_site_style():
    """Set rcParams for the light variant; called before a snippet runs."""
    light = PALETTES["light"]
    mpl.rcParams.update({
        "figure.figsize": (7.2, 4.0),
        "figure.dpi": 100,
        "savefig.dpi": 144,
        "figure.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.bbox": "tight",
        "savefig.pad_inches": 0.1,
        "axes.facecolor": "none",
        "axes.edgecolor": light["ink"],
        "axes.labelcolor": light["ink"],
        "axes.titlecolor": light["ink"],
        "axes.prop_cycle": mpl.cycler(color=DATA_COLOURS),
        "axes.grid": True,
        "axes.axisbelow": True,
        "grid.color": light["grid"],
        "grid.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "xtick.color": light["ink"],
        "ytick.color": light["ink"],
        "text.color": light["ink"],
        "font.size": 11,
        "legend.facecolor": light["paper"],
        "legend.edgecolor": light["grid"],
        "legend.framealpha": 0.85,
        "image.cmap": "viridis",
        # Byte-stable SVG: fixed id salt, glyphs as paths (no font needed by the browser).
        "svg.hashsalt": "activations-and-gradients",
        "svg.fonttype": "path",
    })


def _colour_map(source, target):
    """RGB triples of `source` palette roles mapped to the same roles in `target`."""
    mapping = {}
    for role in ("ink", "grid", "paper"):
        targets = [PALETTES[source][role]] + _ALIASES.get(role, [])
        for colour in targets:
            mapping[to_rgba(colour)[:3]] = to_rgba(PALETTES[target][role])[:3]
    return mapping


def _swap(colour, mapping):
    rgba = to_rgba(colour)
    new = mapping.get(tuple(round(c, 4) for c in rgba[:3]))
    return colour if new is None else (*new, rgba[3])


def recolour(fig, source="light", target="dark"):
    """Recolour a drawn figure's ink, grid and paper colours from one palette to another."""
    mapping = {tuple(round(c, 4) for c in k): v for k, v in _colour_map(source, target).items()}
    ink, grid = PALETTES[target]["ink"], PALETTES[target]["grid"]
    for ax in fig.axes:
        # Ticks are rebuilt at draw time from these settings, so set them, not the artists.
        ax.tick_params(which="both", color=ink, labelcolor=ink, grid_color=grid)
    for artist in fig.findobj():
        for role in _colour_roles(artist):
            colour = getattr(artist, "get_" + role)()
            if isinstance(colour, str) and colour in ("none", "auto"):
                continue
            if isinstance(artist, Collection):  # one colour row per item
                if len(colour):
                    getattr(artist, "set_" + role)([_swap(row, mapping) for row in colour])
            else:
                getattr(artist, "set_" + role)(_swap(colour, mapping))


def _colour_roles(artist):
    if isinstance(artist, Text):
        return ("color",)
    if isinstance(artist, Line2D):
        return ("color", "markerfacecolor", "markeredgecolor")
    if isinstance(artist, (Patch, Collection)):
        return ("facecolor", "edgecolor")
    return ()

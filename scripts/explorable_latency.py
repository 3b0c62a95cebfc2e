"""How fast an explorable repaints: from a control's input event to the frame that shows it.

docs/javascripts/explorable.js records each repaint's latency in `window.explorableLatencies`
(the input event's time stamp to just after the next animation frame, that is, once the frame
with the new drawing is produced) and, in `window.explorableDrawTimes`, the part of it spent in
its own drawing code (the rest is the browser's: waiting for the frame, style, layout, paint).
`drive` works every control of the explorables on a page from the keyboard and returns both;
`make bench` uses it, and tests/test_explorables.py it and `controls` and `press`.
"""

import statistics

# The controls of one explorable (or of every explorable on the page): how to focus each, its
# kind and label, and whether it stands at the end of its range (a step forward does nothing).
CONTROLS = """id => (id ? [document.getElementById(id)] : [...document.querySelectorAll(".explorable--live")])
    .flatMap(root => [...root.querySelectorAll(".explorable-control")].map(box => {
        const input = box.querySelector("input[type=range], select, input[type=radio]:checked");
        return {selector: input.id ? `#${input.id}` : `input[name='${input.name}']:checked`,
                kind: input.type, label: box.querySelector("label, legend").textContent,
                atEnd: input.type === "range" ? input.value === input.max
                     : input.type === "select-one" ? input.selectedIndex === input.length - 1
                     : !input.closest("label").nextElementSibling};
    }))"""


def controls(tab, element_id=None):
    """The controls of the explorable `element_id`, or of every explorable on the page."""
    return tab.evaluate(CONTROLS, element_id)


def press(tab, control, forward=True):
    """Focus a control and move it one step with an arrow key, forward or back."""
    tab.focus(control["selector"])  # a radio group: its checked radio, which the keys move
    if control["kind"] == "select-one":
        tab.keyboard.press("ArrowDown" if forward else "ArrowUp")
    else:
        tab.keyboard.press("ArrowRight" if forward else "ArrowLeft")


def drive(tab, presses=8):
    """Step every control of the page's explorables `presses` times forward, then back, one key
    press per animation frame so that each repaint is measured alone; returns the latencies
    and the drawing times (ms), one of each per change."""
    tab.wait_for_selector(".explorable--live svg")
    tab.evaluate("() => { explorableLatencies.length = 0; explorableDrawTimes.length = 0; }")
    for control in controls(tab):
        for forward in [True] * presses + [False] * presses:
            press(tab, control, forward)
            tab.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
    return tab.evaluate("() => [[...explorableLatencies], [...explorableDrawTimes]]")


def summary(latencies, draw_times):
    """'first 40.1 ms; then median 13.2 ms, worst 21.9 ms (35 changes); drawing: median 1.4 ms,
    worst 6.9 ms': the page's first change is reported apart, as it also pays for the browser's
    first run of the drawing code."""
    rest = latencies[1:] or latencies
    return (f"first {latencies[0]:.1f} ms; then median {statistics.median(rest):.1f} ms, "
            f"worst {max(rest):.1f} ms ({len(rest)} changes); drawing: median "
            f"{statistics.median(draw_times):.1f} ms, worst {max(draw_times):.1f} ms")

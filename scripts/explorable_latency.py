"""How fast an explorable repaints: from a control's input event to the frame that shows it.

docs/javascripts/explorable.js records each repaint's latency in `window.explorableLatencies`
(the input event's time stamp to just after the next animation frame, that is, once the frame
with the new drawing is produced) and, in `window.explorableDrawTimes`, the part of it spent in
its own drawing code (the rest is the browser's: waiting for the frame, style, layout, paint).
`drive` works every control of the explorables on a page from the keyboard and returns both;
`make bench` and tests/test_explorables.py use it.
"""

import statistics

# Every control of every explorable: focused, then stepped with arrow keys (forward until the
# end, then back), one key press per animation frame so that each repaint is measured alone.
CONTROLS = """() => [...document.querySelectorAll(".explorable--live")].flatMap(root =>
    [...root.querySelectorAll(".explorable-control")].map(box => {
        const input = box.querySelector("input[type=range], select, input[type=radio]:checked");
        return {id: input.id || null, name: input.name || null, kind: input.type};
    }))"""


def focus(tab, control):
    if control["id"]:
        tab.focus(f"#{control['id']}")
    else:  # a radio group: its checked radio
        tab.focus(f"input[type=radio][name='{control['name']}']:checked")


def drive(tab, presses=8):
    """Press arrow keys on every control of the page's explorables; returns the latencies and
    the drawing times (ms), one of each per change."""
    tab.wait_for_selector(".explorable--live svg")
    tab.evaluate("() => { explorableLatencies.length = 0; explorableDrawTimes.length = 0; }")
    for control in tab.evaluate(CONTROLS):
        select = control["kind"] == "select-one"
        forward, back = ("ArrowDown", "ArrowUp") if select else ("ArrowRight", "ArrowLeft")
        for key in [forward] * presses + [back] * presses:
            focus(tab, control)
            tab.keyboard.press(key)
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

"""How fast an explorable repaints: from a control's input event to the frame that shows it.

docs/javascripts/explorable.js records each repaint's latency in `window.explorableLatencies`
(the input event's time stamp to just after the next animation frame, that is, once the frame
with the new drawing is produced). `drive` works every control of the explorables on a page from
the keyboard and returns those latencies; `make bench` and tests/test_explorables.py use it.
"""

import statistics

FRAME_MS = 1000 / 60

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
    """Press arrow keys on every control of the page's explorables; returns the latencies (ms)."""
    tab.wait_for_selector(".explorable--live svg")
    tab.evaluate("() => { window.explorableLatencies.length = 0; }")
    for control in tab.evaluate(CONTROLS):
        select = control["kind"] == "select-one"
        forward, back = ("ArrowDown", "ArrowUp") if select else ("ArrowRight", "ArrowLeft")
        for key in [forward] * presses + [back] * presses:
            focus(tab, control)
            tab.keyboard.press(key)
            tab.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
    return tab.evaluate("() => [...window.explorableLatencies]")


def summary(latencies):
    """'median 3.1 ms, worst 9.8 ms (40 changes)'."""
    return (f"median {statistics.median(latencies):.1f} ms, worst {max(latencies):.1f} ms "
            f"({len(latencies)} changes)")

"""Compares a notebook executed by Jupyter with the ffnb kernel with the same notebook run by
`ffnb run --output`: every code cell must show no error, and

- exact: the same text (timings masked) and the same plots, SVG for SVG. Every exported code
  cell starts with its identity line (`#| name: data`), so any client (nbconvert sends no cell
  ids, JupyterLab sends them) runs each cell under its `ffnb run` name and draws the same numbers.
- shape: the same lines with every number masked, and the same kinds of display, each with an
  SVG: for cells run under other names (typed into a console, say), which draw other numbers.

    python3 compare_outputs.py exact|shape RUN.ipynb EXECUTED.ipynb
"""
import re
import sys

import nbformat

TIMINGS = [r"\d+ min \d+ s", r"\d+(\.\d+)? ?(ms|s)\b", r"\d+(\.\d+)? epochs/s", r"\d+(\.\d+)?(k|M)? images/s"]


def masked(text, numbers=False):
    for pattern in TIMINGS:
        text = re.sub(pattern, "<time>", text)
    if not numbers:
        return text
    # Numbers of other widths also shift the columns around them.
    return re.sub(r"[ \t]+", " ", re.sub(r"\d+(\.\d+)?", "<n>", text))


def shown(cell, exact):
    """What a cell showed: its stream text joined, then each display's text and SVG (exact),
    or whether it has a text and an SVG form (shape)."""
    text, displays = "", []
    for output in cell.get("outputs", []):
        kind = output["output_type"]
        assert kind != "error", f"cell {cell.get('id')} failed: {output.get('evalue')}"
        if kind == "stream":
            text += output["text"]
        elif kind == "display_data":
            plain, svg = output["data"].get("text/plain"), output["data"].get("image/svg+xml")
            displays.append((plain, svg) if exact else (bool(plain), svg is not None))
    return masked(text, numbers=not exact), displays


def main(mode, run_path, executed_path):
    exact = mode == "exact"
    ran = [c for c in nbformat.read(run_path, as_version=4).cells if c.cell_type == "code"]
    executed = [c for c in nbformat.read(executed_path, as_version=4).cells if c.cell_type == "code"]
    assert len(ran) == len(executed), (len(ran), len(executed))
    svgs = lines = 0
    for a, b in zip(ran, executed):
        assert a.source == b.source
        text_a, displays_a = shown(a, exact)
        text_b, displays_b = shown(b, exact)
        assert text_a == text_b, f"cell {a.metadata.get('name')}:\n--- ffnb run\n{text_a}\n--- kernel\n{text_b}"
        assert displays_a == displays_b, f"cell {a.metadata.get('name')}: displays differ"
        svgs += sum(1 for _, svg in displays_b if svg)
        lines += len(text_b.splitlines())
    assert svgs >= 3, f"only {svgs} SVG displays"
    counts = [c.execution_count for c in executed]
    assert counts == list(range(1, len(executed) + 1)), counts
    print(f"{mode}: {len(executed)} code cells show what `ffnb run` shows ({lines} lines, {svgs} SVG plots)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])

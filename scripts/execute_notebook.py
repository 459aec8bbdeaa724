"""Executes one notebook through a real Jupyter kernel and reports what happened as one JSON line.

Used by run-notebooks.ts. Unlike `jupyter nbconvert --execute`, it writes the executed copy even when
a cell fails, and it reports which cell failed and what that cell printed to stderr: the tslab kernel
sends a failing cell's error there, not in the reply.

    python3 execute_notebook.py IN.ipynb OUT.ipynb --kernel tslab --timeout 300 [--cwd DIR]

The kernel starts in --cwd (default: the folder of IN.ipynb): a copy of a notebook made elsewhere (with the
reference solutions injected) still runs where tslab finds the notebook's imports.
"""

import argparse
import json
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def stderr_of(cell):
    """The text a cell wrote to stderr (where tslab reports errors), trimmed to what a reader needs."""
    text = "".join(
        "".join(o.get("text", "")) for o in cell.get("outputs", []) if o.get("name") == "stderr"
    )
    lines = [line for line in text.splitlines() if line.strip()]
    # Lead with the error itself ("CheckFailed: Check failed: ..."), then where it came from,
    # leaving out the kernel's own frames.
    for i, line in enumerate(lines):
        if re.match(r"^\s*[A-Za-z]*(Error|Failed|Exception)\b", line):
            frames = [l for l in lines[i + 1 :] if not re.search(r"node:|tslab|evalmachine", l)]
            return "\n".join([line.strip()] + [l.strip() for l in frames[:3]])
    return "\n".join(lines[:12])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--kernel", default="tslab")
    parser.add_argument("--timeout", type=int, default=300, help="seconds one cell may take")
    parser.add_argument("--cwd", help="folder the kernel starts in (default: the notebook's)")
    args = parser.parse_args()

    nb = nbformat.read(args.source, as_version=4)
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    timings = {}
    state = {"current": None, "started": 0.0}

    def on_cell_start(cell, cell_index, **_):
        state["current"] = cell_index
        state["started"] = time.monotonic()

    def on_cell_executed(cell, cell_index, **_):
        timings[cell_index] = round(time.monotonic() - state["started"], 3)

    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        startup_timeout=120,
        allow_errors=False,
        resources={"metadata": {"path": args.cwd or os.path.dirname(os.path.abspath(args.source))}},
        on_cell_start=on_cell_start,
        on_cell_executed=on_cell_executed,
    )

    started = time.monotonic()
    report = {"ok": True, "failedCell": None, "error": None}
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        index = state["current"]
        report["ok"] = False
        report["failedCell"] = code_cells.index(index) + 1 if index in code_cells else None
        cell_text = stderr_of(nb.cells[index]) if index is not None else ""
        if isinstance(error, CellTimeoutError):
            reason = f"cell timed out after {args.timeout} s"
        elif isinstance(error, DeadKernelError):
            reason = "the kernel died"
        else:
            reason = str(error).strip().splitlines()[-1] if str(error).strip() else "cell failed"
        report["error"] = cell_text or reason
    finally:
        nbformat.write(nb, args.target)

    report.update(
        {
            "cells": len(code_cells),
            "executed": len(timings),
            "seconds": round(time.monotonic() - started, 2),
            "cellSeconds": [timings.get(i) for i in code_cells],
        }
    )
    print(json.dumps(report))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""Pairs the two daemons' figures, computes berthd/dockerd ratios, checks the issue's targets, and
writes the table (text and Markdown) and the JSON results."""

from __future__ import annotations

import json
import os
import re

from .figures import Figure

# The targets. ("ratio", op, x): berthd/dockerd must be op x; ("berthd", op, x): berthd's own value.
TARGETS: list[tuple[str, str, tuple[str, str, float]]] = [
    ("lifecycle", r"^(none|bridge): total p50$", ("ratio", "<=", 0.5)),
    ("api", r"^GET /(version|info) c=1 p50$", ("ratio", "<=", 0.05)),
    ("api", r"^GET /_ping c=\d+ throughput$", ("ratio", ">=", 2.0)),
    ("concurrency", r"^\d+x\d+ run --rm via (API|CLI)$", ("ratio", ">=", 2.0)),  # the issue: 8x10
    ("scale", r"^list all \d+ p50$", ("ratio", "<=", 0.3)),  # the issue: 1000
    ("restart", r"^start-to-ready, ", ("ratio", "<=", 0.3)),
    ("restart", r"^SIGTERM-to-exit, ", ("berthd", "<=", 15.0)),  # within shutdown-timeout
    ("restart", r"^processes alive after exit, ", ("berthd", "<=", 0.0)),  # all containers stopped
    ("memory", r"^daemon RSS idle$", ("ratio", "<=", 0.5)),
    ("events", r"^missed of \d+$", ("berthd", "<=", 0.0)),
    ("build", r"^from scratch p50$", ("ratio", "<=", 0.7)),
    ("build", r"^fully cached p50$", ("ratio", "<=", 0.3)),
    ("build", r"^\d+ MiB context: daemon peak RSS$", ("ratio", "<=", 0.5)),  # the issue: 100 MiB
]


def target_for(workload: str, name: str):
    for w, pattern, target in TARGETS:
        if w == workload and re.search(pattern, name):
            return target
    return None


def ratio(b, d):
    if b is None or d is None or d == 0:
        return None
    return b / d


ORDER = ["api", "lifecycle", "events", "concurrency", "scale", "build", "restart", "memory"]


def combine(results: dict[str, list[Figure]]) -> list[dict]:
    """One row per figure, grouped by workload, in the order figures were first measured."""
    rows: dict[tuple[str, str], dict] = {}
    for kind in ("berthd", "dockerd"):
        for f in results.get(kind, []):
            row = rows.setdefault(f.key, {"workload": f.workload, "figure": f.name, "unit": f.unit, "better": f.better,
                                          "berthd": None, "dockerd": None, "notes": {}})
            row[kind] = f.value
            if f.note:
                row["notes"][kind] = f.note
    out = []
    for row in rows.values():
        row["ratio"] = ratio(row["berthd"], row["dockerd"])
        target = target_for(row["workload"], row["figure"])
        row["target"] = _target_text(target)
        row["met"] = _met(target, row)
        out.append(row)
    out.sort(key=lambda r: ORDER.index(r["workload"]) if r["workload"] in ORDER else len(ORDER))
    return out


def _target_text(target) -> str:
    if target is None:
        return ""
    mode, op, x = target
    sym = "≤" if op == "<=" else "≥"
    return f"{sym}{x:g}" + ("" if mode == "ratio" else " (berthd)")


def _met(target, row):
    if target is None:
        return None
    mode, op, x = target
    value = row["ratio"] if mode == "ratio" else row["berthd"]
    if value is None:
        return None
    return value <= x if op == "<=" else value >= x


def fmt(v) -> str:
    if v is None:
        return "—"
    a = abs(v)
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 0.1 or a == 0:
        return f"{v:.2f}"
    return f"{v:.3f}"


def _cells(row) -> list[str]:
    mark = {True: " ✓", False: " ✗", None: ""}[row["met"]]
    notes = "; ".join(f"{k}: {v}" for k, v in row["notes"].items())
    return [row["workload"], row["figure"], row["unit"], fmt(row["berthd"]), fmt(row["dockerd"]),
            fmt(row["ratio"]), (row["target"] + mark).strip(), notes]


HEADER = ["workload", "figure", "unit", "berthd", "dockerd", "ratio", "target", "notes"]


def text_table(rows: list[dict]) -> str:
    cells = [HEADER] + [_cells(r) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEADER))]
    lines = []
    for n, c in enumerate(cells):
        lines.append("  ".join(x.ljust(widths[i]) if i < 3 or i >= 6 else x.rjust(widths[i]) for i, x in enumerate(c)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * 3 + "---:|" * 3 + "---|---|"]
    for r in rows:
        lines.append("| " + " | ".join(x.replace("|", "\\|") for x in _cells(r)) + " |")
    return "\n".join(lines)


def write(results_dir: str, meta: dict, rows: list[dict]) -> tuple[str, str]:
    os.makedirs(results_dir, exist_ok=True)
    path_json = os.path.join(results_dir, "latest.json")
    with open(path_json, "w") as f:
        json.dump({"meta": meta, "figures": rows}, f, indent=2, ensure_ascii=False)
        f.write("\n")
    path_md = os.path.join(results_dir, "latest.md")
    with open(path_md, "w") as f:
        f.write(summary_lines(meta) + "\n\n" + markdown_table(rows) + "\n")
    return path_json, path_md


def summary_lines(meta: dict) -> str:
    load = meta.get("loadavg", {})
    lines = [f"Run {meta.get('started')} ({'quick' if meta.get('quick') else 'full'}), {meta.get('duration_s', 0):.0f} s; "
             f"berthd {meta.get('berthd', {}).get('version', '?')} ({meta.get('berthd', {}).get('build', '?')} build), "
             f"dockerd {meta.get('dockerd', {}).get('version', '?')}.",
             "Load average (1/5/15 min): " + "; ".join(f"{k} {' '.join(f'{x:.2f}' for x in v)}" for k, v in load.items()) + "."]
    for kind in ("berthd", "dockerd"):
        for note in meta.get(kind, {}).get("notes", []):
            lines.append(f"{kind}: {note}")
    return "\n".join(lines)

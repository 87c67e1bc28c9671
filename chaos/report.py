"""The soak's report: a JSON document and its printed summary."""

from __future__ import annotations

from collections import Counter, defaultdict

from ledger import BERTHD_KILL, CONNECTION, Ledger, normalize
from loops import SETTLE_FOR


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, round(p / 100 * len(ordered) + 0.4999))
    return round(ordered[min(rank, len(ordered)) - 1], 3)


def failures(ledger: Ledger) -> dict:
    """Each failure is accepted only as a connection error during our kill of berthd; the rest are
    grouped by class, the down window they fell in, and their normalized message."""
    accepted, distinct = Counter(), defaultdict(lambda: {"count": 0, "ops": Counter(), "faults": Counter()})
    by_class, cleanup = Counter(), Counter()
    for f in ledger.failures:
        window = ledger.window_of(f)
        if f.cls == CONNECTION and window == BERTHD_KILL:
            accepted[normalize(f.message)] += 1
            continue
        if f.op.startswith("settle "):
            cleanup[f"[{f.cls}, {window or 'berthd up'}] {normalize(f.message)}"] += 1
            continue
        by_class[f"{f.cls} ({'during ' + window if window else 'berthd up'})"] += 1
        entry = distinct[(f.cls, window or "berthd up", normalize(f.message))]
        entry["count"] += 1
        entry["ops"][f.op] += 1
        entry["faults"][ledger.fault_before(f.start)] += 1
    rows = [{"class": c, "window": w, "message": m, "count": e["count"], "ops": dict(e["ops"]),
             "last fault before (within 30 s)": dict(e["faults"])} for (c, w, m), e in distinct.items()]
    rows.sort(key=lambda r: -r["count"])
    return {
        "accepted (connection errors while berthd was killed)": {"count": sum(accepted.values()), "messages": dict(accepted)},
        "not accepted": {"count": sum(by_class.values()), "by class": dict(by_class), "distinct": rows},
        "clean-up retries (not accepted either)": {"count": sum(cleanup.values()), "messages": dict(cleanup.most_common())},
    }


def recovery(ledger: Ledger) -> dict:
    out = {}
    kinds = sorted({r.kind for r in ledger.faults})
    for kind in kinds:
        records = [r for r in ledger.faults if r.kind == kind]
        done = [r.recovered for r in records if r.recovered is not None]
        healthy = [r.healthy for r in records if r.healthy is not None]
        out[kind] = {
            "injected": len(records), "recovered": len(done),
            "p50 s": percentile(done, 50), "p95 s": percentile(done, 95), "max s": round(max(done), 3) if done else None,
            "tree healthy p50 s": percentile(healthy, 50), "tree healthy p95 s": percentile(healthy, 95),
            "not recovered, skipped, or healed by a berthd restart": [f"{r.child}: {r.note}" for r in records if r.note and "held" not in r.note],
        }
    return out


def build(ledger: Ledger, meta: dict, objects: dict, leftovers: dict, exit_status) -> dict:
    ops = {k: {"done": n, "failed": ledger.failed_ops.get(k, 0)} for k, n in sorted(ledger.ops.items())}
    return {
        **meta,
        "operations": {"total": sum(ledger.ops.values()), "failed": sum(ledger.failed_ops.values()), "by kind": ops},
        "events seen": dict(ledger.events_seen),
        "failures": failures(ledger),
        "recovery": recovery(ledger),
        "faults": [{"t": round(r.start - ledger.started, 1), "kind": r.kind, "child": r.child,
                    "recovered s": None if r.recovered is None else round(r.recovered, 3),
                    "healthy s": None if r.healthy is None else round(r.healthy, 3), "answer": r.answer, "note": r.note}
                   for r in ledger.faults],
        "berthd down windows": [{"kind": w.kind, "t": round(w.start - ledger.started, 1),
                                 "s": None if w.end is None else round(w.end - w.start, 3), "detail": w.detail}
                                for w in ledger.windows],
        "objects": objects,
        "leftovers": leftovers,
        "final shutdown exit status": exit_status,
        "findings": ledger.findings,
    }


def render(doc: dict) -> str:
    lines = [f"chaos soak {doc['date']}: {doc['duration s']} s planned, {doc['ran s']} s ran, seed {doc['seed']}, "
             f"berthd {doc['commit']} ({doc['build']}), {doc['berthd starts']} berthd starts"]
    ops = doc["operations"]
    lines.append(f"\noperations: {ops['total']} done, {ops['failed']} failed")
    for kind, n in ops["by kind"].items():
        lines.append(f"  {kind:<42} {n['done']:>6} {('(' + str(n['failed']) + ' failed)') if n['failed'] else ''}")
    lines.append(f"events seen: {doc['events seen']}")
    acc, bad = doc["failures"]["accepted (connection errors while berthd was killed)"], doc["failures"]["not accepted"]
    lines.append(f"\nfailures accepted (connection errors while berthd was killed): {acc['count']}")
    for m, n in acc["messages"].items():
        lines.append(f"  {n:>4} × {m[:160]}")
    lines.append(f"failures not accepted: {bad['count']} {bad['by class']}")
    for r in bad["distinct"]:
        lines.append(f"  {r['count']:>4} × [{r['class']}, {r['window']}] {r['message'][:200]}")
        lines.append(f"         ops {r['ops']}; last fault before: {r['last fault before (within 30 s)']}")
    retries = doc["failures"]["clean-up retries (not accepted either)"]
    lines.append(f"failed attempts of the clients' clean-up after a failed operation (retried every second, "
                 f"up to {SETTLE_FOR:.0f} s): {retries['count']}")
    for m, n in retries["messages"].items():
        lines.append(f"  {n:>4} × {m[:200]}")
    lines.append("\nrecovery (s, from injection; hang/delay: from clearing)   n  recovered  p50  p95  max | tree healthy p50 p95")
    for kind, r in doc["recovery"].items():
        lines.append(f"  {kind:<18} {r['injected']:>4} {r['recovered']:>4}  {r['p50 s']}  {r['p95 s']}  {r['max s']}"
                     f" | {r['tree healthy p50 s']}  {r['tree healthy p95 s']}")
        for note in r["not recovered, skipped, or healed by a berthd restart"]:
            lines.append(f"      {note[:200]}")
    lines.append("\nobjects (lost / leaked / unsettled):")
    for kind, o in doc["objects"].items():
        lines.append(f"  {kind}: {o}" if not isinstance(o, dict) or "lost" not in o else
                     f"  {kind:<10} expected {o['expected']:>3}, exist {o['existing']:>3}: lost {o['lost']}, "
                     f"leaked {o['leaked']}, unsettled {o['unsettled']}")
    lines.append(f"leftovers: {doc['leftovers'] or 'none'}")
    lines.append(f"final shutdown (live-restore off) exit status: {doc['final shutdown exit status']}")
    lines.append(f"findings ({len(doc['findings'])}):")
    lines += [f"  {f[:600]}" for f in doc["findings"]]
    return "\n".join(lines)

"""Small statistics helpers (stdlib only)."""

from __future__ import annotations

import math


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile (0..100) by linear interpolation between closest ranks; None when empty."""
    if not values:
        return None
    s = sorted(values)
    if len(s) == 1:
        return s[0]
    k = (len(s) - 1) * p / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000.0


def p50_p95_ms(samples: list[float]) -> tuple[float | None, float | None]:
    """p50 and p95 of durations in seconds, in milliseconds."""
    return ms(percentile(samples, 50)), ms(percentile(samples, 95))

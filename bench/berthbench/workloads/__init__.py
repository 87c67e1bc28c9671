"""The workloads, in the order they run on each daemon (restart last: it restarts the daemon)."""

from . import api_roundtrip, build, concurrency, events, lifecycle, restart, scale

WORKLOADS = {
    "api": api_roundtrip,
    "lifecycle": lifecycle,
    "events": events,
    "concurrency": concurrency,
    "scale": scale,
    "build": build,
    "restart": restart,
}

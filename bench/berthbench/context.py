"""What a workload gets: the daemon under test, the counts for this run, and helpers."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from .api import Api
from .daemons import Daemon

FULL = {
    "wrk_seconds": 5, "wrk_connections": [1, 8, 32],
    "lifecycle_runs": 40, "cli_runs": 40, "warmup_runs": 3,
    "scale_containers": 1000, "scale_lookups": 100, "scale_list_repeats": 10,
    "event_pairs": 100,
    "concurrency_workers": 8, "concurrency_per_worker": 10,
    "restart_stopped": 200, "restart_running": 5, "restart_cycles": 5,
    "build_scratch_runs": 10, "build_cached_runs": 20,
}
QUICK = {
    "wrk_seconds": 2, "wrk_connections": [1, 8, 32],
    "lifecycle_runs": 5, "cli_runs": 5, "warmup_runs": 1,
    "scale_containers": 100, "scale_lookups": 20, "scale_list_repeats": 5,
    "event_pairs": 20,
    "concurrency_workers": 8, "concurrency_per_worker": 2,
    "restart_stopped": 20, "restart_running": 5, "restart_cycles": 2,
    "build_scratch_runs": 2, "build_cached_runs": 3,
}


@dataclass
class Context:
    daemon: Daemon
    counts: dict
    workdir: str
    docker_cli: str = "docker"
    messages: list[str] = field(default_factory=list)

    def api(self, timeout: float = 60.0) -> Api:
        return Api(self.daemon.sock, timeout=timeout)

    def docker_env(self) -> dict:
        env = {k: v for k, v in os.environ.items()
               if k not in ("DOCKER_CONTEXT", "DOCKER_API_VERSION", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH")}
        env["DOCKER_HOST"] = f"unix://{self.daemon.sock}"
        env["DOCKER_CONFIG"] = os.path.join(self.workdir, "docker-config")
        return env

    def log(self, text: str):
        print(f"  [{self.daemon.kind} {time.strftime('%H:%M:%S')}] {text}", flush=True)

    def note(self, text: str):
        self.messages.append(text)
        self.log("note: " + text)

"""A figure: one number a workload measured on one daemon."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class Figure:
    workload: str
    name: str
    unit: str
    better: str  # "lower", "higher", or "" (information only)
    value: float | None
    note: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.workload, self.name

    def to_json(self) -> dict:
        return asdict(self)

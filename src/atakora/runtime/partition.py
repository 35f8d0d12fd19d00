"""Partition key paths such as ``/id``, ``/category`` or ``/address/country``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

PartitionValue = str | int | float | bool


class Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = Missing()
"""Returned by :meth:`PartitionKeyPath.value_of` when the item has no value at the path."""


@dataclass(frozen=True)
class PartitionKeyPath:
    """A parsed Cosmos partition key path; build it with :meth:`parse`."""

    path: str
    segments: tuple[str, ...]

    @classmethod
    def parse(cls, path: str) -> PartitionKeyPath:
        """Parse ``'/a'`` or ``'/a/b'``; raises ValueError for anything else."""
        segments = tuple(path.split("/")[1:]) if path.startswith("/") else ()
        if not segments or any(not s or '"' in s or "\\" in s for s in segments):
            raise ValueError(f"partition key path {path!r} must look like '/field' or '/field/nested'")
        return cls(path=path, segments=segments)

    @property
    def is_id(self) -> bool:
        """True when items are partitioned by their own id (``/id``)."""
        return self.segments == ("id",)

    @property
    def field_name(self) -> str | None:
        """The top-level field name for single-segment paths (usable as a query parameter)."""
        return self.segments[0] if len(self.segments) == 1 else None

    def value_of(self, item: Mapping[str, Any]) -> PartitionValue | Missing:
        """Return the item's partition value, or ``MISSING`` when absent or not a scalar."""
        current: Any = item
        for segment in self.segments:
            if not isinstance(current, Mapping) or segment not in current:
                return MISSING
            current = current[segment]
        if isinstance(current, (str, int, float, bool)):
            return current
        return MISSING

    def cosmos_expression(self, alias: str = "c") -> str:
        """Return the SQL property expression, e.g. ``c["address"]["country"]``."""
        return alias + "".join(f"[{json.dumps(s)}]" for s in self.segments)


def encode_partition_value(value: PartitionValue) -> str:
    """Encode a partition value so that ``5`` and ``"5"`` stay distinct (JSON text)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, separators=(",", ":"))

"""The usage profile an estimate assumes: stated defaults per API, overridable from a TOML file.

```toml
[defaults]                 # every API (component) unless it has its own table
requests_per_month = 1_000_000
avg_ru_per_request = 5
stored_gb = 2
avg_duration_ms = 150      # one function execution per request
log_gb_per_month = 0.5
storage_gb = 0.1           # blob data per component in the host storage account

[components.OrderApi]      # one API's own figures
requests_per_month = 20_000_000

[prices]                   # override list prices (see atakora.backend.cost.prices)
cosmos_manual_per_100rus_hour = 0.008
```
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ...errors import ConfigurationError
from .prices import DEFAULT_PRICES, PriceTable, is_amount

__all__ = ["ApiUsage", "UsageProfile", "current_usage", "load_usage", "usage_from_mapping", "use_usage"]


@dataclass(frozen=True)
class ApiUsage:
    """What one API (component) does in a month."""

    requests_per_month: float = 100_000
    """Requests served (each is one function execution and one Cosmos DB operation)."""
    avg_ru_per_request: float = 5
    """Request units per request (a 1 KB point read is 1 RU, a write about 5-10)."""
    stored_gb: float = 1
    """Cosmos DB data + index stored."""
    avg_duration_ms: float = 200
    """Function execution time per request."""
    log_gb_per_month: float = 0.2
    """Log Analytics / Application Insights data ingested."""
    storage_gb: float = 0.1
    """Blob data kept in the host storage account (deployment package, logs)."""


@dataclass(frozen=True)
class UsageProfile:
    """Defaults for every API, per-API overrides and the price table."""

    defaults: ApiUsage = ApiUsage()
    components: dict[str, ApiUsage] = field(default_factory=dict)
    prices: PriceTable = DEFAULT_PRICES
    source: str = "built-in defaults"

    def for_component(self, component_id: str) -> ApiUsage:
        """The figures of one component (its own table, else the defaults)."""
        return self.components.get(component_id, self.defaults)


def _api_usage(base: ApiUsage, table: Any, where: str) -> ApiUsage:
    if not isinstance(table, dict):
        raise ConfigurationError(f"{where} must be a table, got {table!r}", field=where, path=where,
                                 fix="write it as [section] with key = number lines")
    names = {f.name for f in fields(ApiUsage)}
    changes: dict[str, float] = {}
    for key, value in table.items():
        if key not in names:
            raise ConfigurationError(f"{where}: unknown usage field {key!r}", field=f"{where}.{key}", path=where,
                                     fix=f"use one of: {', '.join(sorted(names))}")
        if not is_amount(value):
            raise ConfigurationError(f"{where}.{key} must be a finite number >= 0, got {value!r}", field=f"{where}.{key}",
                                     path=where, fix=f"{key} = {getattr(base, key)}")
        changes[key] = float(value)
    return replace(base, **changes)


def usage_from_mapping(data: dict[str, Any], source: str = "usage") -> UsageProfile:
    """A profile from parsed TOML: ``[defaults]``, ``[components.<id>]``, ``[prices]``."""
    unknown = sorted(set(data) - {"defaults", "components", "prices"})
    if unknown:
        raise ConfigurationError(f"{source}: unknown section(s) {', '.join(unknown)}", field=unknown[0], path=source,
                                 fix="use [defaults], [components.<ComponentId>] and [prices]")
    defaults = _api_usage(ApiUsage(), data.get("defaults", {}), f"{source} [defaults]")
    components_table = data.get("components", {})
    if not isinstance(components_table, dict):
        raise ConfigurationError(f"{source}: components must be tables [components.<ComponentId>]",
                                 field="components", path=source, fix="[components.UserApi]")
    components = {cid: _api_usage(defaults, table, f"{source} [components.{cid}]")
                  for cid, table in components_table.items()}
    prices_table = data.get("prices", {})
    if not isinstance(prices_table, dict):
        raise ConfigurationError(f"{source}: prices must be a table", field="prices", path=source, fix="[prices]")
    prices = DEFAULT_PRICES.with_overrides(prices_table, f"{source} [prices]")
    return UsageProfile(defaults, components, prices, source)


def load_usage(path: Path) -> UsageProfile:
    """Read a usage TOML file; a missing or malformed file is a ConfigurationError naming it."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigurationError(f"usage file {path} does not exist", field="--usage", path=str(path),
                                 fix="pass the path of a TOML file with a [defaults] table") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"usage file {path} is not valid TOML: {exc}", field="--usage", path=str(path),
                                 fix="check the file with a TOML linter") from None
    except UnicodeDecodeError as exc:
        raise ConfigurationError(f"usage file {path} is not UTF-8 text ({exc.reason} at byte {exc.start})",
                                 field="--usage", path=str(path), fix="save the file as UTF-8 TOML") from None
    except OSError as exc:
        raise ConfigurationError(f"usage file {path} cannot be read: {exc.strerror or exc}", field="--usage",
                                 path=str(path), fix="pass the path of a readable TOML file (not a directory)") from None
    return usage_from_mapping(data, str(path))


_ACTIVE: ContextVar[UsageProfile | None] = ContextVar("atakora_usage", default=None)


@contextmanager
def use_usage(profile: UsageProfile) -> Iterator[UsageProfile]:
    """Plan with ``profile`` inside the block (``atakora synth/plan --usage`` wraps the program in it).

    The plan reads its stored GB per component for Azure's minimum RU/s of shared databases.
    """
    token = _ACTIVE.set(profile)
    try:
        yield profile
    finally:
        _ACTIVE.reset(token)


def current_usage() -> UsageProfile:
    """The profile of the enclosing ``use_usage`` block, else the built-in defaults."""
    return _ACTIVE.get() or UsageProfile()

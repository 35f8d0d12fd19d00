"""The language versions Azure Functions runs, per runtime and plan: one table, checked on 2026-12-02.

Generally available versions on Functions 4.x (previews are left out):
https://learn.microsoft.com/azure/azure-functions/supported-languages (.NET 10/9/8, Java 21/17/11/8,
Node.js 22/20, PowerShell 7.4, Python 3.10-3.14; Python 3.14 GA in July 2026, see
https://github.com/Azure/azure-functions-python-worker/issues/1701).
Flex Consumption runs .NET isolated 8.0, 9.0 and 10.0 (``Get-AzFunctionAppFlexConsumptionRuntime``,
https://learn.microsoft.com/powershell/module/az.functions/get-azfunctionappflexconsumptionruntime)
and Python 3.10-3.14. The Linux Consumption plan (Y1 on Linux) gets no new language versions:
it stops at Python 3.12, Node.js 22, Java 21 and .NET 9
(https://learn.microsoft.com/azure/azure-functions/functions-versions).
"""

from __future__ import annotations

__all__ = ["CHECKED_ON", "DEFAULT_VERSIONS", "RUNTIME_VERSIONS", "runtime_version_problem", "supported_versions"]

CHECKED_ON = "2026-12-02"

RUNTIME_VERSIONS: dict[str, tuple[str, ...]] = {
    "python": ("3.10", "3.11", "3.12", "3.13", "3.14"),
    "node": ("20", "22"),
    "dotnet-isolated": ("8.0", "9.0", "10.0"),
    "java": ("8", "11", "17", "21"),
    "powershell": ("7.4",),
}
"""Generally available versions of each runtime on Functions 4.x."""

_LINUX_CONSUMPTION: dict[str, tuple[str, ...]] = {
    "python": ("3.10", "3.11", "3.12"),
    "node": ("20", "22"),
    "dotnet-isolated": ("8.0", "9.0"),
    "java": ("8", "11", "17", "21"),
    "powershell": ("7.4",),
}

DEFAULT_VERSIONS: dict[str, str] = {"python": "3.11", "node": "20", "dotnet-isolated": "8.0", "java": "17",
                                    "powershell": "7.4"}
"""The version a runtime gets when none is given."""


def supported_versions(runtime: str, sku: str | None = None, *, linux: bool = True) -> tuple[str, ...]:
    """The versions of ``runtime`` a plan of ``sku`` runs (all GA versions when the plan is not known)."""
    if sku == "Y1" and linux:
        return _LINUX_CONSUMPTION.get(runtime, ())
    return RUNTIME_VERSIONS.get(runtime, ())


def runtime_version_problem(runtime: str, version: str, sku: str | None = None, *, linux: bool = True) -> str | None:
    """Why ``runtime`` ``version`` cannot run on a ``sku`` plan, or None when it can."""
    allowed = supported_versions(runtime, sku, linux=linux)
    if version in allowed:
        return None
    where = " on the Linux Consumption plan (Y1)" if sku == "Y1" and linux else ""
    return (f"{runtime} {version!r} is not a version Azure Functions runs{where} (as of {CHECKED_ON}); "
            f"allowed: {', '.join(allowed)}")

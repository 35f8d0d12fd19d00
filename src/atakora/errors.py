"""One exception hierarchy for atakora: every error says where it happened and how to fix it."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AssemblyFileError",
    "AtakoraError",
    "ConfigurationError",
    "ConstructError",
    "ExpressionError",
    "MergeConflictError",
    "NamingError",
    "ProviderError",
    "ResourceLimitError",
    "SynthesisError",
    "TemplateLimitError",
    "ValidationError",
]


class AtakoraError(Exception):
    """Base of every error atakora raises on purpose.

    ``path`` is the construct path the error belongs to (empty when none applies), ``field`` the
    argument or setting at fault, and ``fix`` says what to change; path and fix are part of the message.
    """

    location: str = ""
    """Where in the user's program the error was raised (``app.py line 12``), when known."""

    def __init__(self, message: str, *, path: str = "", fix: str = "", field: str = "") -> None:
        self.path = path
        self.fix = fix
        self.field = field
        self.detail = message
        text = f"[{path}] {message}" if path else message
        if fix:
            text = f"{text}\n  Fix: {fix}"
        super().__init__(text)


class AssemblyFileError(AtakoraError):
    """A file of an assembly written earlier (manifest, template, plan.json) is unreadable or malformed.

    It is about the file, not the program: the CLI does not point at a line of the program.
    """

    def __init__(self, file: object, problem: str) -> None:
        super().__init__(f"the previous assembly's {file} is malformed: {problem}", field=str(file),
                         fix="synthesize again into an empty directory, or restore the file from the assembly you "
                             "deployed (deleting it makes atakora treat everything as new)")


class ConstructError(AtakoraError):
    """The construct tree was misused (duplicate ids, a locked tree, a wrong scope)."""


class ExpressionError(AtakoraError):
    """An ARM expression was used where it cannot be, or cannot be rendered."""


class NamingError(AtakoraError):
    """A resource name breaks the naming rules of its Azure resource type."""

    def __init__(self, message: str, *, resource_type: str, name: str, path: str = "", fix: str = "",
                 field: str = "name") -> None:
        self.resource_type = resource_type
        self.name = name
        super().__init__(message, path=path, fix=fix, field=field)


class ConfigurationError(AtakoraError):
    """A component, backend or resource was given a configuration value it cannot accept."""

    def __init__(self, message: str, *, field: str = "", path: str = "", fix: str = "") -> None:
        super().__init__(message, path=path, fix=fix, field=field)


class ValidationError(AtakoraError):
    """Validation found one or more problems; ``errors`` lists every one of them."""

    def __init__(self, errors: Sequence[str], *, what: str = "validation", path: str = "", field: str = "",
                 fix: str = "each error above says what to change") -> None:
        self.errors = list(errors)
        listing = "\n".join(f"  - {e}" for e in self.errors)
        super().__init__(f"{what} failed with {len(self.errors)} error(s):\n{listing}", path=path, fix=fix,
                         field=field)


class MergeConflictError(AtakoraError):
    """Requirements that must share one resource disagree and no priority decides."""


class ResourceLimitError(AtakoraError):
    """A configured resource limit would be exceeded; says the limit, the demand and the ways out."""

    def __init__(self, message: str, *, limit_name: str, limit: int, requested: int, solutions: Sequence[str]) -> None:
        self.limit_name = limit_name
        self.limit = limit
        self.requested = requested
        self.solutions = list(solutions)
        ways = "\n".join(f"    {i}. {s}" for i, s in enumerate(self.solutions, 1))
        super().__init__(f"{message}\n  Limit: {limit}\n  Requested: {requested}\n  Solution: Either:\n{ways}")


class ProviderError(AtakoraError):
    """No provider can serve a requirement, or a provider failed."""


class SynthesisError(AtakoraError):
    """Synthesis could not produce or write the cloud assembly."""


class TemplateLimitError(SynthesisError):
    """A template would exceed an Azure Resource Manager limit."""

    def __init__(self, message: str, *, stack: str, limit_name: str, limit: int, actual: int, fix: str) -> None:
        self.stack = stack
        self.limit_name = limit_name
        self.limit = limit
        self.actual = actual
        super().__init__(f"{message} ({limit_name}: {actual} > {limit})", path=stack, fix=fix)

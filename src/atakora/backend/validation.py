"""The result of validating a backend or a merged requirement."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ValidationResult"]


@dataclass(frozen=True)
class ValidationResult:
    """``valid`` is True when there are no errors; warnings never make it invalid."""

    valid: bool = True
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, errors: list[str] | None = None, warnings: list[str] | None = None) -> ValidationResult:
        """A result whose validity follows from ``errors``."""
        return cls(valid=not errors, errors=list(errors or []), warnings=list(warnings or []))

    def __add__(self, other: ValidationResult) -> ValidationResult:
        return ValidationResult.of(self.errors + other.errors, self.warnings + other.warnings)

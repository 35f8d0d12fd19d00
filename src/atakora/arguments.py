"""Argument validation at the public entry points: one mechanism for every constructor and ``define``.

Decorate an entry point with ``@validated``: its type annotations are the contract. A wrong type,
an unknown or missing keyword becomes a ``ConfigurationError`` naming the construct path, the
field, what was given, what is allowed (a did-you-mean for keywords) and the fix. Validation is
pydantic's ``validate_call`` in strict mode (``True`` is not an int, ``'5'`` is not a number,
``'abc'`` is not a list of strings), built once per entry point on its first call.

Adding an option to a component is adding an annotated keyword parameter; nothing else is needed
for its type to be checked. Pydantic models (``BackendConfig`` and friends) convert their own
errors with ``configuration_error``.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar, cast

from .errors import ConfigurationError

__all__ = ["closest", "configuration_error", "did_you_mean", "options", "shown", "validated", "validating"]

F = TypeVar("F", bound=Callable[..., Any])

_PATH_OWNERS = ("scope", "stack")
_CONSTRAINTS = frozenset({"greater_than", "greater_than_equal", "less_than", "less_than_equal", "multiple_of",
                          "too_short", "too_long", "string_too_short", "string_too_long", "string_pattern_mismatch",
                          "finite_number"})


def shown(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def closest(name: str, allowed: Iterable[str]) -> str | None:
    """The allowed name closest to ``name`` (case and underscores ignored first), if one is close."""
    choices = list(allowed)
    lowered = {c.lower().replace("_", ""): c for c in choices}
    return lowered.get(name.lower().replace("_", "")) or next(iter(difflib.get_close_matches(name, choices, 1, 0.6)),
                                                              None)


def did_you_mean(name: str, allowed: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest allowed name, else ''."""
    close = closest(name, allowed)
    return f" (did you mean {close!r}?)" if close else ""


def _describe_type(annotation: Any) -> str:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", repr(annotation))
    return str(text).replace("collections.abc.", "").replace("typing.", "")


def configuration_error(error: Any, *, path: str, what: str, fields: Mapping[str, Any],
                        owners: Mapping[str, Mapping[str, Any]] | None = None) -> ConfigurationError:
    """A ``ConfigurationError`` from a pydantic ``ValidationError``.

    ``fields`` maps each accepted name to its annotation (for 'allowed'); ``owners`` maps a dotted
    prefix (``'monitoring'``) to the fields of the nested model it names.
    """
    problems: list[str] = []
    fixes: list[str] = []
    first = ""
    items = error.errors(include_url=False) if hasattr(error, "errors") else error
    for item in items:
        loc = [str(p) for p in item["loc"]]
        field = ".".join(loc)
        first = first or field
        kind = item["type"]
        owner = ".".join(loc[:-1])
        known = (owners or {}).get(owner, fields) if owner else fields
        if kind in ("unexpected_keyword_argument", "extra_forbidden"):
            keywords = [k for k in known if k not in ("scope", "id", "stack")]
            close = closest(loc[-1], keywords)
            hint = f" (did you mean {close!r}?)" if close else ""
            problems.append(f"unknown field {field!r}{hint}; allowed: {', '.join(keywords)}")
            fixes.append(f"remove {field!r}" + (f" or use {close!r}" if close else ""))
        elif kind in ("missing_keyword_only_argument", "missing_argument", "missing"):
            expected = _describe_type(known.get(loc[-1], "a value"))
            problems.append(f"{field} is required ({expected})")
            fixes.append(f"pass {field}=")
        elif kind == "unexpected_positional_argument":
            problems.append(f"{what} takes its options as keywords; got an extra positional argument "
                            f"{shown(item.get('input'))}")
            fixes.append("pass options by name, for example priority=10")
        elif kind in ("value_error", "assertion_error"):
            text = str(item["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
            named = text.split(": ", 1)[0]
            if not field and named in known:  # a whole-model check names its field first ('tags: ...')
                field, text = named, text.split(": ", 1)[1]
                first = first or field
            problems.append(f"{field or 'value'}: {text} (given {shown(item.get('input'))})")
            fixes.append(f"change {field or 'the value'} as the message says")
        else:
            top = loc[0] if loc and owner not in (owners or {}) else loc[-1] if loc else ""
            expected = _describe_type(known.get(top, "")) if top in known else ""
            where = field if len(loc) < 2 or owner in (owners or {}) else loc[0] + "".join(f"[{p!r}]" if not p.isdigit()
                                                                                          else f"[{p}]" for p in loc[1:])
            allowed = f"; allowed: {expected}" if expected else ""
            problems.append(f"{where}: {item['msg'][0].lower()}{item['msg'][1:]} (given {shown(item.get('input'))}"
                            f"{allowed})")
            if kind in _CONSTRAINTS:
                fixes.append(f"set {field} " + str(item["msg"]).replace("Input should", "so that it should")
                             .replace("Input should be", "so that it is"))
            else:
                fixes.append(f"pass {top or field} as {expected or 'the type named above'}")
            if owner not in (owners or {}) and len(loc) > 1:
                first = first if first != field else loc[0]
    message = f"invalid arguments to {what}:\n    " + "\n    ".join(problems) if len(problems) > 1 else (
        f"invalid argument to {what}: {problems[0]}")
    return ConfigurationError(message, field=first, path=path, fix="; ".join(dict.fromkeys(fixes)))


_depth = [0]


@contextlib.contextmanager
def validating() -> Iterator[bool]:
    """A validation scope; yields True when inside another one.

    Models that describe their own errors (``BackendConfig(...)``) do so only outermost: inside an
    entry point's or an outer model's validation they raise pydantic's error, which the outer one
    describes with the field's whole path.
    """
    _depth[0] += 1
    try:
        yield _depth[0] > 1
    finally:
        _depth[0] -= 1


def _path(arguments: Mapping[str, Any], qualname: str) -> str:
    identifier = arguments.get("id")
    ident = identifier if isinstance(identifier, str) else ""
    for owner in _PATH_OWNERS:
        node = getattr(arguments.get(owner), "node", None)
        parent = getattr(node, "path", None)
        if isinstance(parent, str):
            return "/".join(p for p in (parent, ident) if p) or qualname
    return ident or qualname


def validated(func: F) -> F:
    """Check the arguments of ``func`` against its annotations before it runs (strict types).

    Put it under ``@classmethod``. The path in errors is ``scope``'s path plus ``id`` (constructors)
    or ``id`` (``define``), else the function's qualified name.
    """
    signature = inspect.signature(func)
    owner_name = func.__qualname__.split(".")[0]
    what = func.__qualname__.replace(".__init__", "")
    checker: list[Callable[..., Any]] = []

    def check(*args: Any, **kwargs: Any) -> None:
        from pydantic import ConfigDict, ValidationError, validate_call

        if not checker:
            strict = validate_call(config=ConfigDict(strict=True, arbitrary_types_allowed=True), validate_return=False)
            checker.append(strict(_annotated_only(func)))
        try:
            with validating():
                checker[0](*args, **kwargs)
        except ValidationError as error:
            try:
                bound = signature.bind_partial(*args, **{k: v for k, v in kwargs.items() if k in signature.parameters})
                arguments: Mapping[str, Any] = bound.arguments
            except TypeError:
                arguments = kwargs
            fields = {n: p.annotation for n, p in signature.parameters.items()
                      if n not in ("self", "cls") and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}
            names = list(signature.parameters)
            raise configuration_error(_Positional(error, names), path=_path(arguments, owner_name), what=what,
                                      fields=fields) from None

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        check(*args, **kwargs)
        return func(*args, **kwargs)

    return cast("F", wrapper)


def _annotated_only(func: Callable[..., Any]) -> Callable[..., None]:
    """A function with ``func``'s signature, its annotations resolved, that does nothing."""
    import typing

    hints = typing.get_type_hints(func)
    hints.pop("return", None)

    def shadow(*args: Any, **kwargs: Any) -> None:
        return None

    parameters = [p.replace(annotation=hints.get(p.name, Any)) for p in inspect.signature(func).parameters.values()]
    shadow.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    shadow.__annotations__ = {p.name: p.annotation for p in parameters}
    shadow.__qualname__ = func.__qualname__
    return shadow


@functools.cache
def _options_model(kind: type[Any]) -> Any:
    import dataclasses
    import typing

    from pydantic import ConfigDict, create_model

    hints = typing.get_type_hints(kind)
    fields: dict[str, Any] = {}
    for item in dataclasses.fields(kind):
        default = item.default if item.default is not dataclasses.MISSING else (
            item.default_factory() if item.default_factory is not dataclasses.MISSING else ...)
        fields[item.name] = (hints[item.name], default)
    return create_model(f"{kind.__name__}Options", __config__=ConfigDict(strict=True, extra="forbid",
                                                                        arbitrary_types_allowed=True), **fields)


T = TypeVar("T")


def options(kind: type[T], value: T | Mapping[str, Any] | None, *, field: str, path: str) -> T | None:
    """A sub-config dataclass (``CacheConfig``) from itself or a mapping of its fields, checked strictly."""
    from pydantic import ValidationError

    if value is None or isinstance(value, kind):
        return value
    model = _options_model(cast("Any", kind))
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"{field} must be a {kind.__name__} or a mapping of its fields, not {shown(value)}",
                                 field=field, path=path,
                                 fix=f"pass {field}={{...}} with some of: {', '.join(model.model_fields)}")
    try:
        checked = model.model_validate(dict(value))
    except ValidationError as error:
        raise _nested(configuration_error(error, path=path, what=field, fields={
            n: f.annotation for n, f in model.model_fields.items()}), field) from None
    return kind(**{name: getattr(checked, name) for name in model.model_fields})


def _nested(error: ConfigurationError, field: str) -> ConfigurationError:
    return ConfigurationError(error.detail, field=f"{field}.{error.field}" if error.field else field,
                              path=error.path, fix=error.fix)


class _Positional:
    """A pydantic error whose positional locations (argument indexes) read as parameter names."""

    def __init__(self, error: Any, names: list[str]) -> None:
        self.error = error
        self.names = names

    def errors(self, include_url: bool = False) -> list[dict[str, Any]]:
        out = []
        for item in self.error.errors(include_url=include_url):
            loc = item["loc"]
            if loc and isinstance(loc[0], int) and item["type"] != "unexpected_positional_argument" \
                    and loc[0] < len(self.names):
                item = {**item, "loc": (self.names[loc[0]], *loc[1:])}
            out.append(item)
        return out

"""Validated, frozen configuration models that check well-formed input without importing pydantic.

A model declares its fields with annotations and ``field(...)`` constraints, its checks with
``@before``/``@after`` (per field) and ``@model_check`` (the whole model). Input whose every value
already has its field's type (or is a list for a tuple, an int for a float, a dict for a nested
model) is checked here, in plain Python. Anything else, and anything a check refuses, is validated
by a pydantic model built from the same declaration on first need: its coercions and its errors are
pydantic's, and the result is converted back. So the common path costs no pydantic import and no
schema build, and every other path behaves exactly as a pydantic model would.
"""

from __future__ import annotations

import dataclasses
import inspect
import threading
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar, TypeVar

__all__ = ["ConfigModel", "after", "before", "convert", "field", "is_pydantic_error", "model_check"]

_MISSING: Any = object()
M = TypeVar("M", bound="ConfigModel")
Convert = Callable[[Any], Any]


class _Slow(Exception):
    """The quick path cannot decide this input: pydantic validates it."""


@dataclasses.dataclass(frozen=True)
class _Field:
    default: Any = _MISSING
    default_factory: Callable[[], Any] | None = None
    ge: float | None = None
    le: float | None = None
    gt: float | None = None
    multiple_of: int | None = None
    description: str | None = None

    def constraints(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ("ge", "le", "gt", "multiple_of") if getattr(self, name) is not None}


def field(default: Any = _MISSING, *, default_factory: Callable[[], Any] | None = None, ge: float | None = None,
          le: float | None = None, gt: float | None = None, multiple_of: int | None = None,
          description: str | None = None) -> Any:
    """A field's default and numeric constraints (pydantic's ``Field`` arguments of the same names)."""
    return _Field(default, default_factory, ge, le, gt, multiple_of, description)


@dataclasses.dataclass(frozen=True)
class _Validator:
    function: Callable[..., Any]
    names: tuple[str, ...]
    mode: str
    takes_info: bool = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "takes_info", len(inspect.signature(self.function).parameters) > 1)

    def __call__(self, value: Any, name: str) -> Any:
        return self.function(value, _Info(name)) if self.takes_info else self.function(value)


@dataclasses.dataclass(frozen=True)
class _Info:
    """What a field check with a second parameter receives (pydantic's ``info.field_name``)."""

    field_name: str


@dataclasses.dataclass(frozen=True)
class _ModelCheck:
    function: Callable[[Any], None]


def before(*names: str) -> Callable[[Callable[..., Any]], Any]:
    """A check of the raw values of ``names``, run before their types are checked; returns the value to use."""
    return lambda function: _Validator(function, names, "before")


def after(*names: str) -> Callable[[Callable[..., Any]], Any]:
    """A check of the typed values of ``names``; returns the value to keep or raises ValueError."""
    return lambda function: _Validator(function, names, "after")


def model_check(function: Callable[[Any], None]) -> Any:
    """A check of the whole model once its fields are valid; raises ValueError."""
    return _ModelCheck(function)


@dataclasses.dataclass
class _Spec:
    """A model's fields, checks and quick converters (converters made on its first instance)."""

    fields: dict[str, _Field]
    validators: list[_Validator]
    checks: list[Callable[[Any], None]]
    hints: dict[str, Any] | None = None
    converters: dict[str, Convert] | None = None
    befores: dict[str, list[_Validator]] = dataclasses.field(default_factory=dict)
    afters: dict[str, list[_Validator]] = dataclasses.field(default_factory=dict)


class ConfigModel:
    """A frozen model; ``Model(**fields)`` validates, unknown fields are refused."""

    _model_spec: ClassVar[_Spec]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields: dict[str, _Field] = {}
        validators: list[_Validator] = []
        checks: list[Callable[[Any], None]] = []
        for base in reversed(cls.__bases__):
            inherited = getattr(base, "_model_spec", None)
            if inherited is not None:
                fields.update(inherited.fields)
                validators.extend(inherited.validators)
                checks.extend(inherited.checks)
        for name, annotation in inspect.get_annotations(cls).items():
            if "ClassVar" in str(annotation):
                continue
            declared = cls.__dict__.get(name, _MISSING)
            fields[name] = declared if isinstance(declared, _Field) else _Field(default=declared)
        for member in cls.__dict__.values():
            if isinstance(member, _Validator):
                validators.append(member)
            elif isinstance(member, _ModelCheck):
                checks.append(member.function)
        for name in fields:
            if name in cls.__dict__:
                delattr(cls, name)
        spec = _Spec(fields, validators, checks)
        for validator in validators:
            side = spec.befores if validator.mode == "before" else spec.afters
            for name in validator.names:
                side.setdefault(name, []).append(validator)
        cls._model_spec = spec

    def __init__(self, **data: Any) -> None:
        cls = type(self)
        try:
            values = _quick(cls, data)
        except _Slow:
            values, given = _slow(cls, data)
        else:
            given = frozenset(data)
        _fill(self, values, given)

    @classmethod
    def describe_error(cls, error: Any, data: Mapping[str, Any]) -> Exception:
        """The error to raise for pydantic's ``error`` (outermost validation only); pydantic's own by default."""
        return typing.cast("Exception", error)

    @classmethod
    def model_fields_spec(cls) -> dict[str, Any]:
        """Each field's resolved annotation, in declaration order."""
        return dict(_hints(cls))

    @property
    def model_fields_set(self) -> frozenset[str]:
        """The fields given when the model was made (not defaulted)."""
        return typing.cast("frozenset[str]", self.__dict__["__fields_set__"])

    def model_dump(self, *, mode: str = "python") -> dict[str, Any]:
        """The fields as a dict, nested models as dicts; ``mode='json'``: tuples as lists."""
        hints = _hints(type(self))
        return {name: float(value) if mode == "json" and type(value) is int and hints[name] in _FLOATS else
                _dumped(value, mode) for name, value in self}

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        for name in type(self)._model_spec.fields:
            yield name, getattr(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f"{type(self).__name__} is frozen; make a new one with {name}=")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"{type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in type(self)._model_spec.fields)

    def __hash__(self) -> int:
        return hash((type(self), tuple(getattr(self, n) for n in type(self)._model_spec.fields)))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self)
        return f"{type(self).__name__}({shown})"


def _fill(model: ConfigModel, values: Mapping[str, Any], given: frozenset[str]) -> None:
    state = model.__dict__
    state.update(values)
    state["__fields_set__"] = given


def _construct(cls: type[M], values: Mapping[str, Any], given: frozenset[str]) -> M:
    model = cls.__new__(cls)
    _fill(model, values, given)
    return model


def _hints(cls: type[ConfigModel]) -> dict[str, Any]:
    spec = cls._model_spec
    if spec.hints is None:
        resolved = typing.get_type_hints(cls)
        spec.hints = {name: resolved[name] for name in spec.fields}
    return spec.hints


def _prepared(cls: type[ConfigModel]) -> _Spec:
    spec = cls._model_spec
    if spec.converters is None:
        hints = _hints(cls)
        spec.converters = {name: _constrained(_converter(hints[name]), spec.fields[name])
                           for name in spec.fields}
    return spec


def _quick(cls: type[M], data: Mapping[str, Any]) -> dict[str, Any]:
    """The validated fields of ``cls`` from ``data``; _Slow when pydantic must decide."""
    spec = _prepared(cls)
    converters = typing.cast("dict[str, Convert]", spec.converters)
    if not data.keys() <= converters.keys():
        raise _Slow
    values: dict[str, Any] = {}
    try:
        for name, declared in spec.fields.items():
            if name not in data:
                values[name] = declared.default_factory() if declared.default_factory else declared.default
                if values[name] is _MISSING:
                    raise _Slow
                continue
            value = data[name]
            for validator in spec.befores.get(name, ()):
                value = validator(value, name)
            value = converters[name](value)
            for validator in spec.afters.get(name, ()):
                value = validator(value, name)
            values[name] = value
        if spec.checks:
            model = _construct(cls, values, frozenset(data))
            for check in spec.checks:
                check(model)
    except (ValueError, AssertionError):
        raise _Slow from None
    return values


def _slow(cls: type[ConfigModel], data: Mapping[str, Any]) -> tuple[dict[str, Any], frozenset[str]]:
    """The fields of ``cls`` validated by its pydantic model; the model's ``describe_error`` when they fail."""
    from pydantic import ValidationError

    from .arguments import validating

    with validating() as nested:
        try:
            checked = pydantic_model(cls)(**data)
        except ValidationError as error:
            if nested:
                raise
            raise cls.describe_error(error, data) from None
    return {name: _ours(getattr(checked, name)) for name in cls._model_spec.fields}, frozenset(checked.model_fields_set)


def convert(annotation: Any, value: Any) -> Any:
    """``value`` checked against ``annotation`` (which may hold models); pydantic's ValidationError when bad."""
    try:
        return _converter(annotation)(value)
    except _Slow:
        pass
    from pydantic import TypeAdapter

    return _ours(TypeAdapter(_pydantic_annotation(annotation)).validate_python(value))


def is_pydantic_error(error: BaseException) -> bool:
    """Whether ``error`` is pydantic's ValidationError (without importing pydantic when it is not loaded)."""
    import sys

    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(error, pydantic.ValidationError)


# Quick converters: accept only what pydantic accepts and return what it would; else _Slow.

def _same(value: Any) -> Any:
    return value


def _exact(kind: type[Any]) -> Convert:
    def check(value: Any) -> Any:
        if type(value) is not kind:
            raise _Slow
        return value

    return check


def _float(value: Any) -> Any:
    if type(value) is float:
        return value
    if type(value) is int and abs(value) < _FLOAT_INTS:
        return float(value)
    raise _Slow


_FLOAT_INTS = 2**1023
"""Ints below this convert to a float (larger ones overflow: pydantic decides)."""


def _none(value: Any) -> Any:
    if value is not None:
        raise _Slow
    return value


def _literal(allowed: tuple[Any, ...]) -> Convert:
    pairs = frozenset((type(a), a) for a in allowed)

    def check(value: Any) -> Any:
        try:
            if (type(value), value) in pairs:
                return value
        except TypeError:  # unhashable
            pass
        raise _Slow

    return check


def _union(members: list[Convert]) -> Convert:
    def check(value: Any) -> Any:
        for member in members:
            try:
                return member(value)
            except _Slow:
                continue
        raise _Slow

    return check


def _tuple(item: Convert) -> Convert:
    def check(value: Any) -> Any:
        if type(value) not in (tuple, list):
            raise _Slow
        return tuple(item(v) for v in value)

    return check


def _dict(key: Convert, item: Convert) -> Convert:
    def check(value: Any) -> Any:
        if type(value) is not dict:
            raise _Slow
        return {key(k): item(v) for k, v in value.items()}

    return check


def _model(cls: type[ConfigModel]) -> Convert:
    def check(value: Any) -> Any:
        if isinstance(value, cls):
            return value
        if type(value) is not dict:
            raise _Slow
        return _construct(cls, _quick(cls, value), frozenset(value))

    return check


_SIMPLE: dict[Any, Convert] = {Any: _same, object: _same, type(None): _none, None: _none, bool: _exact(bool),
                               int: _exact(int), str: _exact(str), float: _float}


def _converter(annotation: Any) -> Convert:
    simple = _SIMPLE.get(annotation)
    if simple is not None:
        return simple
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return _literal(args)
    if origin in (typing.Union, types.UnionType):
        return _union([_converter(a) for a in args])
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _tuple(_converter(args[0]))
    if origin is dict:
        return _dict(_converter(args[0]), _converter(args[1]))
    if isinstance(annotation, type) and issubclass(annotation, ConfigModel):
        return _model(annotation)
    raise TypeError(f"a ConfigModel field cannot be {annotation!r}; use a builtin, a Literal, a tuple, a dict or "
                    "a ConfigModel")


def _constrained(convert: Convert, declared: _Field) -> Convert:
    bounds = declared.constraints()
    if not bounds:
        return convert
    ge, le, gt, step = bounds.get("ge"), bounds.get("le"), bounds.get("gt"), bounds.get("multiple_of")

    def check(value: Any) -> Any:
        value = convert(value)
        if value is not None and ((ge is not None and not value >= ge) or (le is not None and not value <= le)
                                  or (gt is not None and not value > gt) or (step is not None and value % step)):
            raise _Slow
        return value

    return check


_FLOATS = (float, float | None)
"""Annotations whose int values pydantic's JSON dump writes as floats (an int default of a float field)."""


def _dumped(value: Any, mode: str) -> Any:
    if isinstance(value, ConfigModel):
        return value.model_dump(mode=mode)
    if isinstance(value, (tuple, list)):
        items = [_dumped(v, mode) for v in value]
        return items if mode == "json" or isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {k: _dumped(v, mode) for k, v in value.items()}
    return value


# The pydantic model of each ConfigModel: the same fields, defaults, constraints and checks.

_MIRRORS: dict[type[ConfigModel], Any] = {}
_MIRRORS_LOCK = threading.RLock()  # a model's pydantic model builds those of the models it holds


def pydantic_model(cls: type[ConfigModel]) -> Any:
    """The pydantic model that validates like ``cls`` (built once; instances of ours are accepted as values)."""
    with _MIRRORS_LOCK:
        mirror = _MIRRORS.get(cls)
        if mirror is None:
            mirror = _MIRRORS[cls] = _build_pydantic_model(cls)
        return mirror


def _build_pydantic_model(cls: type[ConfigModel]) -> Any:
    from pydantic import ConfigDict, Field, create_model, field_validator, model_validator

    spec = cls._model_spec
    hints = _hints(cls)
    fields: dict[str, Any] = {}
    for name, declared in spec.fields.items():
        default = {"default_factory": declared.default_factory} if declared.default_factory else (
            {} if declared.default is _MISSING else {"default": declared.default})
        fields[name] = (_pydantic_annotation(hints[name]), Field(**default, **declared.constraints(),
                                                                 description=declared.description))
    validators: dict[str, Any] = {}
    for index, validator in enumerate(spec.validators):
        validators[f"check_{index}"] = field_validator(*validator.names, mode=validator.mode)(  # type: ignore[call-overload]
            _field_check(validator))
    for index, check in enumerate(spec.checks):
        validators[f"model_check_{index}"] = model_validator(mode="after")(_whole_check(check))
    mirror = create_model(cls.__name__, __config__=ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                                                             arbitrary_types_allowed=True),
                          __validators__=validators, __module__=cls.__module__, **fields)
    mirror.__config_model__ = cls
    return mirror


def _field_check(validator: _Validator) -> Any:
    def check(value: Any, info: Any) -> Any:
        return validator(value, info.field_name)

    return staticmethod(check)


def _whole_check(check: Callable[[Any], None]) -> Callable[[Any], Any]:
    def run(model: Any) -> Any:
        check(model)
        return model

    return run


def _holds_model(annotation: Any) -> bool:
    if isinstance(annotation, type):
        return issubclass(annotation, ConfigModel)
    return any(_holds_model(a) for a in typing.get_args(annotation))


def _pydantic_annotation(annotation: Any) -> Any:
    """``annotation`` with each ConfigModel replaced by its pydantic model (our instances converted first) and
    each str, int, float and bool strict: ``True`` is no number, ``b'x'`` no string, ``'5'`` no int, ``0`` no bool
    (lists still make tuples, ints floats, mappings models)."""
    if not _holds_model(annotation):
        return _mirrored(annotation)
    from pydantic import BeforeValidator

    return typing.Annotated[_mirrored(annotation), BeforeValidator(_theirs_within)]


def _mirrored(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, ConfigModel):
        return pydantic_model(annotation)
    if annotation in (str, int, float, bool):
        from pydantic import Strict

        return typing.Annotated[annotation, Strict()]
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_mirrored(a) for a in args)]  # noqa: UP007 - built from a tuple
    if origin is tuple:
        return tuple[tuple(_mirrored(a) if a is not Ellipsis else a for a in args)]  # type: ignore[misc]
    if origin is dict:
        return dict[_mirrored(args[0]), _mirrored(args[1])]  # type: ignore[misc]
    return annotation


def _theirs(value: Any) -> Any:
    """Our model made pydantic's (as it is, not validated again); any other value as it is."""
    if not isinstance(value, ConfigModel):
        return value
    cls = type(value)
    return pydantic_model(cls).model_construct(_fields_set=set(value.model_fields_set),
                                               **{n: _theirs_within(getattr(value, n)) for n in cls._model_spec.fields})


def _theirs_within(value: Any) -> Any:
    if type(value) in (tuple, list, set, frozenset):
        return type(value)(_theirs(v) for v in value)
    return _theirs(value)


def _ours(value: Any) -> Any:
    """``value`` with pydantic's models made ours (as they are)."""
    cls = getattr(type(value), "__config_model__", None)
    if cls is not None:
        return _construct(cls, {n: _ours(getattr(value, n)) for n in cls._model_spec.fields},
                          frozenset(value.model_fields_set))
    if type(value) in (tuple, list):
        return type(value)(_ours(v) for v in value)
    return value

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
import re
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar, cast

from .errors import ConfigurationError

__all__ = ["closest", "configuration_error", "did_you_mean", "options", "shown", "strict_test", "validate_constructors",
           "validated", "validating"]

F = TypeVar("F", bound=Callable[..., Any])

_CONSTRAINTS = frozenset({"greater_than", "greater_than_equal", "less_than", "less_than_equal", "multiple_of",
                          "too_short", "too_long", "string_too_short", "string_too_long", "string_pattern_mismatch",
                          "finite_number"})


_ADVICE = frozenset({"use", "choose", "set", "give", "remove", "pass", "list", "write", "rename", "add", "keep",
                     "shorten", "drop", "split", "lower", "raise"})


def shown(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters."""
    try:
        text = repr(value)
    except RecursionError:
        return f"a {type(value).__name__} nested too deeply to show"
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
    """An annotation as users write it: ``'Free' | 'Standard'``, ``Sequence[str] | None``."""
    import types
    import typing

    if isinstance(annotation, str):
        return annotation.replace("collections.abc.", "").replace("typing.", "")
    if isinstance(annotation, list):
        return "[" + ", ".join(_describe_type(a) for a in annotation) + "]"
    if annotation is type(None) or annotation is None:
        return "None"
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return " | ".join(repr(a) for a in args)
    if origin is typing.Annotated:
        return _describe_type(args[0])
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_describe_type(a) for a in args)
    if origin is not None:
        name = getattr(origin, "__name__", None) or str(origin).replace("typing.", "")
        return f"{name}[{', '.join(_describe_type(a) for a in args)}]" if args else str(name)
    return str(getattr(annotation, "__name__", repr(annotation)))


_UNION_MEMBER = re.compile(r"^(str|int|float|bool|bytes|none|callable|is-instance\[.*\]|is-subclass\[.*\]|"
                           r"(list|tuple|dict|set|frozenset|literal|function-[a-z-]+|chain|lax-or-strict|"
                           r"json-or-python|nullable|union|tagged-union|generator|dataclass|model)\[.*\])$")


def _without_union_members(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One error per union that matched no member (pydantic reports one per member)."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for item in items:
        loc = tuple(item["loc"])
        cut = next((i for i, p in enumerate(loc) if i and isinstance(p, str) and _UNION_MEMBER.match(p)), None)
        if cut is None:
            out.append(item)
            continue
        prefix = loc[:cut]
        if prefix in seen:
            continue
        seen.add(prefix)
        direct = [i for i in items if tuple(i["loc"]) [:cut] == prefix and len(i["loc"]) == cut + 1]
        given = (direct or [item])[0].get("input")
        out.append({"loc": prefix, "type": "union_mismatch", "msg": "Input is none of the allowed types",
                    "input": given})
    return out


def configuration_error(error: Any, *, path: str, what: str, fields: Mapping[str, Any],
                        owners: Mapping[str, Mapping[str, Any]] | None = None) -> ConfigurationError:
    """A ``ConfigurationError`` from a pydantic ``ValidationError``.

    ``fields`` maps each accepted name to its annotation (for 'allowed'); ``owners`` maps a dotted
    prefix (``'monitoring'``) to the fields of the nested model it names.
    """
    problems: list[str] = []
    fixes: list[str] = []
    first = ""
    items = _without_union_members(list(error.errors(include_url=False) if hasattr(error, "errors") else error))
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
            advice = re.split(r"; |: ", text)[-1]
            fixes.append(advice if advice.split(" ", 1)[0] in _ADVICE else f"change {field or 'the value'} as the "
                         "message says")
        else:
            top = loc[0] if loc and owner not in (owners or {}) else loc[-1] if loc else ""
            expected = _describe_type(known.get(top, "")) if top in known else ""
            where = field if len(loc) < 2 or owner in (owners or {}) else loc[0] + "".join(f"[{p!r}]" if not p.isdigit()
                                                                                          else f"[{p}]" for p in loc[1:])
            allowed = f"; allowed: {expected}" if expected else ""
            problems.append(f"{where}: {item['msg'][0].lower()}{item['msg'][1:]} (given {shown(item.get('input'))}"
                            f"{allowed})")
            if kind == "literal_error":
                fixes.append(f"set {where} to one of {item.get('ctx', {}).get('expected', expected)}")
            elif kind in _CONSTRAINTS:
                fixes.append(f"set {field} " + str(item["msg"]).replace("Input should", "so that it should")
                             .replace("Input should be", "so that it is"))
            else:
                fixes.append(f"pass {top or field} as {expected or 'the type named above'}" + (
                    " (a construct, for example a backend's backend.get_resource('storage'), or an expression such "
                    "as resource.resource_id)" if "Expr" in expected and kind in ("union_mismatch", "is_instance_of")
                    else ""))
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
    for name, value in arguments.items():
        if name in ("self", "cls"):
            continue
        parent = getattr(getattr(value, "node", None), "path", None)
        if isinstance(parent, str):
            return "/".join(p for p in (parent, ident) if p) or qualname
    return ident or qualname


def validated(func: F) -> F:
    """Check the arguments of ``func`` against its annotations before it runs (strict types).

    Put it under ``@classmethod``. The path in errors is the path of the first argument that is a
    construct (the scope) plus ``id``, else ``id``, else the function's qualified name. An
    ``__init__`` checks only when it is the constructor called (the most derived class's): the
    ``super().__init__`` calls under it receive arguments it has checked.
    """
    owner_name = func.__qualname__.split(".")[0]
    what = func.__qualname__.replace(".__init__", "")
    is_init = func.__name__ == "__init__"
    checker: list[Callable[..., Any]] = []
    accepts: Callable[[tuple[Any, ...], dict[str, Any]], bool] = _unbuilt

    def check(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        nonlocal accepts
        if accepts is _unbuilt:
            accepts = _fast_check(func) or _no_quick_test
            if accepts(args, kwargs):
                return
        from pydantic import ConfigDict, ValidationError, validate_call

        if not checker:
            strict = validate_call(config=ConfigDict(strict=True, arbitrary_types_allowed=True), validate_return=False)
            checker.append(strict(_annotated_only(func)))
        try:
            with validating():
                checker[0](*[_standing(a) for a in args], **{k: _standing(v) for k, v in kwargs.items()})
        except ValidationError as error:
            signature = inspect.signature(func)
            try:
                bound = signature.bind_partial(*args, **{k: v for k, v in kwargs.items() if k in signature.parameters})
                arguments: Mapping[str, Any] = bound.arguments
            except TypeError:
                arguments = kwargs
            hints = _hints(func)
            fields = {n: hints.get(n, p.annotation) for n, p in signature.parameters.items()
                      if n not in ("self", "cls") and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}
            names = list(signature.parameters)
            raise configuration_error(_Positional(error, names), path=_path(arguments, owner_name), what=what,
                                      fields=fields) from None

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if is_init and args:
            called = type(args[0]).__init__
            if called is not wrapper and getattr(called, "__atakora_validated__", False):
                return func(*args, **kwargs)  # the constructor called has checked these arguments
        try:
            if not accepts(args, kwargs):
                check(args, kwargs)
            return func(*args, **kwargs)
        except RecursionError:
            if deeply_nested((*args, *kwargs.values())):
                raise too_deep(what) from None
            raise

    wrapper.__atakora_validated__ = True  # type: ignore[attr-defined]
    return cast("F", wrapper)


DEEPEST = 200
"""Levels of nesting past which an argument is no configuration (checking it would exhaust Python's stack)."""


def nesting_depth(value: Any, limit: int = DEEPEST) -> int:
    """How deeply ``value``'s lists, tuples, sets and mappings nest (counted up to ``limit + 1``)."""
    deepest, pending = 0, [(value, 0)]
    while pending and deepest <= limit:
        current, depth = pending.pop()
        if isinstance(current, Mapping):
            members: Iterable[Any] = list(current.values())
        elif isinstance(current, (list, tuple, set, frozenset)):
            members = current
        else:
            continue
        deepest = max(deepest, depth + 1)
        pending.extend((member, depth + 1) for member in members)
    return deepest


def deeply_nested(values: Iterable[Any]) -> bool:
    """One of ``values`` nests deeper than any configuration does (or contains itself)."""
    return any(nesting_depth(v) > DEEPEST for v in values)


def too_deep(what: str) -> ConfigurationError:
    """The error for an argument that :func:`deeply_nested` finds (checking it ran out of Python's stack)."""
    return ConfigurationError(f"{what}: an argument nests lists or mappings more than {DEEPEST} levels deep",
                              fix="pass the option as its documentation shows: a few levels of lists and mappings "
                                  "(a value that contains itself never ends)")


def _unbuilt(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """The quick test before its first call (built then): accepts nothing."""
    return False


def _no_quick_test(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """The quick test of a function whose parameters have none: accepts nothing, so pydantic checks."""
    return False


def _standing(value: Any) -> Any:
    """What ``value`` is checked as: a backend's shared wrapper (``primary_resource``) as its resource."""
    primary = getattr(value, "primary_resource", None) if not isinstance(value, (str, int, float, Mapping)) else None
    if primary is not None:
        return primary
    if isinstance(value, (list, tuple)) and any(hasattr(v, "primary_resource") for v in value):
        return type(value)(_standing(v) for v in value)
    return value


def validate_constructors(cls: type[Any]) -> None:
    """Put ``cls``'s own annotated ``__init__`` under ``validated`` (from a base's ``__init_subclass__``)."""
    init = cls.__dict__.get("__init__")
    if init is None or getattr(init, "__atakora_validated__", False):
        return
    parameters = list(inspect.signature(init).parameters.values())[1:]
    if any(p.annotation is not inspect.Parameter.empty for p in parameters):
        cls.__init__ = validated(init)


Predicate = Callable[[Any], bool]


def _fast_check(func: Callable[..., Any]) -> Callable[[tuple[Any, ...], dict[str, Any]], bool] | None:
    """A quick test that the arguments of a call already meet ``func``'s annotations, or None.

    It only accepts what strict validation accepts (exact builtin types, lists and dicts of them,
    literals, plain classes by ``isinstance``); a call it does not accept goes to pydantic, which
    decides and describes the error. None when an annotation has no quick form.
    """
    parameters = list(inspect.signature(func).parameters.values())
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters):
        return None
    hints = _hints(func)
    predicates: dict[str, Predicate] = {}
    for p in parameters:
        predicate = _predicate(hints.get(p.name, Any))
        if predicate is None:
            return None
        predicates[p.name] = predicate
    positional = [p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    exact = {p.name: _exact_types(hints.get(p.name, Any)) if predicates[p.name] is not _always else _ANY_EXACT
             for p in parameters}
    by_position = [(index, exact[name], predicates[name]) for index, name in enumerate(positional)
                   if predicates[name] is not _always]
    keywords = {p.name: exact[p.name] for p in parameters if p.kind != p.POSITIONAL_ONLY}
    # By the number of positional arguments: the names they took (a keyword may not repeat one) and the
    # required names left to keywords.
    taken = [frozenset(positional[:count]) for count in range(len(positional) + 1)]
    needed = [frozenset(p.name for p in parameters if p.default is p.empty and p.name not in positional[:count])
              for count in range(len(positional) + 1)]
    most = len(positional)

    def accepts(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        count = len(args)
        if count > most:
            return False
        for index, types, predicate in by_position:
            if index >= count:
                break
            if type(args[index]) not in types and not predicate(args[index]):
                return False
        if kwargs:
            if count and not taken[count].isdisjoint(kwargs):
                return False
            for name, value in kwargs.items():
                allowed = keywords.get(name)
                if allowed is None or (type(value) not in allowed and not predicates[name](value)):
                    return False
        return needed[count] <= kwargs.keys()

    return accepts


_ANY_EXACT: frozenset[type[Any]] = frozenset({str, int, float, bool, type(None), dict, list, tuple})
"""The everyday types, for a parameter that takes any value (the others pass its predicate)."""


Test = tuple[frozenset[type[Any]], Predicate]
"""A value whose exact type is in the set passes at once (no call); any other passes when the predicate does."""


def _test(annotation: Any, predicate: Predicate) -> Test | None:
    """The quick form of ``predicate`` (for ``annotation``), or None when it accepts everything."""
    return None if predicate is _always else (_exact_types(annotation), predicate)


def _exact_types(annotation: Any) -> frozenset[type[Any]]:
    """Types all of whose instances strict validation of ``annotation`` accepts as they are (by ``type(v)``).

    A subset of what ``_predicate(annotation)`` accepts; it lets the common value skip the predicate call.
    """
    import types
    import typing

    if annotation is None or annotation is type(None):
        return frozenset({type(None)})
    exact = _EXACT.get(annotation) if isinstance(annotation, type) else None
    if exact is not None:
        return frozenset(exact)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return frozenset().union(*(_exact_types(member) for member in typing.get_args(annotation)))
    if origin is None and isinstance(annotation, type) and _plain_class(annotation):
        return frozenset({annotation})
    return frozenset()


def _always(value: Any) -> bool:
    return True


def _predicate(annotation: Any) -> Predicate | None:
    """A test that is true only of values strict validation of ``annotation`` accepts, or None."""
    import collections.abc
    import types
    import typing

    import typing_extensions

    if annotation is Any or annotation is object:
        return _always
    if annotation is None or annotation is type(None):
        return lambda v: v is None
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return _literal(frozenset((type(a), a) for a in args))
    if origin in (typing.Union, types.UnionType):
        return _union(args)
    if origin in (list, collections.abc.Sequence) or (origin is tuple and len(args) == 2 and args[1] is Ellipsis):
        item = _predicate(args[0]) if args else _always
        if item is None:
            return None
        kinds: tuple[type[Any], ...] = (list,) if origin is list else (tuple,) if origin is tuple else (list, tuple)
        return _sequence(kinds, _exact_types(args[0]) if args else frozenset(), item)
    if origin in (dict, collections.abc.Mapping):
        key, value = (_predicate(args[0]), _predicate(args[1])) if args else (_always, _always)
        if key is None or value is None:
            return None
        return _mapping(_test(args[0], key) if args else None, _test(args[1], value) if args else None)
    if origin is collections.abc.Callable or annotation is collections.abc.Callable:
        return callable
    if typing_extensions.is_typeddict(annotation):
        return _typed_dict(annotation)
    if origin is not None or not isinstance(annotation, type):
        return None
    exact = _EXACT.get(annotation)
    if exact is not None:
        return (lambda v: type(v) is annotation) if len(exact) == 1 else (lambda v: type(v) in exact)
    if not _plain_class(annotation):
        return None
    return lambda v: isinstance(v, annotation)


_EXACT: dict[Any, tuple[type[Any], ...]] = {bool: (bool,), int: (int,), float: (float, int), str: (str,)}


def _plain_class(annotation: Any) -> bool:
    """A class whose instances strict validation accepts as they are, checked with ``isinstance``.

    Arbitrary types, enums, standard dataclasses, and pydantic models that do not revalidate
    instances: pydantic passes an instance of one (or of a subclass) through unchanged.
    """
    import dataclasses
    import enum
    import typing

    if not isinstance(annotation, type) or annotation in (bytes, dict, list, tuple, set, frozenset):
        return False
    if hasattr(annotation, "model_fields"):
        return _model_passes_instances(annotation)
    if hasattr(annotation, "__get_pydantic_core_schema__") or hasattr(annotation, "__pydantic_config__") \
            or hasattr(annotation, "__pydantic_fields__") or typing.is_typeddict(annotation):
        return False
    if dataclasses.is_dataclass(annotation):
        return not getattr(annotation, "__parameters__", ())
    return not (issubclass(annotation, enum.Enum) and annotation.__module__ == "enum")


def _model_passes_instances(model: Any) -> bool:
    """A plain pydantic model: not generic, ``revalidate_instances='never'``, no model validator, own schema."""
    from pydantic import BaseModel

    return issubclass(model, BaseModel) and model.model_config.get("revalidate_instances", "never") == "never" \
        and not model.__pydantic_generic_metadata__["parameters"] \
        and not model.__pydantic_decorators__.model_validators \
        and getattr(model.__get_pydantic_core_schema__, "__func__", None) is \
        getattr(BaseModel.__get_pydantic_core_schema__, "__func__", None)


def strict_test(annotation: Any) -> Predicate | None:
    """A test true only of values strict validation of ``annotation`` accepts, or None when it has no quick form.

    A false answer decides nothing: strict validation may still accept the value.
    """
    return _predicate(annotation)


def _typed_dict(shape: Any) -> Predicate | None:
    """A TypedDict: a dict with every required key whose known keys pass their tests (other keys are ignored).

    ``NotRequired`` is read from the annotations: with postponed annotations ``__required_keys__`` holds every key.
    """
    from typing_extensions import get_type_hints

    hints = get_type_hints(shape, include_extras=True)
    optional = {name for name, hint in hints.items() if typing.get_origin(hint) in _NOT_REQUIRED}
    tests: dict[str, Predicate] = {}
    for name, hint in hints.items():
        test = _predicate(typing.get_args(hint)[0] if name in optional else hint)
        if test is None:
            return None
        tests[name] = test
    required = frozenset(hints.keys() - optional)

    def accepts(value: Any) -> bool:
        if type(value) is not dict or not required <= value.keys():
            return False
        for name, test in tests.items():
            if name in value and not test(value[name]):
                return False
        return True

    return accepts


_NOT_REQUIRED: tuple[Any, ...] = (typing.NotRequired,)


def _sequence(kinds: tuple[type[Any], ...], exact: frozenset[type[Any]], item: Predicate) -> Predicate:
    """A list or tuple (of ``kinds``) whose every item has an ``exact`` type or passes ``item``."""

    def accepts(value: Any) -> bool:
        if type(value) not in kinds:
            return False
        for x in value:
            if type(x) not in exact and not item(x):
                return False
        return True

    return accepts


def _mapping(key: Test | None, value: Test | None) -> Predicate:
    """A dict whose keys pass ``key`` and whose values pass ``value`` (None: any)."""

    def accepts(mapping: Any) -> bool:
        if type(mapping) is not dict:
            return False
        if key is not None:
            for k in mapping:
                if type(k) not in key[0] and not key[1](k):
                    return False
        if value is not None:
            for x in mapping.values():
                if type(x) not in value[0] and not value[1](x):
                    return False
        return True

    return accepts


def _literal(pairs: frozenset[tuple[type[Any], Any]]) -> Predicate:
    """One of the literal values, of its exact type (``True`` is not ``1``)."""

    def accepts(value: Any) -> bool:
        try:
            return (type(value), value) in pairs
        except TypeError:  # unhashable: not a literal
            return False

    return accepts


def _union(members: tuple[Any, ...]) -> Predicate | None:
    """One test for a union: exact builtin types, ``isinstance`` classes, None, then the others."""
    exact: set[type[Any]] = set()
    classes: list[type[Any]] = []
    others: list[Predicate] = []
    nullable = False
    for member in members:
        if member is None or member is type(None):
            nullable = True
        elif member in _EXACT:
            exact.update(_EXACT[member])
        elif _plain_class(member):
            classes.append(member)
        else:
            predicate = _predicate(member)
            if predicate is None:
                return None
            others.append(predicate)
    instances = tuple(classes)

    def accepts(value: Any) -> bool:
        if value is None and nullable:
            return True
        if type(value) in exact or (instances and isinstance(value, instances)):
            return True
        for other in others:
            if other(value):
                return True
        return False

    return accepts


def _annotated_only(func: Callable[..., Any]) -> Callable[..., None]:
    """A function with ``func``'s signature, its annotations resolved, that does nothing."""
    hints = _hints(func)

    def shadow(*args: Any, **kwargs: Any) -> None:
        return None

    parameters = [p.replace(annotation=hints.get(p.name, Any)) for p in inspect.signature(func).parameters.values()]
    shadow.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    shadow.__annotations__ = {p.name: p.annotation for p in parameters}
    shadow.__qualname__ = func.__qualname__
    return shadow


def _hints(func: Callable[..., Any]) -> dict[str, Any]:
    """``func``'s resolved parameter annotations; one that cannot be resolved (a name imported only
    for type checking) checks nothing."""
    import typing

    try:
        hints = typing.get_type_hints(func)
    except NameError:
        hints = {}
        namespace = getattr(func, "__globals__", {})
        for name, annotation in getattr(func, "__annotations__", {}).items():
            try:
                hints[name] = typing.get_type_hints(_Holder(name, annotation), namespace)[name]
            except NameError:
                hints[name] = Any
    hints.pop("return", None)
    return hints


class _Holder:
    """An object whose ``__annotations__`` are one name's, for resolving it alone."""

    def __init__(self, name: str, annotation: Any) -> None:
        self.__annotations__ = {name: annotation}


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
    if value is None or isinstance(value, kind):
        return value
    from pydantic import ValidationError

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

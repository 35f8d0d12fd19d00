"""Read the user's source directories and the runtime package: files, handlers, requirements."""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from atakora.errors import ConfigurationError

from ._model import UserFunctionsCode

SKIPPED_DIRECTORIES = frozenset({"__pycache__", ".venv", "venv", "node_modules"})
SKIPPED_FILES = frozenset({"local.settings.json"})
_REQUIREMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9._, -]+\])?\s*([<>=!~;@ ].*)?$")
_BARE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_FORBIDDEN_OPTIONS = ("-r", "--requirement", "-c", "--constraint", "-e", "--editable")


def iter_tree(root: Path) -> Iterator[tuple[str, Path]]:
    """Yield ``(posix relative path, file)`` under ``root`` in sorted order, skipping caches,
    virtual environments, ``*.pyc``, hidden files and directories and ``local.settings.json``."""
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if entry.name in SKIPPED_DIRECTORIES:
                continue
            for relative, path in iter_tree(entry):
                yield f"{entry.name}/{relative}", path
        elif entry.is_file() and not entry.name.endswith(".pyc") and entry.name not in SKIPPED_FILES:
            yield entry.name, entry


RUNTIME_ROOT = Path(__file__).resolve().parents[2] / "runtime"
"""The ``atakora.runtime`` package directory (found without importing it)."""


def runtime_files() -> dict[str, bytes]:
    """The runtime package's ``*.py`` and ``py.typed`` files keyed by path relative to the package."""
    return dict(_runtime_files())


@functools.cache
def _runtime_files() -> tuple[tuple[str, bytes], ...]:
    # Read once per process: every Function App package carries the same files.
    return tuple(
        (relative, path.read_bytes())
        for relative, path in iter_tree(RUNTIME_ROOT)
        if relative.endswith(".py") or relative.rsplit("/", 1)[-1] == "py.typed"
    )


def check_source_directory(component: UserFunctionsCode) -> Path:
    """Return the resolved source directory or raise ConfigurationError when it is missing."""
    directory = component.source_directory
    if not directory.is_dir():
        raise ConfigurationError(
            f"source_directory {str(directory)!r} does not exist or is not a directory",
            field="source_directory",
            path=component.component_id,
            fix="point source_directory at the folder holding the handler modules (e.g. handlers.py)",
        )
    return directory.resolve()


def handler_is_async(component: UserFunctionsCode, directory: Path, name: str) -> bool:
    """Check the handler ``module:function`` of ``name`` exists; return True when it is ``async def``."""
    module, attribute = component.functions[name].handler_ref(name)
    field_name = f"functions.{name}.handler"
    base = directory.joinpath(*module.split("."))
    candidates = [base.with_suffix(".py"), base / "__init__.py"]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        raise ConfigurationError(
            f"handler module {module!r} of function {name!r} was not found: "
            f"expected {base.name}.py in {str(base.parent)!r}",
            field=field_name,
            path=component.component_id,
            fix=f"create {base.relative_to(directory).as_posix()}.py in source_directory "
            "or set handler='module:function'",
        )
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError as exc:
        raise ConfigurationError(
            f"handler module {module!r} of function {name!r} has a syntax error: "
            f"{exc.msg} (line {exc.lineno})",
            field=field_name,
            path=component.component_id,
            fix=f"fix {path}",
        ) from exc
    defined = _top_level_names(tree.body)
    if attribute in defined:
        return defined[attribute]
    if "*" in defined:
        return False
    raise ConfigurationError(
        f"handler function {attribute!r} of function {name!r} is not defined in {path.name}",
        field=field_name,
        path=component.component_id,
        fix=f"define 'def {attribute}(...)' at the top level of {path.name} or set handler='module:function'",
    )


def _top_level_names(body: Iterable[ast.stmt]) -> dict[str, bool]:
    names: dict[str, bool] = {}
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names[node.name] = isinstance(node, ast.AsyncFunctionDef)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update({(a.asname or a.name).split(".")[0]: False for a in node.names})
        elif isinstance(node, ast.Assign):
            names.update({t.id: False for t in node.targets if isinstance(t, ast.Name)})
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] = False
        elif isinstance(node, ast.ClassDef):
            names[node.name] = False
        elif isinstance(node, (ast.If, ast.Try)):
            names.update(_top_level_names(node.body))
    return names


def requirement_lines(text: str, *, where: str, source: str) -> list[str]:
    """Meaningful lines of a requirements file (comments and blanks removed), validated."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not line:
            continue
        option = line.split()[0].split("=")[0]
        if option in _FORBIDDEN_OPTIONS or not (line.startswith("-") or _REQUIREMENT.match(line)):
            raise ConfigurationError(
                f"requirement {line!r} in {source} cannot be merged into the app's requirements.txt",
                field="requirements",
                path=where,
                fix="list packages with version specifiers (e.g. 'httpx>=0.27'); "
                "file references are not supported",
            )
        lines.append(re.sub(r"\s+", " ", line))
    return lines


def merge_requirements(groups: Iterable[Iterable[str]]) -> str:
    """De-duplicated, sorted requirements; pip options (``--extra-index-url``) first.

    A bare name (``azure-functions``) is dropped when another line constrains the same project.
    """
    unique = {line for group in groups for line in group}
    constrained = {_project(line) for line in unique if not _BARE_NAME.match(line)}
    unique = {line for line in unique if not (_BARE_NAME.match(line) and _project(line) in constrained)}
    options = sorted(line for line in unique if line.startswith("-"))
    packages = sorted((line for line in unique if not line.startswith("-")), key=lambda s: (s.lower(), s))
    return "".join(f"{line}\n" for line in options + packages)


def _project(line: str) -> str:
    """Normalized project name of a requirement line (PEP 503), or the line itself for options."""
    if line.startswith("-"):
        return line
    name = re.split(r"[\[<>=!~;@ ]", line, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()

"""Atomic writing of the cloud assembly: a failed synth leaves the previous assembly intact."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from ...errors import SynthesisError
from .indented import write_indented

__all__ = ["Staging", "compact_encoder", "compact_json", "dump_json", "dump_lines", "dump_template",
           "dump_template_indexed", "output_error", "write_atomically", "write_json"]


def compact_encoder(*, ensure_ascii: bool) -> Callable[[Any], str]:
    """``json.JSONEncoder(ensure_ascii=ensure_ascii, separators=(",", ":"), check_circular=False).encode``, with
    its C encoder made once (the standard library makes one on every call: a third of a small object's cost).

    For what synthesis made (rendered templates, generated documents: no cycles), so it keeps no table of the
    containers it is in (30 % faster on an OpenAPI document's many small objects).
    """
    encoder = json.JSONEncoder(ensure_ascii=ensure_ascii, separators=(",", ":"), check_circular=False)
    make: Callable[..., Any] | None = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # an interpreter without the C accelerator
        return encoder.encode
    strings = json.encoder.encode_basestring_ascii if ensure_ascii else json.encoder.encode_basestring
    chunks = make(None, encoder.default, strings, None, ":", ",", False, False, True)
    join = "".join

    def encode(value: Any) -> str:
        if type(value) is str:  # a key: no encoder needed
            return strings(value)
        return join(chunks(value, 0))

    return encode


_compact = compact_encoder(ensure_ascii=False)
"""The C encoder (no indent): compact JSON in insertion key order."""

compact_json = _compact
"""Compact JSON in insertion key order (no ASCII escapes): how a template writes each resource's line."""


_READABLE_DEPTH = 6
"""Levels written indented: a plan's backends, their resources, each resource's members and their items
(each database of a Cosmos config is one line)."""


def dump_json(data: Any, *, depth: int | None = _READABLE_DEPTH) -> bytes:
    """Deterministic, readable JSON: two-space indent, insertion key order, trailing newline.

    Containers nested deeper than ``depth`` levels (default 6; None: every level indented) are each one line
    written by the C encoder; the file reads back as the same data.
    """
    pieces: list[str] = []
    write_json(data, pieces.append, depth=depth)
    return "".join(pieces).encode()


def write_json(data: Any, write: Callable[[str], object], *, depth: int | None = _READABLE_DEPTH) -> None:
    """:func:`dump_json`'s text handed to ``write`` piece by piece as it is made (see
    :func:`~atakora.core.synthesis.indented.write_indented`: no piece ends inside a string)."""
    write_indented(data, write, ensure_ascii=False, depth=depth)
    write("\n")


def dump_template(template: dict[str, Any]) -> bytes:
    """Deterministic compact JSON for an ARM template, written by the C encoder: one resource per line.

    Members keep their insertion order; each resource of ``resources`` is one compact line, so the
    file stays small, fast to write and still readable (and diffable) resource by resource.
    """
    return dump_lines(template, {"resources": True})


def dump_template_indexed(template: dict[str, Any], lines: list[str] | None = None) -> tuple[bytes, list[int]]:
    """:func:`dump_template`'s bytes, and where each resource's line starts in them (empty without resources):
    resource ``i`` is ``data[starts[i]:starts[i + 1] - 2]``, read back from its line alone. ``lines``: the
    resources' :func:`compact_json` when the caller has it already (default: serialized here)."""
    resources = template.get("resources")
    if not resources or not isinstance(resources, list):
        return dump_template(template), []
    head: list[str] = []
    tail: list[str] = []
    members = head
    for key, value in template.items():
        if key == "resources":
            members = tail
        else:
            members.append(_compact(key) + ":" + _compact(value))
    prefix = "{" + "".join(m + "," for m in head) + '"resources":[\n'
    if lines is None:
        lines = [_compact(r) for r in resources]
    starts = [len(prefix.encode())]
    position = starts[0]
    for line in lines:
        position += (len(line) if line.isascii() else len(line.encode())) + 2
        starts.append(position)
    text = prefix + ",\n".join(lines) + "\n]" + "".join("," + m for m in tail) + "}\n"
    return text.encode(), starts


def dump_lines(document: Any, lines: Mapping[str, Any]) -> bytes:
    """Compact JSON by the C encoder with the members named by ``lines`` one item per line.

    ``lines`` maps a member to True (each of its items on its own line) or to the same kind of
    mapping for its own members: ``{"paths": True, "components": {"schemas": True}}``.
    """
    return (_lines(document, lines) + "\n").encode()


def _lines(value: Any, lines: Mapping[str, Any] | bool) -> str:
    if lines is True and value and isinstance(value, list):
        return "[\n" + ",\n".join(_compact(item) for item in value) + "\n]"
    if lines is True and value and isinstance(value, dict):
        return "{\n" + ",\n".join(_compact(k) + ":" + _compact(v) for k, v in value.items()) + "\n}"
    if isinstance(lines, Mapping) and isinstance(value, dict):
        return "{" + ",".join(_compact(k) + ":" + (_lines(v, lines[k]) if k in lines else _compact(v))
                              for k, v in value.items()) + "}"
    return _compact(value)


def write_atomically(outdir: Path, files: Mapping[str, bytes] | Iterable[tuple[str, bytes]]) -> None:
    """Write ``files`` (relative path → bytes, or such pairs) as the whole content of ``outdir``, atomically.

    The new assembly is written to a temporary sibling directory and swapped in with renames; an
    error before the swap leaves the previous ``outdir`` untouched.
    """
    outdir = outdir.resolve()
    try:
        _write(outdir, files)
    except OSError as error:
        raise output_error(outdir, error) from None


def output_error(outdir: Path, error: OSError) -> SynthesisError:
    """One clear message for an operating-system error while writing ``outdir``."""
    fixes = {
        errno.EACCES: "choose a directory you can write (--out), or fix the permissions of its parent",
        errno.EPERM: "choose a directory you can write (--out), or fix the permissions of its parent",
        errno.EROFS: "the file system is read-only; choose another --out directory",
        errno.ENOSPC: "free disk space (the previous assembly is intact), then synthesize again",
        errno.EDQUOT: "free disk space or raise your quota (the previous assembly is intact)",
        errno.ENOTDIR: "a parent of the output directory is a file; choose another --out directory",
        errno.EEXIST: "remove the file in the way or choose another --out directory",
        errno.ENAMETOOLONG: "shorten the stack id or the output path: file names in the assembly are stack ids",
    }
    where = f" ({_short(str(error.filename))})" if error.filename else ""
    return SynthesisError(f"cannot write the cloud assembly to {_short(str(outdir))}: {error.strerror or error}{where}",
                          fix=fixes.get(error.errno or 0, "choose another --out directory"), field="outdir")


def _short(path: str, keep: int = 60) -> str:
    """``path`` for a message: a very long one keeps its start and end."""
    return path if len(path) <= 2 * keep + 3 else f"{path[:keep]}...{path[-keep:]}"


class Staging:
    """A new assembly written file by file as synthesis produces it, into a temporary sibling of ``outdir``
    that :meth:`commit` swaps in with renames; :meth:`discard` (or any error before the swap) leaves the
    previous ``outdir`` untouched. ``path`` is where the files are: the staging directory, then ``outdir``."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir.resolve()
        try:
            if self.outdir.exists() and not self.outdir.is_dir():
                raise SynthesisError(f"{self.outdir} exists and is not a directory",
                                     fix="choose another --out directory", field="outdir")
        except OSError as error:  # a name too long for the file system
            raise output_error(self.outdir, error) from None
        _check_replaceable(self.outdir)
        self._made: set[str] = set()
        try:
            self.outdir.parent.mkdir(parents=True, exist_ok=True)
            self.path = Path(tempfile.mkdtemp(prefix=f".{self.outdir.name}.new-", dir=self.outdir.parent))
            os.chmod(self.path, 0o777 & ~_umask())
        except OSError as error:
            raise output_error(self.outdir, error) from None
        self.committed = False
        self._owner = os.getpid()
        """The process that made the directory: only it removes it (not a forked copy that writes into it)."""
        self._before_discard: list[Callable[[], None]] = []

    def before_discard(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` before the staged files are removed (an asset reads its bytes back)."""
        self._before_discard.append(callback)

    def add(self, rel: str, data: bytes) -> None:
        """Write one file of the assembly (``rel``: its path inside it)."""
        self.add_pieces(rel, lambda write: write(data))

    def add_pieces(self, rel: str, produce: Callable[[Callable[[bytes], object]], object]) -> None:
        """Write one file of the assembly piece by piece: ``produce`` hands each piece to the function it is
        given. Another error than the file system's removes the partial file and is raised as it is."""
        try:
            target = self._target(rel)
            try:
                with open(target, "wb") as file:
                    produce(file.write)
            except OSError:
                raise
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(target)
                raise
        except OSError as error:  # the directory stays: who made it discards it (others may still write)
            raise output_error(self.outdir, error) from None

    def adopt(self, rel: str, path: str) -> None:
        """Make the file at ``path`` (written by another process) file ``rel`` of the assembly: moved in, or
        copied when it is on another file system."""
        try:
            target = self._target(rel)
            try:
                os.replace(path, target)
            except OSError:
                shutil.copyfile(path, target)
        except OSError as error:
            raise output_error(self.outdir, error) from None

    def _target(self, rel: str) -> str:
        """Where file ``rel`` goes, its directory made (a text path: a ``Path`` would intern each file's name)."""
        target = os.path.join(self.path, rel)
        parent = os.path.dirname(target)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        return target

    def read(self, rel: str) -> bytes:
        """A file written by :meth:`add`, read back (from ``outdir`` once committed)."""
        with open(os.path.join(self.path, rel), "rb") as file:
            return file.read()

    def commit(self) -> None:
        """Swap the staged assembly in for ``outdir``."""
        try:
            _swap(self.path, self.outdir)
        except OSError as error:
            self.discard()
            raise output_error(self.outdir, error) from None
        except BaseException:
            self.discard()
            raise
        self.path, self.committed = self.outdir, True

    def discard(self) -> None:
        """Remove the staged files (nothing once committed, nothing in another process than the one that made
        them)."""
        if not self.committed and os.getpid() == self._owner:
            callbacks, self._before_discard = self._before_discard, []
            for callback in callbacks:
                callback()
            shutil.rmtree(self.path, ignore_errors=True)


ASSEMBLY_MARK = "manifest.json"
"""The file every cloud assembly has at its top: a directory holding it is one atakora wrote."""


def _check_replaceable(outdir: Path) -> None:
    """Refuse an existing, non-empty ``outdir`` that is no cloud assembly: the swap replaces the whole
    directory, so a project folder given as ``--out .`` would be deleted."""
    try:
        with os.scandir(outdir) as entries:
            names = sorted(entry.name for entry in entries)
    except FileNotFoundError:
        return
    except OSError as error:
        raise output_error(outdir, error) from None
    if not names or ASSEMBLY_MARK in names:
        return
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    raise SynthesisError(
        f"the output directory {outdir} holds files but is not a cloud assembly ({shown}); writing the assembly "
        "replaces the whole directory, so they would be lost", field="outdir",
        fix="choose a new or empty directory (--out, or App(outdir=...)), or move the files away; a directory "
            f"atakora wrote has a {ASSEMBLY_MARK} and is replaced")


def _write(outdir: Path, files: Mapping[str, bytes] | Iterable[tuple[str, bytes]]) -> None:
    staging = Staging(outdir)
    try:
        for rel, data in files.items() if isinstance(files, Mapping) else files:
            staging.add(rel, data)
        staging.commit()
    except BaseException:
        staging.discard()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _swap(staging: Path, outdir: Path) -> None:
    if not outdir.exists():
        os.replace(staging, outdir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.old-", dir=outdir.parent))
    os.rmdir(retired)
    os.replace(outdir, retired)
    try:
        os.replace(staging, outdir)
    except BaseException:
        os.replace(retired, outdir)
        raise
    shutil.rmtree(retired, ignore_errors=True)

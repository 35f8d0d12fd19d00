"""Running a user's program (app.py) in-process and collecting the Apps it creates."""

from __future__ import annotations

import runpy
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from ..core.app import App, cli_session
from ..core.synthesis import CloudAssembly
from ..errors import AssemblyFileError, AtakoraError

__all__ = ["ProgramError", "ProgramRun", "run_program"]


class ProgramError(AtakoraError):
    """The user's program raised an exception that is not an atakora error."""

    def __init__(self, message: str, *, original: BaseException) -> None:
        self.original = original
        super().__init__(message, field="program",
                         fix="correct your program where it failed (atakora -v shows the traceback)")


@dataclass
class ProgramRun:
    """The Apps a program created and the assemblies they produced."""

    apps: list[App]
    assemblies: list[CloudAssembly]


def _line(program: Path, error: BaseException) -> int | None:
    frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename).resolve() == program]
    return frames[-1].lineno if frames else None


def _location(program: Path, error: BaseException) -> str:
    line = _line(program, error)
    return f"{program.name} line {line}" if line is not None else ""


def _describe(program: Path, error: BaseException) -> str:
    line = _line(program, error)
    where = f" (line {line})" if line is not None else ""
    return f"{program.name}{where} raised {type(error).__name__}: {error}"


def check_targets(assemblies: list[CloudAssembly]) -> None:
    """Fail (for synth, plan, validate and diff alike) when writing the assemblies could not be right.

    Two Apps on one directory would replace each other; an App without stacks would replace the
    previous assembly with an empty one; an output path that is a file cannot hold an assembly.
    """
    targets: dict[Path, CloudAssembly] = {}
    for assembly in assemblies:
        target = assembly.outdir.resolve()
        if target in targets:
            raise AtakoraError(f"two Apps write to {assembly.outdir}, so one would replace the other",
                               fix="give each App its own outdir (App(outdir=...)), or put every stack in one App",
                               field="outdir")
        targets[target] = assembly
        if not assembly.units:
            raise AtakoraError(f"an App writing to {assembly.outdir} has no stacks; its empty assembly would replace "
                               "the previous one", fix="add a ResourceGroupStack (or SubscriptionStack) to the App, "
                               "or remove the App", field="stacks")
        if target.exists() and not target.is_dir():
            raise AtakoraError(f"the output path {assembly.outdir} is a file, not a directory",
                               fix="pass --out with a directory (or remove the file)", field="outdir")


def _write_all(assemblies: list[CloudAssembly]) -> None:
    for assembly in assemblies:
        assembly.write()


def run_program(program: str | Path, *, outdir: Path | None, write: bool = True) -> ProgramRun:
    """Run ``program`` with ``__name__ == '__main__'``; synthesize Apps it did not synthesize itself.

    Assemblies are written only after the whole program succeeded (``write=False``: never), each
    atomically; two Apps writing to one directory is an error.
    """
    path = Path(program).resolve()
    if not path.is_file():
        raise AtakoraError(f"program {program} not found", fix="pass the path of your app.py")
    saved_path = list(sys.path)
    sys.path.insert(0, str(path.parent))
    apps: list[App] = []
    written = False
    try:
        with cli_session(outdir, path.parent, stage=write) as apps:
            try:
                runpy.run_path(str(path), run_name="__main__")
            except AtakoraError as error:
                if not isinstance(error, AssemblyFileError):
                    error.location = _location(path, error)
                raise
            except SystemExit as exit_:
                if exit_.code not in (0, None):
                    raise ProgramError(f"{path.name} exited with status {exit_.code}", original=exit_) from exit_
            except KeyboardInterrupt as error:
                raise ProgramError(f"{path.name} was interrupted; nothing was written", original=error) from None
            except BaseException as error:  # the user's program failed: report it in one line
                raise ProgramError(_describe(path, error), original=error) from error
            if not apps:
                raise AtakoraError(f"{path.name} created no App", fix="create one: app = App(); build stacks; app.synth()")
            assemblies = [created.synth() for created in apps]
            check_targets(assemblies)
            if write:
                _write_all(assemblies)
                written = True
            return ProgramRun(apps=list(apps), assemblies=assemblies)
    finally:
        sys.path[:] = saved_path
        if not written:  # what the Apps staged for writing stays out of their outdirs
            for created in apps:
                if created.assembly is not None:
                    created.assembly.discard()

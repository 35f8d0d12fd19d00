"""Running a user's program (app.py) in-process and collecting the Apps it creates."""

from __future__ import annotations

import runpy
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from ..core.app import App, cli_session
from ..core.synthesis import CloudAssembly
from ..errors import AtakoraError

__all__ = ["ProgramError", "ProgramRun", "run_program"]


class ProgramError(AtakoraError):
    """The user's program raised an exception that is not an atakora error."""

    def __init__(self, message: str, *, original: BaseException) -> None:
        self.original = original
        super().__init__(message)


@dataclass
class ProgramRun:
    """The Apps a program created and the assemblies they produced."""

    apps: list[App]
    assemblies: list[CloudAssembly]


def _describe(program: Path, error: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename).resolve() == program]
    where = f" (line {frames[-1].lineno})" if frames else ""
    return f"{program.name}{where} raised {type(error).__name__}: {error}"


def run_program(program: str | Path, *, outdir: Path | None, write: bool = True) -> ProgramRun:
    """Run ``program`` with ``__name__ == '__main__'``; synthesize Apps it did not synthesize itself.

    With ``write=False`` every synthesis phase runs but nothing is written.
    """
    path = Path(program).resolve()
    if not path.is_file():
        raise AtakoraError(f"program {program} not found", fix="pass the path of your app.py")
    saved_path = list(sys.path)
    sys.path.insert(0, str(path.parent))
    try:
        with cli_session(outdir, write=write) as apps:
            try:
                runpy.run_path(str(path), run_name="__main__")
            except AtakoraError:
                raise
            except SystemExit as exit_:
                if exit_.code not in (0, None):
                    raise ProgramError(f"{path.name} exited with status {exit_.code}", original=exit_) from exit_
            except Exception as error:  # the user's program failed: report it in one line
                raise ProgramError(_describe(path, error), original=error) from error
            assemblies = [created.synth() for created in apps]
            if not apps:
                raise AtakoraError(f"{path.name} created no App", fix="create one: app = App(); build stacks; app.synth()")
            return ProgramRun(apps=list(apps), assemblies=assemblies)
    finally:
        sys.path[:] = saved_path

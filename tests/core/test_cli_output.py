"""The CLI's output directory: every failure is one message and exit 1, and the previous assembly stays intact."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, BinaryIO, Self

import pytest
from click.testing import CliRunner

from atakora.cli import app
from atakora.core.synthesis import writer

from .test_cli import PROGRAM, write_program

runner = CliRunner()


def synth(program: Path, out: Path, command: str = "synth") -> tuple[int, str]:
    result = runner.invoke(app, [command, str(program), "--out", str(out)])
    return result.exit_code, " ".join(result.output.split())


def one_message(output: str) -> None:
    assert "Traceback" not in output and output.count("error:") == 1, output


def test_a_parent_that_is_a_file_is_one_message(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    code, output = synth(write_program(tmp_path), tmp_path / "file" / "out")
    assert code == 1 and "cannot write the cloud assembly" in output
    one_message(output)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_parent_is_one_message_and_the_previous_assembly_stays(tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    out = parent / "out"
    assert synth(write_program(tmp_path), out)[0] == 0
    before = (out / "Main.json").read_bytes()
    parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, output = synth(write_program(tmp_path), out)
    finally:
        parent.chmod(stat.S_IRWXU)
    assert code == 1 and "Permission denied" in output and "choose a directory you can write" in output
    one_message(output)
    assert (out / "Main.json").read_bytes() == before
    assert [p.name for p in parent.iterdir()] == ["out"]


def test_a_stack_id_too_long_for_a_file_name_is_one_message(tmp_path: Path) -> None:
    program = tmp_path / "app.py"
    program.write_text(PROGRAM.replace('"Main"', '"' + "M" * 300 + '"'))
    code, output = synth(program, tmp_path / "out")
    assert code == 1 and "shorten the stack id" in output
    one_message(output)
    assert not any(p.name.startswith(".out.") for p in tmp_path.iterdir())


@pytest.mark.parametrize("command", ["synth", "plan", "diff"])
def test_out_pointing_at_a_file_fails_every_command(tmp_path: Path, command: str) -> None:
    (tmp_path / "out").write_text("not a directory")
    code, output = synth(write_program(tmp_path), tmp_path / "out", command)
    assert code == 1 and ("is a file" in output or "is not a directory" in output)
    one_message(output)
    assert (tmp_path / "out").read_text() == "not a directory"


@pytest.mark.parametrize("command", ["synth", "plan", "validate", "diff"])
def test_two_apps_on_one_directory_fail_every_command(tmp_path: Path, command: str) -> None:
    program = write_program(tmp_path, "\nsecond = App()\nResourceGroupStack(second, 'Other', "
                                      "resource_group_name='rg-2', location='eastus')\n")
    result = runner.invoke(app, [command, str(program)])
    assert result.exit_code == 1 and "two Apps write to" in result.output


def test_an_app_without_stacks_does_not_replace_the_previous_assembly(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert synth(write_program(tmp_path), out)[0] == 0
    empty = tmp_path / "empty.py"
    empty.write_text("from atakora import App\napp = App()\n")
    code, output = synth(empty, out)
    assert code == 1 and "has no stacks" in output
    assert (out / "Main.json").exists()


def test_a_keyboard_interrupt_in_the_program_ends_with_a_message(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert synth(write_program(tmp_path), out)[0] == 0
    code, output = synth(write_program(tmp_path, "\nraise KeyboardInterrupt\n"), out)
    assert code == 1 and "interrupted" in output
    one_message(output)
    assert (out / "Main.json").exists()


def test_a_base_exception_in_the_program_ends_with_a_message(tmp_path: Path) -> None:
    code, output = synth(write_program(tmp_path, "\nclass Stop(BaseException): pass\nraise Stop('halt')\n"),
                         tmp_path / "out")
    assert code == 1 and "raised Stop: halt" in output
    one_message(output)


def test_the_output_folder_follows_the_umask_not_0700(tmp_path: Path) -> None:
    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        assert synth(write_program(tmp_path), out)[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert not any(p.name.startswith((".out.old-", ".out.new-")) for p in tmp_path.iterdir())


def test_a_full_disk_is_one_message_and_the_previous_assembly_stays(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    out = tmp_path / "out"
    assert synth(write_program(tmp_path), out)[0] == 0
    before = (out / "Main.json").read_bytes()

    class FullDisk:
        """A file opened for writing whose writes fail as on a full disk."""

        def __init__(self, file: BinaryIO) -> None:
            self.file = file

        def __enter__(self) -> Self:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device", self.file.name)

    def full(path: str, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        file = open(path, mode, *args, **kwargs)  # noqa: SIM115 (closed by FullDisk or the caller)
        return FullDisk(file) if "w" in mode else file

    monkeypatch.setattr(writer, "open", full, raising=False)
    code, output = synth(write_program(tmp_path), out)
    monkeypatch.undo()
    assert code == 1 and "No space left on device" in output and "free disk space" in output
    one_message(output)
    assert (out / "Main.json").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("out", ["/proc/atakora-out", "/proc/atakora/out", "/proc/self/atakora-out"])
def test_an_output_directory_in_proc_is_one_message_even_as_root(tmp_path: Path, out: str) -> None:
    code, output = synth(write_program(tmp_path), Path(out))
    assert code == 1 and "cannot write the cloud assembly" in output and "Fix:" in output
    one_message(output)


def test_a_parent_refusing_writes_is_one_message_and_the_previous_assembly_stays_even_as_root(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import tempfile

    from atakora.core.synthesis import writer

    out = tmp_path / "ro" / "out"
    assert synth(write_program(tmp_path), out)[0] == 0
    before = (out / "Main.json").read_bytes()

    def refused(*args: object, **kwargs: object) -> str:
        raise PermissionError(errno.EACCES, "Permission denied", str(kwargs.get("dir")))

    monkeypatch.setattr(writer.tempfile, "mkdtemp", refused)
    code, output = synth(write_program(tmp_path), out)
    monkeypatch.setattr(writer.tempfile, "mkdtemp", tempfile.mkdtemp)
    assert code == 1 and "Permission denied" in output and "choose a directory you can write" in output
    one_message(output)
    assert (out / "Main.json").read_bytes() == before
    assert [p.name for p in out.parent.iterdir()] == ["out"]


def test_a_folder_that_is_no_assembly_is_refused_and_keeps_its_files(tmp_path: Path) -> None:
    program = write_program(tmp_path)
    (tmp_path / "notes.txt").write_text("precious", encoding="utf-8")
    code, output = synth(program, tmp_path)  # atakora synth app.py --out .
    assert code == 1 and "is not a cloud assembly" in output and "notes.txt" in output
    one_message(output)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "precious" and program.is_file()
    assert not [p for p in tmp_path.parent.iterdir() if p.name.startswith(f".{tmp_path.name}.")]  # no staging left


def test_an_empty_folder_and_a_previous_assembly_are_written_over(tmp_path: Path) -> None:
    program = write_program(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    assert synth(program, out)[0] == 0
    assert synth(program, out)[0] == 0 and (out / "manifest.json").is_file()


def test_an_output_path_too_long_for_the_file_system_is_one_short_message(tmp_path: Path) -> None:
    code, output = synth(write_program(tmp_path), tmp_path / ("x" * 5000))
    assert code == 1 and "File name too long" in output and len(output) < 1000
    one_message(output)

"""Ready-to-run function packages: the dependencies of ``requirements.txt`` installed into the zip.

An app that runs from a package URL cannot have a remote build (the platform mounts the zip as it is), so
``atakora deploy`` installs the dependencies itself, as the Python developer reference describes for a local
build: into ``.python_packages/lib/site-packages`` of the package, for the Linux workers (manylinux wheels of
the app's Python version, whatever the machine that deploys).
https://learn.microsoft.com/azure/azure-functions/functions-reference-python#remote-build
https://learn.microsoft.com/azure/azure-functions/deployment-zip-push#package-deployment-considerations
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from .errors import DeployError

__all__ = ["SITE_PACKAGES", "DependencyInstaller", "PipInstaller", "needs_remote_build", "ready_to_run"]

SITE_PACKAGES = ".python_packages/lib/site-packages"
"""Where the Python worker finds the dependencies a package ships."""
LINUX_PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_28_x86_64")
"""Wheel platforms the Linux Functions images run (glibc 2.28 and later)."""
_EPOCH = (1980, 1, 1, 0, 0, 0)


def needs_remote_build(data: bytes) -> bool:
    """Whether a package has dependencies to install (``requirements.txt`` or ``package.json`` at its root)
    and does not ship them (``.python_packages/`` or ``node_modules/``)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    declares = any(n in ("requirements.txt", "package.json") for n in names)
    ships = any(n.startswith((".python_packages/", "node_modules/")) for n in names)
    return declares and not ships


class DependencyInstaller(Protocol):
    """Installs ``requirements`` into the directory ``target`` for the Linux workers of ``python_version``."""

    def __call__(self, requirements: Path, target: Path, *, python_version: str) -> None: ...


class PipInstaller:
    """``pip install --target`` with binary wheels for Linux x86-64 and the app's Python version.

    ``python`` (default: this interpreter) runs pip; ``extra_args`` (default none) are passed on (for example
    ``--index-url``).
    """

    def __init__(self, python: str = sys.executable, extra_args: Sequence[str] = ()) -> None:
        self.python = python
        self.extra_args = tuple(extra_args)

    def command(self, requirements: Path, target: Path, *, python_version: str) -> list[str]:
        """The pip command line."""
        platforms = [arg for platform in LINUX_PLATFORMS for arg in ("--platform", platform)]
        return [self.python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--quiet",
                "--target", str(target), *platforms, "--implementation", "cp", "--python-version", python_version,
                "--only-binary=:all:", "--upgrade", *self.extra_args, "-r", str(requirements)]

    def __call__(self, requirements: Path, target: Path, *, python_version: str) -> None:
        command = self.command(requirements, target, python_version=python_version)
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as error:
            raise DeployError(f"could not run pip to install the package's dependencies: {error}",
                              fix="install pip for this Python, or ship .python_packages in your package") from None
        if result.returncode != 0:
            tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-8:])
            raise DeployError(f"pip could not install the package's dependencies for Linux (Python "
                              f"{python_version}):\n{tail}",
                              fix="every requirement needs a manylinux wheel for that Python version (pip install "
                                  "--only-binary=:all:); pin a version that has one, or ship .python_packages")


def _add(archive: zipfile.ZipFile, name: str, data: bytes, mode: int = 0o644) -> None:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o100000 | mode) << 16
    archive.writestr(info, data)


def ready_to_run(data: bytes, *, runtime: str, runtime_version: str, installer: DependencyInstaller) -> bytes:
    """``data`` with its dependencies installed (unchanged when it has none or ships them already).

    Only Python packages are built here; a Node package must ship ``node_modules``.
    """
    if not needs_remote_build(data):
        return data
    if runtime != "python":
        raise DeployError(f"the {runtime} package declares dependencies it does not ship, and an app that runs "
                          "from a package URL has no remote build", fix="ship node_modules in the package")
    with tempfile.TemporaryDirectory(prefix="atakora-package-") as work:
        root = Path(work)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            original = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
        requirements = root / "requirements.txt"
        requirements.write_bytes(original["requirements.txt"])
        target = root / "site-packages"
        target.mkdir()
        installer(requirements, target, python_version=runtime_version)
        installed = sorted(p for p in target.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        if not installed:
            raise DeployError("installing the package's requirements produced no files",
                              fix="check requirements.txt in the package")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as out:
            for name in sorted(original):
                _add(out, name, original[name])
            for path in installed:
                executable = os.access(path, os.X_OK)
                _add(out, f"{SITE_PACKAGES}/{path.relative_to(target).as_posix()}", path.read_bytes(),
                     0o755 if executable else 0o644)
        return buffer.getvalue()

"""``atakora init``: a new project with a working backend program."""

from __future__ import annotations

from pathlib import Path

from ..errors import AtakoraError

__all__ = ["init_project"]

APP_TEMPLATE = '''"""{name}: a backend of CRUD APIs sharing one Cosmos DB account, Function App and Storage account."""

from atakora import App, ResourceGroupStack
from atakora.backend import Components, define_backend
from atakora.components import CrudApi


class {class_name}(Components):
    item_api = CrudApi.define(
        "ItemApi",
        entity_name="Item",
        schema={{"id": "string", "name": {{"type": "string", "required": True}}, "category": "string"}},
        partition_key="/category",
    )


backend = define_backend({class_name}, environment="{environment}", location="{location}", monitoring=True)

app = App()
stack = ResourceGroupStack(app, "{class_name}Stack", resource_group_name="rg-{slug}-{environment}",
                           location="{location}")
backend.add_to_stack(stack)
app.synth()
'''

GITIGNORE = "atakora.out/\n.atakora-dev/\n.atakora-secrets.json\n__pycache__/\n.venv/\n"

PROJECT_TEMPLATE = """# The atakora project file: commit it. Its id is part of every globally unique Azure name
# (storage, Cosmos DB, Function Apps, ...), so this project never collides with another one.
# Changing the id renames (and so replaces) those resources.
[project]
name = "{name}"
id = "{project_id}"
"""


def init_project(directory: Path, *, name: str | None = None, environment: str = "dev",
                 location: str = "eastus") -> list[Path]:
    """Write ``app.py``, ``atakora.toml`` (a new random project id) and ``.gitignore`` into ``directory``;
    refuses to overwrite an existing app.py and keeps an existing atakora.toml."""
    directory.mkdir(parents=True, exist_ok=True)
    app_file = directory / "app.py"
    if app_file.exists():
        raise AtakoraError(f"{app_file} already exists", fix="choose an empty directory, or remove app.py")
    project = name or directory.resolve().name
    slug = "".join(ch if ch.isalnum() else "-" for ch in project.lower()).strip("-") or "app"
    class_name = "".join(part.capitalize() for part in slug.split("-") if part) or "App"
    if not class_name[0].isalpha():
        class_name = f"App{class_name}"
    app_file.write_text(APP_TEMPLATE.format(name=project, class_name=class_name, environment=environment,
                                            location=location, slug=slug), encoding="utf-8")
    written = [app_file]
    project_file = directory / "atakora.toml"
    if not project_file.exists():
        import secrets

        project_file.write_text(PROJECT_TEMPLATE.format(name=project.replace('"', ""), project_id=secrets.token_hex(8)),
                                encoding="utf-8")
        written.append(project_file)
    gitignore = directory / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text(GITIGNORE, encoding="utf-8")
        written.append(gitignore)
    return written

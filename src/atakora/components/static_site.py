"""StaticSite: a static web site on Azure Static Web Apps, with its content packaged as a deterministic zip."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from ..arguments import shown, validated
from ..backend.component import ComponentDefinition, ResourceMap
from ..backend.requirements import ResourceRequirement
from ..backend.validation import ValidationResult
from ..core.assets import Asset
from ..core.construct import Construct
from ..core.expressions import Expr, named
from ..core.paths import is_directory, is_file
from ..errors import ConfigurationError
from ..resources.web_static import StaticWebApp
from ._base import Component

__all__ = [
    "DEFAULT_SECURITY_HEADERS",
    "StaticSite",
    "StaticSiteConfig",
    "package_site",
    "site_config_json",
]

SiteSku = Literal["Free", "Standard"]

DEFAULT_SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": "default-src 'self' https:; object-src 'none'; base-uri 'self'; "
                               "frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
"""Headers every generated ``staticwebapp.config.json`` sends (override one with ``headers=``)."""

CONFIG_FILE = "staticwebapp.config.json"
_EXCLUDED_NAMES = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".DS_Store", "Thumbs.db",
                             ".venv", "atakora.out", ".atakora-plan"})
_FALLBACK_EXCLUDE = ("*.{css,js,mjs,map,json,txt,xml,png,jpg,jpeg,gif,svg,ico,webp,avif,woff,woff2,ttf,eot,pdf}",)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class StaticSiteConfig:
    """Everything a StaticSite is configured with (see ``StaticSite.define``)."""

    source_directory: Path | None
    build_command: str | None = None
    output_directory: str | None = None
    index_document: str = "index.html"
    error_document: str | None = "404.html"
    enable_spa_mode: bool = False
    sku: SiteSku = "Free"
    headers: Mapping[str, str] = field(default_factory=dict)
    priority: int = 10

    @property
    def content_directory(self) -> Path | None:
        """The folder whose files are served, when it is known at synthesis (no build command)."""
        if self.source_directory is None or self.build_command is not None:
            return None
        return self.source_directory / self.output_directory if self.output_directory else self.source_directory


def _document(value: str | None, field_name: str, component_id: str, *, optional: bool) -> str | None:
    if value is None and optional:
        return None
    text = (value or "").strip().lstrip("/")
    if not text or ".." in PurePosixPath(text).parts or "\\" in text or text.endswith("/"):
        raise ConfigurationError(f"{field_name} {value!r} must be a file path inside the site, e.g. 'index.html'",
                                 field=field_name, path=component_id,
                                 fix=f"pass {field_name}='index.html'" + (" or None" if optional else ""))
    return text


def check_site_config(component_id: str, *, source_directory: str | Path | None, build_command: str | None,
                      output_directory: str | None, index_document: str, error_document: str | None,
                      enable_spa_mode: bool, sku: str, headers: Mapping[str, str] | None, priority: int,
                      require_source: bool = True) -> StaticSiteConfig:
    """Validate a site's settings (shared by StaticSite and StaticSiteWithCdn) and return its config."""
    def fail(field_name: str, message: str, fix: str) -> ConfigurationError:
        return ConfigurationError(message, field=field_name, path=component_id, fix=fix)

    if sku not in ("Free", "Standard"):
        raise fail("sku", f"sku {sku!r} is not a Static Web Apps plan", "use 'Free' or 'Standard'")
    if source_directory is None:
        if require_source:
            raise fail("source_directory", "source_directory is required", "pass source_directory='./site'")
        if build_command is not None or output_directory is not None:
            raise fail("build_command", "build_command and output_directory need source_directory",
                       "pass source_directory, the folder your build runs in")
    source = Path(source_directory) if source_directory is not None else None
    if source is not None and not is_directory(source):
        raise fail("source_directory", f"source directory {shown(str(source), 120)} does not exist",
                   "pass the folder that holds the site (paths are relative to the working directory; use "
                   "Path(__file__).parent / 'site' in a program)")
    if build_command is not None and not build_command.strip():
        raise fail("build_command", "build_command is empty", "pass the command that builds the site, or None")
    if output_directory is not None:
        out = PurePosixPath(output_directory.replace("\\", "/"))
        if out.is_absolute() or ".." in out.parts or not output_directory.strip():
            raise fail("output_directory", f"output_directory {output_directory!r} must be a folder inside "
                       "source_directory", "pass a relative path such as 'dist'")
    if build_command is not None and output_directory is None:
        raise fail("output_directory", "build_command needs output_directory, the folder the build writes",
                   "pass output_directory='dist' (or 'build', 'public', ...)")
    index = _document(index_document, "index_document", component_id, optional=False)
    error = _document(error_document, "error_document", component_id, optional=True)
    for name, value in (headers or {}).items():
        if (not isinstance(name, str) or not isinstance(value, str) or not name or any(c in name for c in " :\r\n")
                or any(c < " " and c != "\t" or c == "\x7f" for c in name + value)):  # no control characters
            raise fail("headers", f"header {name!r}: {value!r} is not a valid header", "pass {'Name': 'value'}")
    config = StaticSiteConfig(source_directory=source, build_command=build_command, output_directory=output_directory,
                              index_document=index or "index.html", error_document=error,
                              enable_spa_mode=enable_spa_mode, sku=sku,  # type: ignore[arg-type]
                              headers=dict(headers or {}), priority=priority)
    content = config.content_directory
    if content is not None:
        if not is_directory(content):
            raise fail("output_directory", f"output directory {shown(str(content), 120)} does not exist",
                       "build the site first, or pass build_command so that the deploy step builds it")
        for field_name, document in (("index_document", config.index_document),
                                     ("error_document", config.error_document)):
            if document is not None and not is_file(content / document):
                raise fail(field_name, f"{field_name} {shown(document, 120)} is not in {shown(str(content), 120)}",
                           f"add {document} to the site" + (", or pass error_document=None"
                                                            if field_name == "error_document" else ""))
    return config


def site_config_json(config: StaticSiteConfig, existing: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The generated ``staticwebapp.config.json``: SPA fallback, error page and security headers.

    With ``existing`` (the site's own file), its members win, and its ``globalHeaders`` are
    merged over the generated ones.
    """
    generated: dict[str, Any] = {}
    if config.enable_spa_mode:
        generated["navigationFallback"] = {"rewrite": f"/{config.index_document}", "exclude": list(_FALLBACK_EXCLUDE)}
    if config.error_document is not None:
        generated["responseOverrides"] = {"404": {"rewrite": f"/{config.error_document}", "statusCode": 404}}
    generated["globalHeaders"] = {**DEFAULT_SECURITY_HEADERS, **config.headers}
    if existing:
        user = dict(existing)
        headers = {**generated["globalHeaders"], **dict(user.pop("globalHeaders", None) or {})}
        generated.update(user)
        generated["globalHeaders"] = headers
    return generated


def _files(root: Path, exclude_build_output: str | None) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if any(part in _EXCLUDED_NAMES for part in relative.parts) or not path.is_file():
            continue
        posix = relative.as_posix()
        if exclude_build_output and (posix == exclude_build_output or posix.startswith(exclude_build_output + "/")):
            continue
        found.append((posix, path))
    return sorted(found)


def package_site(config: StaticSiteConfig) -> bytes:
    """The site's deployable zip: sorted entries, fixed timestamps and modes, plus ``staticwebapp.config.json``.

    Without a build command it holds the content directory; with one, the source (without
    ``node_modules``, VCS folders and a stale build output) for the deploy step to build.
    """
    if config.source_directory is None:
        raise ConfigurationError("a site without source_directory has no package", field="source_directory")
    root = config.content_directory or config.source_directory
    stale = config.output_directory.strip("/") if config.build_command and config.output_directory else None
    entries = _files(root, stale)
    existing: dict[str, Any] | None = None
    own = next((p for name, p in entries if name == CONFIG_FILE), None)
    if own is not None:
        try:
            existing = json.loads(own.read_text(encoding="utf-8"))
        except ValueError as error:
            raise ConfigurationError(f"{own} is not valid JSON: {error}", field="source_directory",
                                     fix=f"fix or remove {CONFIG_FILE}; atakora generates one") from None
    generated = json.dumps(site_config_json(config, existing), indent=2, sort_keys=True).encode() + b"\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        items: list[tuple[str, bytes]] = [(name, path.read_bytes()) for name, path in entries if name != CONFIG_FILE]
        items.append((CONFIG_FILE, generated))
        for name, data in sorted(items):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            archive.writestr(info, data)
    return buffer.getvalue()


def site_requirement_key(component_id: str) -> str:
    """The ``staticsite`` requirement key of a component: its id in kebab case ('AdminPortal' → 'admin-portal')."""
    out: list[str] = []
    for i, ch in enumerate(component_id):
        if ch.isupper() and i and (component_id[i - 1].islower() or component_id[i - 1].isdigit()):
            out.append("-")
        out.append(ch.lower() if ch.isalnum() else "-")
    return "-".join(p for p in "".join(out).split("-") if p) or "site"


def site_asset(scope: Construct, site: StaticWebApp, config: StaticSiteConfig) -> Asset | None:
    """The content package of ``site`` (None without source_directory); the deploy step uploads it."""
    if config.source_directory is None:
        return None
    destination: dict[str, Any] = {
        "staticSite": site.resource_name,
        "deployment": "static-web-app",
        "appLocation": ".",
        "outputLocation": config.output_directory or ".",
        "configFile": CONFIG_FILE,
    }
    if config.build_command is not None:
        # atakora does not run builds: the deploy step runs this in the unpacked package, copies
        # the config file to the root of outputLocation, and uploads outputLocation.
        destination["buildCommand"] = config.build_command
    return Asset(scope, "Content", data=package_site(config), kind="static-site", destination=destination)


class StaticSite(Component):
    """A static web site on Azure Static Web Apps (``Microsoft.Web/staticSites``).

    Each site gets its own Static Web App (an app serves one site; the plan shows one per site).
    The content of ``source_directory`` (or ``output_directory`` inside it) is packaged as a
    deterministic zip with a generated ``staticwebapp.config.json`` and uploaded by the deploy
    step. ``StaticSite(scope, id, ...)`` creates the same on its own.
    """

    config: StaticSiteConfig

    component_type = "StaticSite"

    @validated
    def __init__(self, scope: Construct, id: str, *, source_directory: str | Path, build_command: str | None = None,
                 output_directory: str | None = None, index_document: str = "index.html",
                 error_document: str | None = "404.html", enable_spa_mode: bool = False, sku: SiteSku = "Free",
                 headers: Mapping[str, str] | None = None, priority: int = 10) -> None:
        """See ``define``; creates the site's own Static Web App in the stack above ``scope``."""
        config = check_site_config(id, source_directory=source_directory, build_command=build_command,
                                   output_directory=output_directory, index_document=index_document,
                                   error_document=error_document, enable_spa_mode=enable_spa_mode, sku=sku,
                                   headers=headers, priority=priority)
        self._build_standalone(scope, id, config)

    def _setup(self) -> None:
        self.site: StaticWebApp | None = None
        self.content: Asset | None = None


    @classmethod
    @validated
    def define(cls, id: str, *, source_directory: str | Path, build_command: str | None = None,
               output_directory: str | None = None, index_document: str = "index.html",
               error_document: str | None = "404.html", enable_spa_mode: bool = False, sku: SiteSku = "Free",
               headers: Mapping[str, str] | None = None, priority: int = 10, previous_ids: Sequence[str] = (), protect: bool = False) -> ComponentDefinition[StaticSite]:
        """Define a StaticSite for a backend.

        ``source_directory``: the site's folder (required). ``build_command`` (default None):
        recorded for the deploy step, which runs it in the packaged source and uploads
        ``output_directory`` (required with a build command); atakora never runs it. Without a
        build command, ``output_directory`` (default None: the source itself) is a folder inside
        the source that is served. ``index_document`` (default 'index.html'), ``error_document``
        (default '404.html'; None: Azure's own 404 page) must exist when the content is known.
        ``enable_spa_mode`` (default False) serves ``index_document`` for unknown paths. ``sku``:
        'Free' (default) or 'Standard'. ``headers`` (default none) override or add to
        ``DEFAULT_SECURITY_HEADERS``.
        ``previous_ids`` (default none): ids the component was deployed with; it keeps the first one's
        identity in Azure (tags, app settings), so a rename changes nothing there. ``protect`` (default
        False): refuse any deployment that loses its data, even with ``--allow-data-loss``.
        """
        config = check_site_config(id, source_directory=source_directory, build_command=build_command,
                                   output_directory=output_directory, index_document=index_document,
                                   error_document=error_document, enable_spa_mode=enable_spa_mode, sku=sku,
                                   headers=headers, priority=priority)
        return cls._definition(id, config, previous_ids=previous_ids, protect=protect)

    # ----- component protocol --------------------------------------------------------------
    @property
    def requirement_key(self) -> str:
        """This site's own ``staticsite`` requirement key (kebab case of the id)."""
        return site_requirement_key(self.component_id)

    def get_requirements(self) -> Sequence[ResourceRequirement]:
        """One Static Web App of its own (type 'staticsite', key per site)."""
        from ..backend.providers.static_sites import StaticSiteRequirementConfig

        return [ResourceRequirement("staticsite", self.requirement_key, StaticSiteRequirementConfig(
            sku=self.config.sku), self.config.priority, component_id=self.component_id)]

    def validate_resources(self, resources: ResourceMap) -> ValidationResult:
        """A Static Web App was injected."""
        if isinstance(resources.get(f"staticsite:{self.requirement_key}"), StaticWebApp):
            return ValidationResult.of()
        return ValidationResult.of([f"no Static Web App was injected for {self.component_id}"])

    def initialize(self, resources: ResourceMap, scope: Construct) -> None:
        """Package the content as an asset for the injected Static Web App."""
        site = resources.get(f"staticsite:{self.requirement_key}")
        if not isinstance(site, StaticWebApp):
            raise ConfigurationError(f"{self.component_id} needs an injected Static Web App", path=self.node.path,
                                     fix="add the component to a backend whose providers include StaticSitesProvider")
        self.site = site
        self.content = site_asset(self, site, self.config)

    def _site(self) -> StaticWebApp:
        if self.site is None:
            raise ConfigurationError(f"{self.component_id} has no site before it is added to a stack",
                                     path=self.node.path, fix="call backend.add_to_stack(stack) first")
        return self.site

    @property
    def default_host_name(self) -> Expr:
        """The site's generated host name (``<words>-<hash>.<n>.azurestaticapps.net``)."""
        return named(self._site().default_host_name, self.value_label("default_host_name"))

    @property
    def url(self) -> Expr:
        """``https://<default host name>`` (prints as ``${Stack/Site.url}`` until deployment)."""
        return named(self._site().url, self.value_label("url"))

    def get_outputs(self) -> Mapping[str, Any]:
        """url, default_host_name and the site's resource name."""
        return {"url": self.url, "default_host_name": self.default_host_name,
                "site_name": self._site().resource_name}

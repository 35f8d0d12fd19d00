"""Azure naming rules per resource type, a validator, and a deterministic name generator."""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["NAME_RULES", "NameRule", "generate_name", "name_rule_for", "short_hash", "validate_name"]


@dataclass(frozen=True)
class NameRule:
    """The length and character rules of one resource type's name (its last name segment)."""

    min_length: int
    max_length: int
    allowed: str
    """Regex character class body of allowed characters, for example ``a-z0-9``."""
    description: str
    start: str = ""
    """Regex character class body the first character must match (empty: any allowed)."""
    end: str = ""
    """Regex character class body the last character must match (empty: any allowed)."""
    globally_unique: bool = False
    no_double_hyphen: bool = False
    guid: bool = False

    @property
    def lowercase_only(self) -> bool:
        """True when upper-case letters are not allowed."""
        return not self.allowed.startswith("^") and "A-Z" not in self.allowed

    @property
    def separator(self) -> str:
        """The separator the generator joins parts with ('-' where allowed, else nothing)."""
        if self.allowed.startswith("^"):
            return "" if "-" in self.allowed else "-"
        return "-" if "\\-" in self.allowed else ""

    def pattern(self) -> re.Pattern[str]:
        """A regex that matches valid names."""
        return _pattern(self)

    def _build_pattern(self) -> re.Pattern[str]:
        start = f"[{self.start}]" if self.start else f"[{self.allowed}]"
        end = f"[{self.end}]" if self.end else f"[{self.allowed}]"
        if self.min_length <= 1:
            body = f"(?:{start}(?:[{self.allowed}]*{end})?)"
        else:
            body = f"{start}[{self.allowed}]*{end}"
        return re.compile(f"^{body}$")


@functools.lru_cache(maxsize=256)
def _pattern(rule: NameRule) -> re.Pattern[str]:
    """A rule's name pattern, built once per rule (rules are frozen values)."""
    return rule._build_pattern()


@functools.lru_cache(maxsize=256)
def _disallowed(rule: NameRule) -> re.Pattern[str]:
    """The characters a rule does not allow, for ``_sanitize``."""
    negated = rule.allowed.startswith("^")
    return re.compile(f"[{rule.allowed[1:]}]" if negated else f"[^{rule.allowed}]")


_ALNUM_HYPHEN = "a-zA-Z0-9\\-"
_NET = "a-zA-Z0-9\\-._"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _net(max_length: int, min_length: int = 1) -> NameRule:
    return NameRule(min_length, max_length, _NET, "letters, digits, '-', '.', '_'; starts with a letter or digit, "
                    "ends with a letter, digit or '_'", start="a-zA-Z0-9", end="a-zA-Z0-9_")


def _lower_hyphen(min_length: int, max_length: int) -> NameRule:
    return NameRule(min_length, max_length, "a-z0-9\\-", "lower-case letters, digits and single hyphens; starts "
                    "and ends with a letter or digit", start="a-z0-9", end="a-z0-9", no_double_hyphen=True)


def _free(max_length: int) -> NameRule:
    return NameRule(1, max_length, "^%&\\\\?/#<>*", "any characters except % & \\ ? / # < > *")


NAME_RULES: dict[str, NameRule] = {
    "Microsoft.Storage/storageAccounts": NameRule(
        3, 24, "a-z0-9", "lower-case letters and digits only", globally_unique=True),
    "Microsoft.Storage/storageAccounts/blobServices/containers": _lower_hyphen(3, 63),
    "Microsoft.Storage/storageAccounts/queueServices/queues": _lower_hyphen(3, 63),
    "Microsoft.Storage/storageAccounts/tableServices/tables": NameRule(
        3, 63, "a-zA-Z0-9", "letters and digits, starting with a letter", start="a-zA-Z"),
    "Microsoft.DocumentDB/databaseAccounts": NameRule(
        3, 44, "a-z0-9\\-", "lower-case letters, digits and hyphens; starts and ends with a letter or digit",
        start="a-z0-9", end="a-z0-9", globally_unique=True),
    "Microsoft.DocumentDB/databaseAccounts/sqlDatabases": NameRule(
        1, 255, "^/\\\\#?", "up to 255 characters without / \\ # ?"),
    "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers": NameRule(
        1, 255, "^/\\\\#?", "up to 255 characters without / \\ # ?"),
    "Microsoft.Web/sites": NameRule(
        2, 60, _ALNUM_HYPHEN, "letters, digits and hyphens; starts and ends with a letter or digit",
        start="a-zA-Z0-9", end="a-zA-Z0-9", globally_unique=True),
    "Microsoft.Web/serverfarms": NameRule(1, 60, _ALNUM_HYPHEN, "letters, digits and hyphens"),
    "Microsoft.Web/staticSites": NameRule(
        1, 60, _ALNUM_HYPHEN, "letters, digits and hyphens; starts and ends with a letter or digit",
        start="a-zA-Z0-9", end="a-zA-Z0-9"),
    "Microsoft.KeyVault/vaults": NameRule(
        3, 24, _ALNUM_HYPHEN, "letters, digits and single hyphens; starts with a letter, ends with a letter or "
        "digit", start="a-zA-Z", end="a-zA-Z0-9", globally_unique=True, no_double_hyphen=True),
    "Microsoft.KeyVault/vaults/secrets": NameRule(1, 127, _ALNUM_HYPHEN, "letters, digits and hyphens"),
    "Microsoft.Insights/components": _free(260),
    "Microsoft.Insights/actionGroups": _free(260),
    "Microsoft.Insights/metricAlerts": _free(260),
    "Microsoft.Insights/diagnosticSettings": _free(260),
    "Microsoft.OperationalInsights/workspaces": NameRule(
        4, 63, _ALNUM_HYPHEN, "letters, digits and hyphens; starts and ends with a letter or digit",
        start="a-zA-Z0-9", end="a-zA-Z0-9"),
    "Microsoft.ServiceBus/namespaces": NameRule(
        6, 50, _ALNUM_HYPHEN, "letters, digits and hyphens; starts with a letter, ends with a letter or digit",
        start="a-zA-Z", end="a-zA-Z0-9", globally_unique=True),
    "Microsoft.ServiceBus/namespaces/queues": NameRule(
        1, 260, "a-zA-Z0-9\\-._~", "letters, digits, '.', '-', '_', '~'; starts and ends with a letter or digit",
        start="a-zA-Z0-9", end="a-zA-Z0-9"),
    "Microsoft.ServiceBus/namespaces/topics": NameRule(
        1, 260, "a-zA-Z0-9\\-._~", "letters, digits, '.', '-', '_', '~'; starts and ends with a letter or digit",
        start="a-zA-Z0-9", end="a-zA-Z0-9"),
    "Microsoft.ServiceBus/namespaces/topics/subscriptions": NameRule(
        1, 50, "a-zA-Z0-9\\-._~", "letters, digits, '.', '-', '_', '~'; starts and ends with a letter or digit",
        start="a-zA-Z0-9", end="a-zA-Z0-9"),
    "Microsoft.ManagedIdentity/userAssignedIdentities": NameRule(
        3, 128, "a-zA-Z0-9\\-_", "letters, digits, '-' and '_'; starts with a letter or digit", start="a-zA-Z0-9"),
    "Microsoft.Cache/redis": NameRule(
        1, 63, _ALNUM_HYPHEN, "letters, digits and single hyphens; starts and ends with a letter or digit",
        start="a-zA-Z0-9", end="a-zA-Z0-9", globally_unique=True, no_double_hyphen=True),
    "Microsoft.Cdn/profiles": NameRule(
        1, 260, _ALNUM_HYPHEN, "letters, digits and hyphens; starts and ends with a letter or digit",
        start="a-zA-Z0-9", end="a-zA-Z0-9"),
    "Microsoft.Cdn/profiles/afdEndpoints": NameRule(
        1, 50, _ALNUM_HYPHEN, "letters, digits and hyphens; starts and ends with a letter or digit",
        start="a-zA-Z0-9", end="a-zA-Z0-9", globally_unique=True),
    "Microsoft.Cdn/profiles/originGroups": NameRule(
        1, 90, _ALNUM_HYPHEN, "letters, digits and hyphens; starts and ends with a letter or digit",
        start="a-zA-Z0-9", end="a-zA-Z0-9"),
    "Microsoft.Cdn/profiles/originGroups/origins": NameRule(
        1, 90, _ALNUM_HYPHEN, "letters, digits and hyphens; starts and ends with a letter or digit",
        start="a-zA-Z0-9", end="a-zA-Z0-9"),
    "Microsoft.Cdn/profiles/afdEndpoints/routes": NameRule(
        1, 90, _ALNUM_HYPHEN, "letters, digits and hyphens; starts and ends with a letter or digit",
        start="a-zA-Z0-9", end="a-zA-Z0-9"),
    "Microsoft.Cdn/profiles/ruleSets": NameRule(
        1, 60, "a-zA-Z0-9", "letters and digits, starting with a letter", start="a-zA-Z"),
    "Microsoft.Cdn/profiles/ruleSets/rules": NameRule(
        1, 260, "a-zA-Z0-9", "letters and digits, starting with a letter", start="a-zA-Z"),
    "Microsoft.Cdn/profiles/customDomains": NameRule(
        1, 260, _ALNUM_HYPHEN, "letters, digits and hyphens; starts and ends with a letter or digit",
        start="a-zA-Z0-9", end="a-zA-Z0-9"),
    "Microsoft.Network/virtualNetworks": _net(64, 2),
    "Microsoft.Network/virtualNetworks/subnets": _net(80),
    "Microsoft.Network/networkSecurityGroups": _net(80),
    "Microsoft.Network/networkSecurityGroups/securityRules": _net(80),
    "Microsoft.Network/privateEndpoints": _net(64, 2),
    "Microsoft.Network/privateEndpoints/privateDnsZoneGroups": _net(80),
    "Microsoft.Network/privateDnsZones/virtualNetworkLinks": _net(80),
    "Microsoft.Network/trafficmanagerprofiles": NameRule(
        1, 63, "a-zA-Z0-9\\-.", "letters, digits, hyphens and periods; starts and ends with a letter or digit",
        start="a-zA-Z0-9", end="a-zA-Z0-9", globally_unique=True),
    "Microsoft.Network/trafficmanagerprofiles/azureEndpoints": _net(260),
    "Microsoft.Network/trafficmanagerprofiles/externalEndpoints": _net(260),
    "Microsoft.Network/privateDnsZones": NameRule(
        1, 253, "a-zA-Z0-9\\-.", "a DNS domain name", start="a-zA-Z0-9", end="a-zA-Z0-9"),
    "Microsoft.Network/dnsZones": NameRule(
        1, 253, "a-zA-Z0-9\\-.", "a DNS domain name", start="a-zA-Z0-9", end="a-zA-Z0-9"),
    "Microsoft.Network/dnsZones/CNAME": NameRule(
        1, 253, "a-zA-Z0-9\\-._@*", "a DNS record name (or '@')"),
    "Microsoft.Resources/resourceGroups": NameRule(
        1, 90, "a-zA-Z0-9\\-._()", "letters, digits, '-', '_', '.', '(' and ')'; does not end with '.'",
        end="a-zA-Z0-9\\-_()"),
    "Microsoft.Resources/deployments": NameRule(1, 64, "a-zA-Z0-9\\-._()", "letters, digits, '-', '_', '.', '(', ')'"),
    "Microsoft.Authorization/roleAssignments": NameRule(36, 36, "0-9a-fA-F\\-", "a GUID", guid=True),
    "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments": NameRule(36, 36, "0-9a-fA-F\\-", "a GUID", guid=True),
}


def name_rule_for(resource_type: str) -> NameRule | None:
    """The naming rule of a resource type (case-insensitive), or None when it has none."""
    rule = NAME_RULES.get(resource_type)
    if rule is None:
        lowered = resource_type.lower()
        for key, value in NAME_RULES.items():
            if key.lower() == lowered:
                return value
    return rule


def validate_name(resource_type: str, name: str) -> str | None:
    """Why ``name`` is not a valid name for ``resource_type``, or None when it is valid."""
    rule = name_rule_for(resource_type)
    if rule is None:
        return None if name else "the name is empty"
    if rule.guid:
        return None if _GUID.match(name) else f"{name!r} is not a GUID"
    if not rule.min_length <= len(name) <= rule.max_length:
        return (f"{name!r} has {len(name)} characters; {resource_type} names need "
                f"{rule.min_length}-{rule.max_length} ({rule.description})")
    if not rule.pattern().match(name):
        return f"{name!r} is not a valid {resource_type} name: {rule.description}"
    if rule.no_double_hyphen and "--" in name:
        return f"{name!r} contains '--', which {resource_type} names may not"
    return None


def short_hash(*parts: str, length: int = 6) -> str:
    """A stable lower-case alphanumeric hash of ``parts`` (base32 of SHA-256)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    # Base32 turns each 5 bytes into 8 characters on their own: encode only the bytes the prefix needs.
    needed = -(-length // 8) * 5
    return base64.b32encode(digest[:needed]).decode().lower()[:length]


@functools.lru_cache(maxsize=256)  # the parts that repeat (abbreviation, backend, environment) stay in
def _sanitize(part: str, rule: NameRule) -> str:
    text = part.lower() if rule.lowercase_only else part
    bad = _disallowed(rule)
    sep = rule.separator
    text = bad.sub(sep, text)
    if sep:
        text = _repeated(sep).sub(sep, text).strip(sep)
    return text


@functools.lru_cache(maxsize=8)
def _repeated(separator: str) -> re.Pattern[str]:
    """Two or more ``separator`` in a row."""
    return re.compile(re.escape(separator) + "{2,}")


def _shrink(parts: list[str], room: int, sep_length: int) -> list[str]:
    """Shorten the longest parts first, so that short ones (environment, suffix) stay whole."""
    parts = [p for p in parts if p]
    while parts and sum(map(len, parts)) + sep_length * (len(parts) - 1) > room:
        longest = max(range(len(parts)), key=lambda i: (len(parts[i]), -i))
        parts[longest] = parts[longest][:-1]
        if not parts[longest]:
            parts.pop(longest)
    return parts


def generate_name(resource_type: str, parts: Sequence[str], *, seed: str = "", unique: bool | None = None) -> str:
    """A valid, deterministic name for ``resource_type`` made of readable ``parts``.

    A short stable hash of ``seed`` and the parts is appended where the type's names must be
    globally unique (or ``unique=True``), and whenever the readable name is too long.
    """
    rule = name_rule_for(resource_type)
    if rule is None:
        return "-".join(p for p in parts if p)
    if rule.guid:
        raise ValueError(f"{resource_type} names are GUIDs; use a guid() expression")
    sep = rule.separator
    cleaned = [c for c in (_sanitize(p, rule) for p in parts) if c]
    readable = sep.join(cleaned)
    needs_hash = rule.globally_unique if unique is None else unique
    if not needs_hash and len(readable) > rule.max_length:
        needs_hash = True
    hashed = short_hash(seed, resource_type, *parts) if needs_hash else ""  # else made when a short name needs it
    if needs_hash:
        room = rule.max_length - len(hashed) - len(sep)
        shrunk = [p.strip(sep) if sep else p for p in _shrink(cleaned, room, len(sep))]
        readable = sep.join(p for p in shrunk if p).strip(sep)[:room].rstrip(sep)
        name = f"{readable}{sep}{hashed}" if readable else hashed
    else:
        name = readable
    if rule.start and not _character_class(rule.start).match(name[:1] or " "):
        name = ("a" if rule.lowercase_only else "x") + sep + name
        name = name[: rule.max_length].rstrip(sep)
    if len(name) < rule.min_length:
        hashed = hashed or short_hash(seed, resource_type, *parts)
        while len(name) < rule.min_length:
            name += hashed[: rule.min_length - len(name)]
    if rule.end:
        end = _character_class(rule.end)
        while name and not end.match(name[-1]):
            name = name[:-1]
        if len(name) < rule.min_length:
            name = (name + (hashed or short_hash(seed, resource_type, *parts)))[: rule.max_length]
    return name


@functools.lru_cache(maxsize=64)
def _character_class(characters: str) -> re.Pattern[str]:
    """``[characters]`` compiled once (a rule's first or last character)."""
    return re.compile(f"[{characters}]")

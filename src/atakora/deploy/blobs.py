"""Publishing a package to a blob of the backend's storage account, also when the account refuses public traffic.

An isolated backend's account has ``publicNetworkAccess: Disabled`` (private endpoints) or a network rule set
that denies by default. The deploy step reaches it either from inside the virtual network (``from_vnet``:
the private endpoint answers) or, by default, through the management plane: for the upload only it enables
public access restricted to the caller's public IP (an ``ipRules`` entry, with ``defaultAction: Deny``) and
afterwards restores the account's own settings, also when the upload fails. The app itself reads the package
over its VNet integration and the private endpoint, never over the public endpoint.
https://learn.microsoft.com/azure/storage/common/storage-network-security
"""

from __future__ import annotations

import ipaddress
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .clients import StorageAccessDenied, StorageApi
from .errors import DeployError
from .packages import DependencyInstaller, PipInstaller

__all__ = ["PublishOptions", "Reachable", "detect_public_ip", "reachable_account", "upload_package"]

IP_SERVICE = "https://api.ipify.org"
"""Asked for the caller's public IP when ``--client-ip`` is not given (one HTTPS GET, nothing sent)."""


def detect_public_ip(url: str = IP_SERVICE, timeout: float = 10.0) -> str:
    """The public IPv4 address this machine's traffic leaves from, as ``url`` sees it."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            text = response.read(64).decode("ascii", "replace").strip()
    except OSError as error:
        raise DeployError(f"could not find this machine's public IP address ({url}: {error})",
                          fix="pass --client-ip YOUR.PUBLIC.IP, or deploy from inside the virtual network with "
                              "--from-vnet") from None
    return _checked_ip(text)


def _checked_ip(text: str) -> str:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise DeployError(f"{text!r} is not an IP address", fix="pass --client-ip with your public IPv4 address")
    if address.version != 4 or not address.is_global:
        raise DeployError(f"{text} cannot be allowed by a storage network rule (rules take public IPv4 "
                          "addresses only)", fix="pass --client-ip with your public IPv4 address, or deploy from "
                                                 "inside the virtual network with --from-vnet")
    return str(address)


@dataclass(frozen=True)
class PublishOptions:
    """How packages reach their storage.

    ``from_vnet`` (default False): the deploy runs inside the backend's virtual network, so the storage
    firewall is left alone and Function Apps that refuse public traffic are published through their private
    endpoint. ``client_ip`` (default: detected with :func:`detect_public_ip`) is the address a temporary
    storage rule allows. ``installer`` installs Python dependencies (default :class:`PipInstaller`).
    ``firewall_wait`` (default 120 s) bounds how long an upload is retried while a new rule takes effect,
    every ``poll_interval`` (default 5 s).
    """

    from_vnet: bool = False
    client_ip: str | None = None
    installer: DependencyInstaller = field(default_factory=PipInstaller)
    ip_lookup: Callable[[], str] = detect_public_ip
    firewall_wait: float = 120.0
    poll_interval: float = 5.0

    def caller_ip(self) -> str:
        """``client_ip``, or the detected public IP."""
        return _checked_ip(self.client_ip) if self.client_ip else _checked_ip(self.ip_lookup())


@dataclass(frozen=True)
class Reachable:
    """The account's blob endpoint, and the IP a temporary rule allowed (None when none was needed)."""

    blob_endpoint: str
    opened_for: str | None


def _account_id(subscription: str, group: str, account: str) -> str:
    return f"/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Storage/storageAccounts/{account}"


def _management(stack_id: str, what: str, call: Callable[[], Any], account_id: str) -> Any:
    from azure.core.exceptions import HttpResponseError

    try:
        return call()
    except HttpResponseError as error:
        from .arm import describe_arm_error

        fix = ""
        if getattr(error, "status_code", None) == 403:
            fix = (f"your identity needs Microsoft.Storage/storageAccounts/write on {account_id} (Storage Account "
                   "Contributor or Contributor) for atakora to open the firewall during the upload; or deploy "
                   "from inside the virtual network with --from-vnet")
        raise DeployError(f"could not {what}:\n{describe_arm_error(error)}", stack_id=stack_id, fix=fix) from error


@contextmanager
def reachable_account(storage: StorageApi, *, stack_id: str, subscription: str, group: str, account: str,
                      options: PublishOptions) -> Iterator[Reachable]:
    """Make ``account``'s blob endpoint reachable from here for the duration of the block.

    An account open to public networks, or any account with ``from_vnet``, is left as it is. Otherwise
    public access is enabled for the caller's IP only, and restored when the block ends (however it ends).
    """
    account_id = _account_id(subscription, group, account)
    props: Mapping[str, Any] = _management(stack_id, f"read storage account {account}",
                                           lambda: storage.account(group, account), account_id) or {}
    endpoint = str((props.get("primaryEndpoints") or {}).get("blob") or f"https://{account}.blob.core.windows.net/")
    acls: dict[str, Any] = dict(props.get("networkAcls") or {})
    public = str(props.get("publicNetworkAccess") or "Enabled")
    if options.from_vnet or (public != "Disabled" and acls.get("defaultAction", "Allow") == "Allow"):
        yield Reachable(endpoint, None)
        return
    ip = options.caller_ip()
    rules = list(acls.get("ipRules") or [])
    already = any(str(r.get("value", "")).split("/")[0] == ip for r in rules)
    opened = {**acls, "defaultAction": "Deny",
              "ipRules": rules if already else [*rules, {"value": ip, "action": "Allow"}]}
    _management(stack_id, f"allow {ip} through the firewall of storage account {account}",
                lambda: storage.update_network(group, account, network_acls=opened,
                                               public_network_access="Enabled" if public == "Disabled" else None),
                account_id)
    try:
        yield Reachable(endpoint, ip)
    finally:
        restore_fix = (f"remove the rule yourself: az storage account network-rule remove --account-name {account} "
                       f"--resource-group {group} --ip-address {ip}"
                       + (f" && az storage account update --name {account} --resource-group {group} "
                          "--public-network-access Disabled" if public == "Disabled" else ""))
        try:
            storage.update_network(group, account, network_acls=acls,
                                   public_network_access=public if public == "Disabled" else None)
        except Exception as error:  # the account must not stay open: say exactly how to close it
            raise DeployError(f"could not restore the firewall of storage account {account} after the upload: "
                              f"{error}", stack_id=stack_id, fix=restore_fix) from error


def upload_package(storage: StorageApi, *, stack_id: str, subscription: str, group: str, account: str,
                   where: Reachable, container: str, blob: str, data: bytes, options: PublishOptions,
                   sleep: Callable[[float], None] = time.sleep) -> str:
    """Upload ``data`` to ``container/blob`` and return the blob's URL; explain a refusal precisely.

    Right after a temporary rule was added, ``AuthorizationFailure`` is retried until ``firewall_wait``.
    """
    url = f"{where.blob_endpoint.rstrip('/')}/{container}/{blob}"
    scope = f"{_account_id(subscription, group, account)}/blobServices/default/containers/{container}"
    role_fix = (f"assign yourself Storage Blob Data Contributor on the container (Contributor or Owner give no "
                f"data access): az role assignment create --role \"Storage Blob Data Contributor\" --assignee "
                f"$(az ad signed-in-user show --query id -o tsv) --scope {scope}  (a service principal: "
                "--assignee <its app id>); role assignments take a few minutes to apply")
    deadline = time.monotonic() + options.firewall_wait
    while True:
        try:
            storage.upload_blob(where.blob_endpoint, container, blob, data)
            return url
        except StorageAccessDenied as error:
            if error.code == "AuthorizationPermissionMismatch":
                raise DeployError(f"storage account {account} refused the upload of {url}: your identity may "
                                  "read but not write blobs there", stack_id=stack_id, fix=role_fix) from None
            if where.opened_for is not None and time.monotonic() < deadline:
                sleep(options.poll_interval)  # a new network rule takes a moment to apply
                continue
            network = (f"the network rule for {where.opened_for} did not take effect in "
                       f"{options.firewall_wait:.0f}s (a proxy or VPN may give you another public IP: pass "
                       "--client-ip)" if where.opened_for else
                       "with --from-vnet the upload must come from inside the virtual network, through the "
                       "account's private endpoint" if options.from_vnet else "")
            reasons = f"either {network}, or " if network else ""
            raise DeployError(f"storage account {account} refused the upload of {url} ({error.code or '403'}): "
                              f"{reasons}your identity has no data role on the container",
                              stack_id=stack_id, fix=role_fix) from None

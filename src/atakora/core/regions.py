"""Azure region names (ARM form, e.g. 'eastus2'): validation with suggestions."""

from __future__ import annotations

import difflib

__all__ = ["REGIONS", "region_problem"]

REGIONS = frozenset(["australiacentral", "australiacentral2", "australiaeast", "australiasoutheast", "austriaeast", "belgiumcentral", "brazilsouth", "brazilsoutheast", "canadacentral", "canadaeast", "centralindia", "centralus", "centraluseuap", "chilecentral", "denmarkeast", "eastasia", "eastus", "eastus2", "eastus2euap", "francecentral", "francesouth", "germanynorth", "germanywestcentral", "indonesiacentral", "israelcentral", "italynorth", "japaneast", "japanwest", "jioindiacentral", "jioindiawest", "koreacentral", "koreasouth", "malaysiawest", "mexicocentral", "newzealandnorth", "northcentralus", "northeurope", "norwayeast", "norwaywest", "polandcentral", "qatarcentral", "southafricanorth", "southafricawest", "southcentralus", "southeastasia", "southindia", "spaincentral", "swedencentral", "swedensouth", "switzerlandnorth", "switzerlandwest", "uaecentral", "uaenorth", "uksouth", "ukwest", "westcentralus", "westeurope", "westindia", "westus", "westus2", "westus3", "usgovarizona", "usgovtexas", "usgovvirginia", "usdodcentral", "usdodeast", "chinaeast", "chinaeast2", "chinaeast3", "chinanorth", "chinanorth2", "chinanorth3"])
"""Public, Azure Government and Azure China regions."""


def region_problem(location: str, *, allow_global: bool = False) -> str | None:
    """Why ``location`` is not an Azure region name, or None when it is one."""
    if allow_global and location == "global":
        return None
    compact = location.replace(" ", "").replace("-", "").lower()
    if location in REGIONS:
        return None
    if compact in REGIONS:
        return f"write the region as {compact!r} (ARM names are lower case without spaces), not {location!r}"
    if location == "global":
        return ("'global' is not a region for a resource group or regional resources: a resource group stores "
                "its metadata in a region; global resources (Traffic Manager, Front Door, DNS) get 'global' "
                "themselves, so give their stack a region such as 'eastus'")
    close = difflib.get_close_matches(compact, sorted(REGIONS), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return f"{location!r} is not an Azure region{hint}"

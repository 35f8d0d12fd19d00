"""Must NOT type-check: a typo in a component name is caught by mypy and pyright."""

from __future__ import annotations

from atakora.backend import Components, define_backend
from atakora.components import CrudApi


class Shop(Components):
    user_api = CrudApi.define("UserApi", entity_name="User", schema={"id": "string", "name": "string"})


backend = define_backend(Shop, environment="prod")
api = backend.components.user_ap

from __future__ import annotations

from atakora import App, ResourceGroupStack
from atakora.core import ArmResource
from atakora.core import expressions as x
from atakora.testing import Template


def storage(scope: ResourceGroupStack, id: str, name: str, **props: object) -> ArmResource:
    return ArmResource(scope, id, type="Microsoft.Storage/storageAccounts", api_version="2025-08-01", name=name,
                       sku={"name": "Standard_LRS"}, kind="StorageV2", properties=props)


def test_functions_render_with_quoted_arguments() -> None:
    class Ctx:
        def resource_id_call(self, resource: object) -> str:
            raise AssertionError

        def note_dependency(self, resource: object) -> None:
            raise AssertionError

    ctx = Ctx()
    assert x.concat("it's", x.parameter("p"), 3).render(ctx) == "[concat('it''s', parameters('p'), 3)]"
    assert x.format_("{0}-x", x.unique_string(x.resource_group().get("id"))).render(ctx) == (
        "[format('{0}-x', uniqueString(resourceGroup().id))]")
    assert x.guid(x.subscription()["subscriptionId"], "a").render(ctx) == "[guid(subscription().subscriptionId, 'a')]"
    assert x.environment().get("suffixes").get("storage").render(ctx) == "[environment().suffixes.storage]"
    assert x.parameter("p")["a-b"][0].render(ctx) == "[parameters('p')['a-b'][0]]"


def test_using_another_resources_attribute_adds_depends_on() -> None:
    app = App(outdir="unused")
    stack = ResourceGroupStack(app, "S", resource_group_name="rg", location="eastus")
    first = storage(stack, "First", "stfirst001")
    storage(stack, "Second", "stsecond001", endpoint=first.attribute("primaryEndpoints", "blob"))
    second = Template.from_stack(stack).resources[1]
    assert second["properties"]["endpoint"] == (
        "[reference(resourceId('Microsoft.Storage/storageAccounts', 'stfirst001'), '2025-08-01')"
        ".primaryEndpoints.blob]")
    assert second["dependsOn"] == ["[resourceId('Microsoft.Storage/storageAccounts', 'stfirst001')]"]


def test_a_reference_across_stacks_names_the_other_resource_group_and_orders_the_stacks(tmp_path: object) -> None:
    app = App(outdir=str(tmp_path))
    shared = ResourceGroupStack(app, "Shared", resource_group_name="rg-shared", location="eastus")
    uses = ResourceGroupStack(app, "Uses", resource_group_name="rg-uses", location="eastus")
    first = storage(shared, "First", "stfirst001")
    storage(uses, "Second", "stsecond001", target=first.resource_id)
    assembly = app.synth()
    second = assembly.template("Uses")["resources"][0]
    assert second["properties"]["target"] == (
        "[resourceId('rg-shared', 'Microsoft.Storage/storageAccounts', 'stfirst001')]")
    assert "dependsOn" not in second
    assert assembly.unit("Uses").dependencies == ["Shared"]
    assert assembly.manifest["deployOrder"] == ["Shared", "Uses"]


def test_literal_strings_that_start_with_a_bracket_are_escaped() -> None:
    app = App(outdir="unused")
    stack = ResourceGroupStack(app, "S", resource_group_name="rg", location="eastus")
    storage(stack, "One", "stone001", note="[not an expression]")
    assert Template.from_stack(stack).resources[0]["properties"]["note"] == "[[not an expression]"


def test_overrides_set_and_delete_members_of_the_rendered_resource() -> None:
    app = App(outdir="unused")
    stack = ResourceGroupStack(app, "S", resource_group_name="rg", location="eastus")
    one = storage(stack, "One", "stone001", keep=1, drop=2)
    one.add_override("properties.nested.value", x.parameter("p"))
    one.add_deletion_override("properties.drop")
    props = Template.from_stack(stack).resources[0]["properties"]
    assert props == {"keep": 1, "nested": {"value": "[parameters('p')]"}}


def test_render_value_treats_subclasses_mappings_and_tuples_like_plain_data() -> None:
    import enum
    import types

    import pytest

    from atakora.errors import ExpressionError

    class Tier(str, enum.Enum):
        HOT = "Hot"
        BRACKET = "[x"

    class Ctx:
        def resource_id_call(self, resource: object) -> str:
            raise AssertionError

        def note_dependency(self, resource: object) -> None:
            raise AssertionError

        def resolve_string(self, value: str) -> object:
            return x.parameter("p") if value == "${p}" else value

    ctx = Ctx()
    value = {"a": [["[x", 1, 2.5, True, None], ("[y", x.parameter("q"))],
             "m": types.MappingProxyType({"t": Tier.HOT, "b": Tier.BRACKET, "${p}": "${p}"}),
             x.parameter("k"): {"[key": "plain"}, 3: (Tier.HOT,)}
    assert x.render_value(value, ctx) == {
        "a": [["[[x", 1, 2.5, True, None], ["[[y", "[parameters('q')]"]],
        "m": {"t": Tier.HOT, "b": "[[x", "[parameters('p')]": "[parameters('p')]"},
        "[parameters('k')]": {"[key": "plain"}, 3: [Tier.HOT]}
    with pytest.raises(ExpressionError, match="set"):
        x.render_value({"a": [{"b": {1, 2}}]}, ctx)

"""The flag SDKs we recognise: which modules they live in and which calls take a flag key.

A check's *kind* says what removal may do with it:
- ``bool``: returns the flag's on/off state, so it can become ``True``/``False``;
- ``negated``: returns the opposite state (GrowthBook ``is_off``);
- ``bool_if_default``: a generic evaluation (LaunchDarkly ``variation``) that is a boolean check
  when its default argument is a bool literal;
- ``value``: returns a variant or payload, which only a human can inline.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckCall:
    """One recognised call: where its key is and what it returns."""

    name: str
    key_position: int
    key_keywords: tuple[str, ...]
    kind: str = "bool"
    default_position: int | None = None
    default_keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sdk:
    name: str
    modules: tuple[str, ...]
    # Called on a client object (receiver) created from the SDK.
    methods: tuple[CheckCall, ...] = ()
    # Called as plain functions imported from the SDK's modules.
    functions: tuple[CheckCall, ...] = ()

    def method(self, name: str) -> CheckCall | None:
        return next((call for call in self.methods if call.name == name), None)

    def function(self, name: str) -> CheckCall | None:
        return next((call for call in self.functions if call.name == name), None)


def _value(name: str, keywords: tuple[str, ...]) -> CheckCall:
    return CheckCall(name, 0, keywords, kind="value")


SDKS: tuple[Sdk, ...] = (
    Sdk(
        "launchdarkly",
        ("ldclient",),
        methods=(
            CheckCall("variation", 0, ("key",), "bool_if_default", 2, ("default",)),
            _value("variation_detail", ("key",)),
        ),
    ),
    Sdk(
        "unleash",
        ("UnleashClient",),
        methods=(CheckCall("is_enabled", 0, ("feature_name",)), _value("get_variant", ("feature_name",))),
    ),
    Sdk(
        "flagsmith",
        ("flagsmith",),
        methods=(
            CheckCall("is_feature_enabled", 0, ("feature_name",)),
            _value("get_feature_value", ("feature_name",)),
        ),
    ),
    Sdk(
        "waffle",
        ("waffle",),
        functions=(
            CheckCall("flag_is_active", 1, ("flag_name",)),
            CheckCall("switch_is_active", 0, ("switch_name",)),
            CheckCall("sample_is_active", 0, ("sample_name",)),
        ),
    ),
    Sdk(
        "growthbook",
        ("growthbook",),
        methods=(
            CheckCall("is_on", 0, ("key",)),
            CheckCall("is_off", 0, ("key",), kind="negated"),
            _value("get_feature_value", ("key",)),
            _value("eval_feature", ("key",)),
        ),
    ),
    Sdk(
        "posthog",
        ("posthog",),
        methods=(
            CheckCall("feature_enabled", 0, ("key",)),
            _value("get_feature_flag", ("key",)),
            _value("get_feature_flag_payload", ("key",)),
        ),
        functions=(
            CheckCall("feature_enabled", 0, ("key",)),
            _value("get_feature_flag", ("key",)),
            _value("get_feature_flag_payload", ("key",)),
        ),
    ),
    Sdk(
        "openfeature",
        ("openfeature",),
        methods=(
            CheckCall("get_boolean_value", 0, ("flag_key",)),
            _value("get_boolean_details", ("flag_key",)),
            _value("get_string_value", ("flag_key",)),
            _value("get_string_details", ("flag_key",)),
            _value("get_integer_value", ("flag_key",)),
            _value("get_integer_details", ("flag_key",)),
            _value("get_float_value", ("flag_key",)),
            _value("get_float_details", ("flag_key",)),
            _value("get_object_value", ("flag_key",)),
            _value("get_object_details", ("flag_key",)),
        ),
    ),
    Sdk(
        "configcat",
        ("configcatclient",),
        methods=(
            CheckCall("get_value", 0, ("key",), "bool_if_default", 1, ("default_value",)),
            _value("get_value_details", ("key",)),
        ),
    ),
    Sdk(
        "harness",
        ("featureflags",),
        methods=(
            CheckCall("bool_variation", 0, ("identifier",)),
            _value("string_variation", ("identifier",)),
            _value("number_variation", ("identifier",)),
            _value("json_variation", ("identifier",)),
        ),
    ),
)

# django-waffle's declarative forms, by qualified name (any re-export path under ``waffle``).
WAFFLE_DECORATORS = {"waffle_flag": "flag", "waffle_switch": "switch"}
WAFFLE_MIXINS = {
    "WaffleFlagMixin": "waffle_flag",
    "WaffleSwitchMixin": "waffle_switch",
    "WaffleSampleMixin": "waffle_sample",
}
WAFFLE_OVERRIDES = ("override_flag", "override_switch", "override_sample")


def call_names() -> set[str]:
    """Every method/function/decorator name whose presence in a file's text makes it worth parsing."""
    names = {call.name for sdk in SDKS for call in (*sdk.methods, *sdk.functions)}
    names.update(WAFFLE_DECORATORS)
    names.update(WAFFLE_MIXINS)
    names.update(WAFFLE_OVERRIDES)
    return names

"""Is this call a flag check, which flag, and what does it return? One answer for scan and removal."""

from __future__ import annotations

from dataclasses import dataclass

from .config import FlagsConfig
from .sdks import SDKS, WAFFLE_DECORATORS, WAFFLE_MIXINS, WAFFLE_OVERRIDES, CheckCall, Sdk
from .shapes import CallShape, Const, Dotted, Expr, Method, provenance_root
from .summary import ModuleSummary, ProjectIndex


@dataclass(frozen=True)
class FlagCheck:
    sdk: str  # launchdarkly, unleash, ..., helper, registry
    call: str  # the method/function/decorator name as written
    kind: str  # bool | negated | value | decorator | override | mixin | registry
    key: str | None  # the flag's name, None when it cannot be known statically
    negated: bool = False  # waffle "!name": the check passes when the flag is off
    impure_arguments: bool = False  # removing the call would drop side effects
    active: bool | None = None  # override_flag(..., active=...)


def _key(index: ProjectIndex, summary: ModuleSummary, expr: Expr | None) -> tuple[str | None, bool]:
    """(flag name, negated) for an argument; waffle's "!name" means "when name is off"."""
    key = index.key_value(expr, summary)
    if key is not None and key.startswith("!"):
        return key[1:], True
    return key, False


def _keywords(keyword: str | None) -> tuple[str, ...]:
    return (keyword,) if keyword else ()


def _impure_besides(shape: CallShape, key_expr: Expr | None) -> bool:
    values = [*shape.args, *(value for _, value in shape.keywords)]
    return shape.has_star_args or any(not value.pure for value in values if value is not key_expr)


def _from_call(
    sdk: str, call: CheckCall, shape: CallShape, summary: ModuleSummary, index: ProjectIndex
) -> FlagCheck:
    key_expr = shape.argument(call.key_position, call.key_keywords)
    key, negated = _key(index, summary, key_expr)
    kind = call.kind
    if kind == "bool_if_default":
        default = shape.argument(call.default_position, call.default_keywords)
        kind = "bool" if isinstance(default, Const) and isinstance(default.value, bool) else "value"
    return FlagCheck(sdk, call.name, kind, key, negated, _impure_besides(shape, key_expr))


def _waffle_declarative(
    name: str, shape: CallShape, summary: ModuleSummary, index: ProjectIndex
) -> FlagCheck | None:
    if name in WAFFLE_DECORATORS:
        key_expr = shape.argument(0, ("flag_name", "switch_name"))
        key, negated = _key(index, summary, key_expr)
        return FlagCheck("waffle", name, "decorator", key, negated, _impure_besides(shape, key_expr))
    if name in WAFFLE_OVERRIDES:
        key_expr = shape.argument(0, ("name",))
        key, negated = _key(index, summary, key_expr)
        active_expr = shape.argument(1, ("active",))
        active = (
            active_expr.value
            if isinstance(active_expr, Const) and isinstance(active_expr.value, bool)
            else None
        )
        return FlagCheck("waffle", name, "override", key, negated, active=active)
    return None


def _sdk_for_method(
    name: str, receiver: tuple[str, ...] | None, summary: ModuleSummary, index: ProjectIndex
) -> tuple[Sdk, CheckCall] | None:
    receiver_name = summary.qualify(receiver) if receiver else None
    receiver_root = receiver_name.split(".")[0] if receiver_name else None
    imported = summary.imported_roots()
    for sdk in SDKS:
        call = sdk.method(name)
        if call is None:
            continue
        # Best: the receiver demonstrably comes from the SDK (ldclient.get().variation(...)).
        if receiver_root in sdk.modules:
            return sdk, call
    if any(receiver_root in sdk.modules for sdk in SDKS):
        return None  # the receiver is another SDK, which has no such method
    if receiver is not None and receiver[0] in summary.imports and receiver_root is not None:
        # An imported receiver that is not an SDK module can only be a client if it comes from the
        # project itself (``from myapp.clients import ld``); ``os.get_value`` is nobody's flag check.
        if index.module(receiver_root) is None:
            return None
    for sdk in SDKS:
        call = sdk.method(name)
        if call is not None and imported.intersection(sdk.modules):
            return sdk, call
    return None


def match_call(
    shape: CallShape, summary: ModuleSummary, index: ProjectIndex, config: FlagsConfig
) -> FlagCheck | None:
    func = shape.func
    if isinstance(func, Dotted):
        qualified = summary.qualify(func.parts)
        if qualified is not None:
            toggle = config.toggle(qualified)
            if toggle is not None:
                key, negated = _key(
                    index, summary, shape.argument(toggle.key_position, _keywords(toggle.key_keyword))
                )
                value = shape.argument(toggle.value_position, _keywords(toggle.value_keyword))
                active = value.value if isinstance(value, Const) and isinstance(value.value, bool) else None
                return FlagCheck("toggle", func.parts[-1], "override", key, negated, active=active)
            helper = config.helper(qualified)
            if helper is not None:
                keywords: tuple[str, ...]
                if helper.key_keyword:
                    keywords, position = (helper.key_keyword,), None
                else:
                    parameter = index.parameter_name(qualified, helper.key_position)
                    keywords, position = ((parameter,) if parameter else ()), helper.key_position
                key_expr = shape.argument(position, keywords)
                key, negated = _key(index, summary, key_expr)
                return FlagCheck(
                    "helper", func.parts[-1], "bool", key, negated, _impure_besides(shape, key_expr)
                )
            root, last = qualified.split(".")[0], qualified.split(".")[-1]
            for sdk in SDKS:
                if root in sdk.modules:
                    call = sdk.function(last)
                    if call is not None:
                        return _from_call(sdk.name, call, shape, summary, index)
                    if sdk.name == "waffle":
                        found = _waffle_declarative(last, shape, summary, index)
                        if found is not None:
                            return found
        if len(func.parts) >= 2:
            receiver = func.parts[:-1]
            if func.parts[-1] == "get" and summary.qualify(receiver) in config.registries:
                key_expr = shape.argument(0, ())
                key, _ = _key(index, summary, key_expr)
                return FlagCheck(
                    "registry", "get", "registry", key, impure_arguments=_impure_besides(shape, key_expr)
                )
            found_sdk = _sdk_for_method(func.parts[-1], receiver, summary, index)
            if found_sdk is not None:
                return _from_call(found_sdk[0].name, found_sdk[1], shape, summary, index)
        return None
    if isinstance(func, Method):
        found_sdk = _sdk_for_method(func.name, provenance_root(func.receiver), summary, index)
        if found_sdk is not None:
            return _from_call(found_sdk[0].name, found_sdk[1], shape, summary, index)
    return None


def match_registry_subscript(
    value: Expr, key_expr: Expr, summary: ModuleSummary, index: ProjectIndex, config: FlagsConfig
) -> FlagCheck | None:
    """``FEATURE_FLAGS["x"]`` for a configured registry."""
    if isinstance(value, Dotted) and summary.qualify(value.parts) in config.registries:
        key, _ = _key(index, summary, key_expr)
        return FlagCheck("registry", "[]", "registry", key)
    return None


def waffle_mixin_attribute(bases: list[Expr], summary: ModuleSummary) -> str | None:
    """The class attribute (``waffle_flag``...) that names the flag, if a base is a waffle mixin."""
    for base in bases:
        if isinstance(base, Dotted):
            qualified = summary.qualify(base.parts)
            if qualified and qualified.split(".")[0] == "waffle" and base.parts[-1] in WAFFLE_MIXINS:
                return WAFFLE_MIXINS[base.parts[-1]]
    return None

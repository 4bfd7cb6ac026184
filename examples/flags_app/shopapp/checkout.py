"""Checkout: LaunchDarkly decides which flow a user gets."""

import ldclient
from ldclient import Context

from shopapp.flag_names import NEW_CHECKOUT
from shopapp.flags import is_feature_enabled


def _legacy_total(cart):
    # The old flow rounds every line before summing.
    return sum(round(line.price * line.quantity, 2) for line in cart.lines)


def _modern_total(cart):
    return round(sum(line.price * line.quantity for line in cart.lines), 2)


def cart_total(cart, user_key):
    context = Context.builder(user_key).build()
    if ldclient.get().variation(NEW_CHECKOUT, context, False):
        # New flow: round once, at the end.
        return _modern_total(cart)
    return _legacy_total(cart)


def checkout_banner(user_key):
    client = ldclient.get()
    context = Context.builder(user_key).build()
    return "Try our new checkout!" if client.variation("new_checkout_flow", context, False) else ""


def shipping_options(cart):
    options = ["standard"]
    if is_feature_enabled("express_shipping"):
        options.append("express")
    if is_feature_enabled("promo_popup") and cart.total > 100:
        options.append("free-upgrade")
    return options

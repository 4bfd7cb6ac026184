"""Banners: OpenFeature for the welcome banner, PostHog for a seasonal one."""

import posthog
from openfeature import api

client = api.get_client()


def welcome_banner(user):
    show = client.get_boolean_value("welcome-banner", False)
    if not show:
        return None
    return f"Welcome back, {user.name}!"


def holiday_banner(user):
    if posthog.feature_enabled("holiday_banner", user.id):
        return "Happy holidays!"
    return None


def theme(user):
    return client.get_string_value("checkout-theme", "classic")


def gift_wrap_available():
    from shopapp.flags import FEATURE_FLAGS

    return FEATURE_FLAGS["gift_wrap"]

"""Search: an Unleash experiment and a GrowthBook rollout."""

from growthbook import GrowthBook
from UnleashClient import UnleashClient

from shopapp.flag_names import Flag

unleash = UnleashClient(url="http://unleash.internal/api", app_name="shop")


def search(query, user_id):
    if unleash.is_enabled(Flag.BETA_SEARCH, {"userId": user_id}):
        return f"semantic:{query}"
    return f"keyword:{query}"


def results_per_page(attributes):
    gb = GrowthBook(attributes=attributes)
    if gb.is_off("one_click_refunds"):
        return 20
    return 50


def search_variant(user_id):
    return unleash.get_variant("beta_search", {"userId": user_id})

"""Flag keys as constants, so call sites never mistype them."""

from enum import StrEnum

NEW_CHECKOUT = "new_checkout_flow"


class Flag(StrEnum):
    BETA_SEARCH = "beta_search"
    DARK_MODE = "dark_mode"

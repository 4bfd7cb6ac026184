"""Flag keys as constants, so call sites never mistype them."""

from enum import Enum

NEW_CHECKOUT = "new_checkout_flow"


class Flag(str, Enum):
    BETA_SEARCH = "beta_search"
    DARK_MODE = "dark_mode"

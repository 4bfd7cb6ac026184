"""A tiny shop: users and their orders."""

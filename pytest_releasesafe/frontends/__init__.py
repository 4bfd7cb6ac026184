"""Front ends: turn migration files into the shared operation model."""

"""Release 2: expand step of renaming email: email_address added, email kept, both written (safe)."""

from __future__ import annotations

import decimal

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(200), unique=True)
    email_address: Mapped[str | None] = mapped_column(sa.String(200))
    name: Mapped[str | None] = mapped_column(sa.String(100))

    def set_email(self, value: str) -> None:
        """Write both columns until the contract release drops `email`."""
        self.email = value
        self.email_address = value


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    total: Mapped[decimal.Decimal] = mapped_column(sa.Numeric(10, 2))
    note: Mapped[str | None] = mapped_column(sa.Text)

"""Release 2: users.nickname added (safe), then users.name dropped (unsafe)."""

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
    nickname: Mapped[str | None] = mapped_column(sa.String(50))


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    total: Mapped[decimal.Decimal] = mapped_column(sa.Numeric(10, 2))
    note: Mapped[str | None] = mapped_column(sa.Text)

"""The application's models, in step with the migrations."""

import sqlalchemy as sa

metadata = sa.MetaData()

settings = sa.Table(
    "settings",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text(), nullable=True),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("email", sa.String(255), nullable=False),
    sa.Column("full_name", sa.String(100), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=True),
    sa.Index("ix_users_email", "email", unique=True),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
    sa.Column("action", sa.String(50), nullable=False),
)

orders = sa.Table(
    "orders",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
    sa.Column("reference", sa.String(20), nullable=False),
    sa.Column("amount", sa.Numeric(10, 2), nullable=False),
    sa.Column(
        "status", sa.Enum("new", "paid", "shipped", name="order_status"), nullable=False, server_default="new"
    ),
    sa.CheckConstraint("amount > 0", name="ck_orders_amount_positive"),
    sa.UniqueConstraint("user_id", "reference", name="uq_orders_user_reference"),
    sa.Index("ix_orders_status", "status"),
)

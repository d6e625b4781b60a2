"""Alembic's environment: runs the migrations against DATABASE_URL (clinic/db.py)."""

from alembic import context

from clinic.db import database_url, make_engine
from clinic.models import Base

config = context.config
url = config.attributes.get("url") or database_url()

with make_engine(url).connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()

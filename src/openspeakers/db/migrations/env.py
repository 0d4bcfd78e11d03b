"""Alembic environment: the URL comes from the caller (`openspeakers migrate` or start-up)."""

from alembic import context
from sqlalchemy import create_engine

from openspeakers.db.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
if not url:
    from openspeakers.config import get_settings

    url = get_settings().resolved_database_url

connectable = create_engine(url)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()
connectable.dispose()

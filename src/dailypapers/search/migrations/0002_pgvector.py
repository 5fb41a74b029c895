"""On PostgreSQL with the pgvector extension: a vector column and an HNSW index beside the
stored vectors, so search runs inside the database (docs/search.md). Elsewhere: nothing."""

import logging

from django.db import migrations

log = logging.getLogger(__name__)


def add_vector_column(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        if cursor.fetchone() is None:
            log.warning("pgvector is not installed on this server: vectors stay in memory")
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS vector")
        cursor.execute(
            "ALTER TABLE search_searchdocument ADD COLUMN IF NOT EXISTS embedding vector(384)"
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS search_document_embedding_hnsw ON search_searchdocument "
            "USING hnsw (embedding vector_ip_ops) WITH (m = 16, ef_construction = 200)"
        )
    # Vectors stored before this migration reach the column on the next `search reindex`.


def drop_vector_column(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS embedding")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(add_vector_column, drop_vector_column)]

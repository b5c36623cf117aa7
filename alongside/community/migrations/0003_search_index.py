"""Community search: the table of hashed terms, and each database's full-text structure over it
(see alongside.community.search). Existing posts are indexed by `manage.py reindex_community`
after migrating: the hashes need the live encryption key and normalisation code, which a
migration should not freeze."""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "community_searchentry"
VECTOR = (
    "(setweight(to_tsvector('simple'::regconfig, title_terms), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, body_terms), 'D'))"
)

POSTGRESQL = [f"CREATE INDEX community_search_vector ON {TABLE} USING GIN ({VECTOR})"]
POSTGRESQL_REVERSE = ["DROP INDEX IF EXISTS community_search_vector"]

# An external-content FTS5 table: it keeps only its index of the (already hashed) tokens and
# reads the columns from community_searchentry; the triggers keep it in step.
SQLITE = [
    "CREATE VIRTUAL TABLE community_searchfts USING fts5(title_terms, body_terms, "
    "content='community_searchentry', content_rowid='id', tokenize='ascii')",
    """CREATE TRIGGER community_search_insert AFTER INSERT ON community_searchentry BEGIN
        INSERT INTO community_searchfts(rowid, title_terms, body_terms)
        VALUES (new.id, new.title_terms, new.body_terms);
    END""",
    """CREATE TRIGGER community_search_delete AFTER DELETE ON community_searchentry BEGIN
        INSERT INTO community_searchfts(community_searchfts, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
    END""",
    """CREATE TRIGGER community_search_update AFTER UPDATE ON community_searchentry BEGIN
        INSERT INTO community_searchfts(community_searchfts, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
        INSERT INTO community_searchfts(rowid, title_terms, body_terms)
        VALUES (new.id, new.title_terms, new.body_terms);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS community_search_update",
    "DROP TRIGGER IF EXISTS community_search_delete",
    "DROP TRIGGER IF EXISTS community_search_insert",
    "DROP TABLE IF EXISTS community_searchfts",
]


def _run(statements: dict):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0002_author_reveals"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title_terms", models.TextField(blank=True, default="")),
                ("body_terms", models.TextField(blank=True, default="")),
                ("posted_at", models.DateTimeField()),
                (
                    "post",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_entry",
                        to="community.post",
                    ),
                ),
            ],
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]

"""On PostgreSQL the database itself refuses to change or delete access-log rows."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_accesslogentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_accesslogentry_append_only
BEFORE UPDATE OR DELETE ON core_accesslogentry
FOR EACH ROW EXECUTE FUNCTION core_accesslogentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS core_accesslogentry_append_only ON core_accesslogentry;
DROP FUNCTION IF EXISTS core_accesslogentry_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_access_log")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]

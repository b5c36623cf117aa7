"""Re-encrypt every encrypted field under the newest key in FIELD_ENCRYPTION_KEYS.

Rotation: put a new key first in FIELD_ENCRYPTION_KEYS (keeping the old ones after it), run
this command, then remove the old keys. Rows are rewritten in batches, each in its own
transaction, so an interrupted run can simply be started again.
"""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from alongside.core.encryption import TOKEN_PREFIX, encrypted_fields, rotate

BATCH_SIZE = 500


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the first key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        quote = connection.ops.quote_name
        total = 0
        for model, columns in encrypted_fields():
            table = quote(model._meta.db_table)
            pk = quote(model._meta.pk.column)
            column_list = ", ".join(quote(c) for c in columns)
            last_pk = None
            rewritten = 0
            while True:
                with transaction.atomic(), connection.cursor() as cursor:
                    where = f"WHERE {pk} > %s " if last_pk is not None else ""
                    cursor.execute(
                        f"SELECT {pk}, {column_list} FROM {table} {where}ORDER BY {pk} LIMIT %s",  # noqa: S608
                        [last_pk, BATCH_SIZE] if last_pk is not None else [BATCH_SIZE],
                    )
                    rows = cursor.fetchall()
                    for row_pk, *values in rows:
                        rotated = [
                            rotate(v) if v and v.startswith(TOKEN_PREFIX) else v for v in values
                        ]
                        assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
                        cursor.execute(
                            f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                            [*rotated, row_pk],
                        )
                    rewritten += len(rows)
                if len(rows) < BATCH_SIZE:
                    break
                last_pk = rows[-1][0]
            total += rewritten
            self.stdout.write(f"{model._meta.label}: {rewritten} rows re-encrypted")
        self.stdout.write(
            self.style.SUCCESS(f"Done: {total} rows re-encrypted under the newest key.")
        )

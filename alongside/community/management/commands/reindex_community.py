"""Rebuild the community search index from the posts themselves.

Run it after migrating to the search index, after `rotate_field_keys` (the hashes are keyed by
the newest encryption key) and after changing how alongside.community.search normalises words.
Posts are indexed in batches, each in its own transaction, so an interrupted run can simply be
started again; search keeps answering meanwhile.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from alongside.community import search
from alongside.community.models import Post

BATCH_SIZE = 500


class Command(BaseCommand):
    help = "Rebuild the community search index (hashed terms) from every post."

    def handle(self, *args, **options):
        last_pk = 0
        total = 0
        while True:
            with transaction.atomic():
                batch = Post.objects.filter(pk__gt=last_pk).order_by("pk")[:BATCH_SIZE]
                ids = list(batch.values_list("pk", flat=True))
                if not ids:
                    break
                total += search.reindex(Post.objects.filter(pk__in=ids))
                last_pk = ids[-1]
        self.stdout.write(f"Indexed {total} community posts.")

"""The stored side of community search: one row of hashed terms per post (see
alongside.community.search for what the terms are and why nobody can read them back).

Each database keeps its own full-text structure over these rows, created by migration 0003:
PostgreSQL a GIN expression index over `to_tsvector('simple', ...)` of both columns, SQLite an
FTS5 table that mirrors them through triggers (an external-content table, so it holds only the
same hashed tokens).
"""

from django.db import models

FTS_TABLE = "community_searchfts"


class SearchEntry(models.Model):
    """A post as search sees it: keyed hashes of its words, never the words."""

    post = models.OneToOneField(
        "community.Post", on_delete=models.CASCADE, related_name="search_entry"
    )
    # The thread's title, on the opening post's row only, so a title counts once per thread.
    title_terms = models.TextField(blank=True, default="")
    body_terms = models.TextField(blank=True, default="")
    # A copy of the post's time, so ranking by recency reads this table alone.
    posted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"search entry of post {self.post_id}"

"""The cache on Redis, failing open.

The cache holds nothing that cannot be lost (rate-limit counts and their locks, "seen lately"
marks), so when Redis is unreachable reads miss and writes are dropped (django-redis's
IGNORE_EXCEPTIONS, each one logged), and pages keep working: a member in crisis must be able to
sign in and ask for help during a Redis outage.

One thing more than django-redis does: `add` answers "added" when Redis did not answer. allauth
takes a lock with `add` around each of its rate limits and, never getting it, would refuse every
sign-in with 429 until Redis is back.
"""

from django_redis.cache import RedisCache


class FailOpenRedisCache(RedisCache):
    def add(self, *args, **kwargs) -> bool:
        added = super().add(*args, **kwargs)
        return True if added is None else added

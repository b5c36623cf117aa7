"""How urgent a background job is: what the worker takes first when jobs queue up.

The worker's queue is a priority queue (huey's PriorityRedisHuey in production, SqliteHuey on one
machine): a job of higher priority is taken before every waiting job of lower priority, whatever
their order. Routine work (a reply told to a thread's followers, a daily summary) takes the
default; only what a person in crisis waits on jumps the queue.
"""

# A crisis alert: the escalation outbox, its sweep and an on-call person's email.
URGENT = 100

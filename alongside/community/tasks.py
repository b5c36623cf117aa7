"""Background jobs of the community, each a thin wrapper around an action."""

from huey.contrib.djhuey import db_task

from alongside.community import telling


@db_task(retries=3, retry_delay=60)
def tell_about_post(post_id: int) -> int:
    return telling.tell_about_post(post_id=post_id)

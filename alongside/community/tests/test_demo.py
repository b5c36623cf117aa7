"""The community demo: spaces with lively threads in each program; twice is once."""

from alongside.community.demo import seed_community
from alongside.community.models import Author, Post, Space
from alongside.core.demo import seed


def test_the_demo_has_spaces_and_about_fifty_posts_a_program_and_a_second_run_adds_nothing(db):
    data = seed()
    seed_community(data)

    again = seed_community(data)

    assert again == {"spaces": 0, "threads": 0, "posts": 0}
    assert Space.objects.filter(program__slug="riverside").count() >= 5
    assert Post.objects.filter(thread__space__program__slug="riverside").count() >= 40
    assert Author.objects.filter(is_anonymous=True).exists()
    assert any(post.body.startswith("> **") for post in Post.objects.all())

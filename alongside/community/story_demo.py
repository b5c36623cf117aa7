"""Demo recovery stories: in each demo program with members and a moderator, a story published
under its writer's name, one published anonymously, one waiting for review and one whose writer
withdrew consent (so it is off the public page).

`seed_stories(data)` is idempotent: a program that already has stories gets none added. Call it
after the people are created, like seed_community.
"""

from django.db import transaction

from alongside.community import stories
from alongside.community.story_models import PublishAs, Story
from alongside.programs.models import Role

# (title, story, signed, what happens to it)
STORIES = [
    (
        "The morning I called instead of drinking",
        "For ten years my mornings started the same way. The first time I picked up the phone "
        "instead, my hands were shaking so much I misdialled twice.\n\n"
        "My peer supporter answered on the third ring. We talked about nothing much: the "
        "weather, her dog. By the time we hung up the worst of it had passed.\n\n"
        "That was two years ago. I still call her sometimes, and now **I answer calls too**.",
        PublishAs.NAME,
        "publish",
    ),
    (
        "What nobody told me about the first ninety days",
        "Nobody told me how *boring* early recovery could be. The drama went away and left "
        "long, quiet evenings.\n\n"
        "- I learned to cook three meals properly.\n"
        "- I walked the river path every night.\n"
        "- I went to the Tuesday group even when I did not want to.\n\n"
        "The quiet got easier. Then it got good.",
        PublishAs.ANONYMOUS,
        "publish",
    ),
    (
        "Learning to ask for help",
        "I was raised to handle things on my own. Recovery taught me that asking is not the "
        "same as failing. This is the story of the first time I said: I need help.",
        PublishAs.NAME,
        "submit",
    ),
    (
        "A year of small steps",
        "A year ago I could not walk to the corner shop. This year I walked a 5k with my "
        "cardiac rehab group.",
        PublishAs.ANONYMOUS,
        "withdraw",
    ),
]


def seed_stories(data) -> dict[str, int]:
    """Add the demo stories to each program of `data` (a core.demo.DemoData) that has none."""
    created = {"stories": 0}
    with transaction.atomic():
        for slug, program in data.programs.items():
            people = data.people[slug]
            writers = people.get(Role.MEMBER, [])
            moderators = people.get(Role.MODERATOR, [])
            if not writers or not moderators or Story.objects.filter(program=program).exists():
                continue
            for number, (title, body, publish_as, fate) in enumerate(STORIES):
                writer = writers[number % len(writers)]
                story = stories.submit_story(
                    writer,
                    program=program,
                    title=title,
                    body=body,
                    publish_as=publish_as,
                    submit=True,
                    consent=True,
                ).story
                if fate in ("publish", "withdraw"):
                    stories.publish_story(moderators[0], story=story)
                if fate == "withdraw":
                    stories.withdraw_consent(writer, story=story)
                created["stories"] += 1
    return created

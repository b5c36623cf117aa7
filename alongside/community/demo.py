"""Demo data for the community: spaces in each demo program (general, introductions,
celebrations, two areas of concern, one group-only space) with about fifty posts each, some
anonymous, some quoting.

`seed_community(data)` is idempotent: spaces are looked up by their slugs and a space that already
has threads gets none added.
"""

from itertools import cycle

from django.db import transaction

from alongside.community import actions
from alongside.community.models import Space, SpaceKind
from alongside.core.models import AreaOfConcern
from alongside.groups.models import Group
from alongside.programs.models import Role

SPACES = [
    ("general", "General", "Anything on your mind, big or small.", SpaceKind.GENERAL),
    ("introductions", "Introductions", "New here? Say hello.", SpaceKind.INTRODUCTIONS),
    (
        "celebrations",
        "Celebrations",
        "Milestones, good days and small wins.",
        SpaceKind.CELEBRATIONS,
    ),
]
AREA_SLUGS = {"riverside": ("alcohol", "anxiety"), "hillcrest": ("cardiac", "stroke")}

# (space slug, title, opening post, replies); every third post is anonymous.
THREADS = [
    ("general", "How do you handle weekends?", "Weekdays have a rhythm. Weekends are long.",
     ["I plan one thing each morning, even a walk.", "Meetings on Saturday help me.",
      "Cooking something new keeps my hands busy.", "Same here. Sundays are the hardest.",
      "I call my peer supporter on Saturday afternoons."]),
    ("general", "Sleep after the first month", "Anyone else still waking at 3am?",
     ["Yes. It got better around week eight for me.", "No screens after nine helped a bit.",
      "My clinician suggested a wind-down routine.", "Reading something boring works!"]),
    ("general", "Telling family", "How did you tell your family what you were going through?",
     ["Slowly, one person first.", "I wrote a letter; talking was too hard.",
      "My sister came to a meeting with me.", "Still working on it.",
      "Be gentle with yourself about the timing."]),
    ("introductions", "Hello from Queens", "Joined last week. Nervous but glad to be here.",
     ["Welcome! Nervous is normal.", "Glad you found us.", "The Tuesday group is friendly."]),
    ("introductions", "New and not sure where to start", "What helped you in your first weeks?",
     ["Showing up, honestly.", "Writing down one good thing a day.",
      "Finding one person to text when it gets hard.", "Welcome aboard."]),
    ("celebrations", "90 days today", "Ninety days. I did not think I would see this.",
     ["Congratulations!", "This is huge. Well done.", "So happy for you.",
      "Ninety days is real work. Proud of you.", "Keep going!"]),
    ("celebrations", "Walked a mile without stopping", "Small, but a month ago I could not.",
     ["Not small at all!", "That is wonderful.", "Next stop: two miles."]),
    ("area-1", "Cravings in the evening", "Evenings are when it hits. What do you do?",
     ["A hot shower and tea.", "I go to an online meeting at eight.",
      "Urge surfing: it passes if I wait twenty minutes.", "Text someone, anyone."]),
    ("area-2", "Worry about going back to work", "I start back part-time next month.",
     ["Talk to your manager about a gradual start.", "Plan small breaks.",
      "It was easier than I feared.", "Rooting for you."]),
    ("group", "Notes from this week's circle", "Thank you all for Tuesday.",
     ["It was a good one.", "Thanks for listening to me.", "See you next week."]),
]  # fmt: skip


def seed_community(data) -> dict[str, int]:
    """Add what is missing of the community demo to `data` (a core.demo.DemoData)."""
    created = {"spaces": 0, "threads": 0, "posts": 0}
    with transaction.atomic():
        for slug, program in data.programs.items():
            _seed_program(data, slug, program, created)
    return created


def _space(program, slug, name, description, created, **fields) -> Space:
    space, made = Space.objects.get_or_create(
        program=program,
        slug=slug,
        defaults={"name": name, "description": description, **fields},
    )
    created["spaces"] += made
    return space


def _seed_program(data, slug, program, created) -> None:
    people = data.people[slug]
    writers = [
        person
        for role in (Role.MEMBER, Role.SUPPORTER, Role.FACILITATOR)
        for person in people.get(role, [])
    ]
    if not writers:
        return
    spaces = {}
    for position, (space_slug, name, description, kind) in enumerate(SPACES):
        spaces[space_slug] = _space(
            program, space_slug, name, description, created, kind=kind, position=position
        )
    areas = AreaOfConcern.objects.filter(slug__in=AREA_SLUGS.get(slug, ()))
    for number, area in enumerate(areas.order_by("slug"), start=1):
        spaces[f"area-{number}"] = _space(
            program, area.slug, area.name, f"Talk about {area.name.lower()}.", created,
            kind=SpaceKind.AREA, area=area, position=10 + number,
        )  # fmt: skip
    group = Group.objects.filter(program=program).order_by("pk").first()
    if group is not None:
        spaces["group"] = _space(
            program, f"group-{group.slug}"[:60], group.name, f"Only for {group.name}.", created,
            group=group, position=20,
        )  # fmt: skip
    _seed_threads(spaces, writers, group, created)


def _seed_threads(spaces, writers, group, created) -> None:
    fresh = {key for key, space in spaces.items() if not space.threads.exists()}
    authors = cycle(writers)
    anonymous = cycle([False, False, True])
    for space_key, title, opening, replies in THREADS:
        if space_key not in fresh:
            continue
        space = spaces[space_key]
        pool = _writers_for(space, writers, group) if space.group_id else None
        pick = cycle(pool) if pool else authors
        thread = actions.start_thread(
            next(pick), space=space, title=title, body=opening, anonymous=next(anonymous)
        ).item
        created["threads"] += 1
        created["posts"] += 1
        first = thread.posts.get()
        for number, body in enumerate(replies):
            quote = first if number == 1 else None
            actions.reply(
                next(pick), thread=thread, body=body, anonymous=next(anonymous), quote=quote
            )
            created["posts"] += 1


def _writers_for(space, writers, group) -> list:
    from alongside.groups import access as group_access

    return [person for person in writers if group_access.allows(person, group, "take_part")]

"""Demo data for the community: spaces in each demo program (general, introductions,
celebrations, two areas of concern, one group-only space) with about fifty posts each, some
anonymous, some quoting, and a long daily thread of a couple of hundred posts. Where the
program has a moderator, some posts are reported, one is hidden, one thread is locked and one
writer warned, so the moderation queue and log have something in them.

`seed_community(data)` is idempotent: spaces are looked up by their slugs and a space that already
has threads gets none added.
"""

from itertools import cycle

from django.db import transaction

from alongside.community import actions, moderation, reactions
from alongside.community.models import ReactionKind, Space, SpaceKind
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
    general_is_fresh = not spaces["general"].threads.exists()
    _seed_threads(spaces, writers, group, created)
    if general_is_fresh:
        _seed_daily_thread(spaces["general"], writers, created)
        moderators = people.get(Role.MODERATOR, [])
        if moderators:
            _seed_moderation(spaces, writers, moderators[0])


DAILY_OPENERS = ["Good morning", "Checking in", "Morning all", "Hi everyone", "Day"]
DAILY_NEWS = [
    "slept better last night",
    "a hard evening but I got through it",
    "went to the Tuesday meeting",
    "called my supporter",
    "walked by the river",
    "cooked a proper meal",
    "cravings were loud but I waited them out",
    "grateful for this place",
    "back at work and tired",
    "my sister visited",
    "journaled before bed",
]
DAILY_POSTS = 200


def _seed_daily_thread(space, writers, created) -> None:
    """One long thread (about 200 posts), for the pages of a long thread."""
    authors = cycle(writers)
    anonymous = cycle([False, False, False, True])
    thread = actions.start_thread(
        next(authors),
        space=space,
        title="Daily check-in thread",
        body="One line a day: how are you doing today?",
        anonymous=False,
    ).item
    created["threads"] += 1
    created["posts"] += 1
    kinds = cycle(ReactionKind.values)
    for number in range(1, DAILY_POSTS):
        opener = DAILY_OPENERS[number % len(DAILY_OPENERS)]
        news = DAILY_NEWS[(number * 7) % len(DAILY_NEWS)]
        writer = next(authors)
        post = actions.reply(
            writer,
            thread=thread,
            body=f"{opener}. Day {number}: {news}.",
            anonymous=next(anonymous),
        ).item
        created["posts"] += 1
        # Every third post gets a reaction or two from others.
        if number % 3 == 0:
            for reader in [person for person in writers if person != writer][: 1 + number % 2]:
                reactions.react(reader, post=post, kind=next(kinds))


def _seed_moderation(spaces, writers, moderator) -> None:
    """Open reports on three posts, a hidden post, a locked thread and a warning."""
    general = spaces["general"]
    # Reporters are never the writers of the reported posts (the last two writers).
    reporters = cycle(writers[:-2] or writers[:1])
    threads = list(general.threads.order_by("pk"))
    weekend = threads[0]
    offensive = actions.reply(
        writers[-1],
        thread=weekend,
        body="Honestly if you still struggle on weekends you are not trying hard enough.",
        anonymous=True,
    ).item
    for reason, details in (
        ("unkind", "This will make newcomers feel awful."),
        ("unkind", ""),
    ):
        moderation.report_post(next(reporters), post=offensive, reason=reason, details=details)
    advert = actions.reply(
        writers[-1],
        thread=threads[1],
        body="Try the sleep gummies at example dot shop, 20% off with my code!",
        anonymous=False,
    ).item
    moderation.report_post(next(reporters), post=advert, reason="spam")
    worrying = actions.reply(
        writers[-2],
        thread=threads[2],
        body="Some days I wonder whether anyone would notice if I stopped showing up.",
        anonymous=True,
    ).item
    moderation.report_post(
        next(reporters), post=worrying, reason="at_risk", details="Please check."
    )
    hidden = actions.reply(
        writers[-1],
        thread=threads[2],
        body="Here is my cousin's full name and where she works, since she's the topic.",
        anonymous=False,
    ).item
    moderation.hide_post(moderator, post=hidden, note="Please don't share who other people are.")
    moderation.warn_writer(
        moderator,
        post=hidden,
        note="We keep people's names and workplaces out of the community, to keep everyone safe.",
    )
    celebration = spaces["celebrations"].threads.order_by("pk").first()
    if celebration is not None:
        moderation.change_thread(
            moderator, thread=celebration, kind="lock_thread", note="Kept as it is for the record."
        )


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

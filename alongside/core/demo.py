"""Demo data: two programs full of plausible people, so every screen has something to show.

`seed()` is idempotent. Everything is looked up by a natural key (program slug, email address,
membership of a user in a program, role within a membership), so a second run creates nothing
and changes nothing a person may have edited since, except that the demo logins get the demo
password and a verified email address back, so the table the command prints is always true.

Later features extend the demo by adding a `seed_<feature>(data)` step that reads the people
from the returned `DemoData`.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import zipcodes
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from alongside.accounts.models import Profile, User
from alongside.checkins.demo import seed_checkins
from alongside.community.demo import seed_community
from alongside.community.story_demo import seed_stories
from alongside.core.models import AreaOfConcern
from alongside.goals.demo import seed_goals
from alongside.groups.demo import seed_groups
from alongside.pairing.demo import seed_pairing
from alongside.programs.models import (
    STAFF_ROLES,
    Invitation,
    Membership,
    MembershipRole,
    Program,
    Role,
)
from alongside.safety.demo import seed_safety

DEMO_PASSWORD = "alongside demo passphrase"  # noqa: S105 - published on purpose: demo data only
DEMO_DOMAIN = "demo.alongside.test"  # .test never resolves, so no demo email can reach anyone
SEED = 2025

SITE_ADMIN = "site admin"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    program: str


@dataclass(frozen=True)
class PersonSpec:
    email: str
    roles: tuple[str, ...]
    profile: dict[str, Any]
    areas: tuple[str, ...]
    joined_days_ago: int
    is_superuser: bool = False


@dataclass
class DemoData:
    programs: dict[str, Program] = field(default_factory=dict)
    # program slug -> role -> people holding that role there
    people: dict[str, dict[str, list[User]]] = field(default_factory=lambda: defaultdict(dict))
    admin: User | None = None
    logins: list[DemoLogin] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))


PROGRAMS: dict[str, dict[str, Any]] = {
    "riverside": {
        "name": "Riverside Recovery Network",
        "description": (
            "Riverside Recovery Network is a community peer-support program for New York City and "
            "northern New Jersey. People recovering from alcohol or opioid use, living with "
            "depression, anxiety or chronic pain, or getting back on their feet after a heart "
            "event meet in weekly support groups, are paired with trained peer supporters who "
            "have walked the same road, and keep in touch between meetings.\n\n"
            "Our peer supporters are supervised by program coordinators, and a licensed clinician "
            "is on call whenever someone is in crisis. Taking part is free and confidential, and "
            "you are welcome to use a pseudonym."
        ),
        "contact_email": f"hello@riverside.{DEMO_DOMAIN}",
        "contact_phone": "(212) 555-0147",
        "country": "US",
        "crisis_line_name": "988 Suicide & Crisis Lifeline",
        "crisis_line_phone": "988",
        "crisis_line_text": "Text HOME to 741741",
        "default_time_zone": "America/New_York",
    },
    "hillcrest": {
        "name": "Hillcrest Cardiac Rehab",
        "description": (
            "The peer-support circle of Hillcrest Hospital's outpatient cardiac rehabilitation "
            "unit in Chicago. People recovering from a heart attack, heart surgery or a stroke "
            "are paired with graduates of the program, who help them keep up with exercise and "
            "medication and talk through the worries that come afterwards."
        ),
        "contact_email": f"cardiac-rehab@hillcrest.{DEMO_DOMAIN}",
        "contact_phone": "(312) 555-0182",
        "country": "US",
        "crisis_line_name": "988 Suicide & Crisis Lifeline",
        "crisis_line_phone": "988",
        "crisis_line_text": "",
        "default_time_zone": "America/Chicago",
    },
}
PROGRAM_AREAS = {
    "riverside": [
        "alcohol",
        "opioids",
        "stimulants",
        "depression",
        "anxiety",
        "chronic-pain",
        "cardiac",
    ],
    "hillcrest": ["cardiac", "stroke", "anxiety", "depression"],
}
# Real ZIP codes (resolved offline), mostly local, a few members who take part from afar.
PROGRAM_ZIPS = {
    "riverside": [
        "10001",
        "10011",
        "10025",
        "10027",
        "10031",
        "10128",
        "10451",
        "10453",
        "10467",
        "10301",
        "11201",
        "11211",
        "11215",
        "11220",
        "11235",
        "11368",
        "11372",
        "11432",
        "10701",
        "10550",
        "07030",
        "07302",
        "07102",
        "07601",
        "80202",
        "94110",
        "78702",
        "33125",
    ],
    "hillcrest": ["60601", "60614", "60622", "60637", "60304", "60202", "60540", "60148"],
}
# Generated people per program and role: (role key, roles held, how many).
HEADCOUNT: dict[str, list[tuple[str, tuple[str, ...], int]]] = {
    "riverside": [
        ("member", (Role.MEMBER,), 59),
        ("supporter", (Role.SUPPORTER,), 8),
        ("facilitator", (Role.SUPPORTER, Role.FACILITATOR), 2),
        ("coordinator", (Role.COORDINATOR,), 1),
        ("clinician", (Role.CLINICIAN,), 1),
        ("moderator", (Role.MODERATOR,), 1),
    ],
    "hillcrest": [
        ("member", (Role.MEMBER,), 5),
        ("supporter", (Role.SUPPORTER,), 2),
        ("clinician", (Role.CLINICIAN,), 1),
    ],
}
# One fixed login per role: (role shown in the table, local part, program, roles, name, pronouns).
FIXED_LOGINS: list[tuple[str, str, str, tuple[str, ...], str, str]] = [
    ("member", "member", "riverside", (Role.MEMBER,), "Jordan", "they/them"),
    ("supporter", "supporter", "riverside", (Role.SUPPORTER,), "Sam R.", "he/him"),
    (
        "facilitator",
        "facilitator",
        "riverside",
        (Role.SUPPORTER, Role.FACILITATOR),
        "Teresa",
        "she/her",
    ),
    ("coordinator", "coordinator", "riverside", (Role.COORDINATOR,), "Dana Whitfield", "she/her"),
    ("clinician", "clinician", "riverside", (Role.CLINICIAN,), "Dr. Priya Raman", "she/her"),
    ("moderator", "moderator", "riverside", (Role.MODERATOR,), "Chris (moderator)", "he/him"),
    (SITE_ADMIN, "admin", "", (), "Site admin", ""),
    (
        "coordinator (Hillcrest)",
        "hillcrest",
        "hillcrest",
        (Role.COORDINATOR,),
        "Lena Novak",
        "she/her",
    ),
]
PENDING_INVITATIONS = [
    ("riverside", "new.member.1", [Role.MEMBER]),
    ("riverside", "new.member.2", [Role.MEMBER]),
    ("riverside", "new.supporter", [Role.SUPPORTER]),
    ("hillcrest", "new.member", [Role.MEMBER]),
]
PRONOUNS = ["she/her", "he/him", "they/them", "", "she/they", "he/they"]
PRONOUN_WEIGHTS = [34, 34, 10, 16, 3, 3]
# Staff must use two-factor authentication; demo staff share one published TOTP secret, and
# `manage.py demo_totp` prints its current code so that the demo needs no phone.
DEMO_TOTP_SECRET = "ALONGSIDEDEMOTOTPSECRETFORDEMO23"  # noqa: S105 - published demo secret


def seed() -> DemoData:
    """Create the demo programs, people, memberships and invitations that are missing."""
    with transaction.atomic():
        data = DemoData()
        # One argon2 hash for everyone: hashing ~90 passwords one by one would take seconds.
        password_hash = make_password(DEMO_PASSWORD)
        for slug in PROGRAMS:
            data.programs[slug] = _ensure_program(slug)
        for spec, program_slug, login_role in _people():
            user = _ensure_person(spec, password_hash, data, reset_login=login_role is not None)
            if spec.is_superuser:
                data.admin = user
            else:
                _ensure_membership(user, data.programs[program_slug], spec, data)
                for role in spec.roles:
                    data.people[program_slug].setdefault(role, []).append(user)
            if spec.is_superuser or STAFF_ROLES.intersection(spec.roles):
                _ensure_demo_totp(user)
            if login_role is not None:
                data.logins.append(DemoLogin(login_role, spec.email, program_slug))
        _ensure_invitations(data)
        seed_safety(data)
        seed_pairing(data)
        seed_checkins(data)
        seed_groups(data)
        # After pairing and groups: some goals belong to a demo pair or group.
        seed_goals(data)
        # After groups: one space is a group's own.
        seed_community(data)
        seed_stories(data)
    return data


def _people() -> list[tuple[PersonSpec, str, str | None]]:
    """Everyone in the demo, the same list on every run: (spec, program slug, demo login role)."""
    rng = random.Random(SEED)
    fake = Faker("en_US")
    fake.seed_instance(SEED)
    fake_es = Faker("es_MX")
    fake_es.seed_instance(SEED)
    people: list[tuple[PersonSpec, str, str | None]] = []
    for login_role, local_part, slug, roles, chosen_name, pronouns in FIXED_LOGINS:
        email = f"{local_part}@{DEMO_DOMAIN}"
        spec = _person_spec(rng, fake, fake_es, email, slug or "riverside", roles, chosen_name)
        spec.profile["pronouns"] = pronouns
        if login_role == SITE_ADMIN:
            spec = PersonSpec(spec.email, (), spec.profile, (), 0, is_superuser=True)
        people.append((spec, slug, login_role))
    for slug, headcount in HEADCOUNT.items():
        for key, roles, count in headcount:
            for number in range(1, count + 1):
                email = f"{key}{number:02d}@{slug}.{DEMO_DOMAIN}"
                people.append((_person_spec(rng, fake, fake_es, email, slug, roles), slug, None))
    return people


def _person_spec(
    rng: random.Random,
    fake: Faker,
    fake_es: Faker,
    email: str,
    slug: str,
    roles: tuple[str, ...],
    chosen_name: str | None = None,
) -> PersonSpec:
    languages = rng.choices([["en"], ["en", "es"], ["es"]], weights=[75, 20, 5])[0]
    pronouns = rng.choices(PRONOUNS, weights=PRONOUN_WEIGHTS)[0]
    is_staff = bool(STAFF_ROLES.intersection(roles))
    # Staff go by their names; most peers keep the generated pseudonym, a few choose a name.
    if chosen_name is None and (is_staff or rng.random() < 0.15):
        faker = fake_es if languages[0] == "es" else fake
        kind = {"she": "female", "he": "male"}.get(pronouns.split("/")[0], "nonbinary")
        first_name = getattr(faker, f"first_name_{kind}")()
        chosen_name = f"{first_name} {faker.last_name()}" if is_staff else first_name
    zip_code = rng.choice(PROGRAM_ZIPS[slug])
    place = zipcodes.matching(zip_code)[0]
    profile: dict[str, Any] = {
        "pronouns": pronouns,
        "languages": languages,
        "preferred_language": languages[0],
        "zip_code": zip_code,
        "city": place["city"],
        "state": place["state"],
        "latitude": float(place["lat"]),
        "longitude": float(place["long"]),
        "time_zone": place["timezone"],
    }
    if chosen_name:
        profile["display_name"] = chosen_name
    # Supporters bring lived experience of more areas; members usually name one or two.
    area_count = rng.choice([1, 2, 2, 3]) if Role.SUPPORTER in roles else rng.choice([1, 1, 2])
    areas = tuple(rng.sample(PROGRAM_AREAS[slug], k=area_count)) if not is_staff else ()
    return PersonSpec(email, roles, profile, areas, joined_days_ago=rng.randint(2, 540))


def _ensure_program(slug: str) -> Program:
    program, _created = Program.objects.update_or_create(slug=slug, defaults=PROGRAMS[slug])
    program.areas_of_concern.set(AreaOfConcern.objects.filter(slug__in=PROGRAM_AREAS[slug]))
    return program


def _ensure_person(
    spec: PersonSpec, password_hash: str, data: DemoData, *, reset_login: bool
) -> User:
    user = User.objects.filter(email=spec.email).first()
    if user is None:
        if spec.is_superuser:
            user = User.objects.create_superuser(email=spec.email)
        else:
            user = User.objects.create_user(email=spec.email)
        user.password = password_hash
        user.save(update_fields=["password"])
        Profile.objects.filter(user=user).update(**spec.profile)
        user.profile.areas_of_concern.set(AreaOfConcern.objects.filter(slug__in=spec.areas))
        data.created["people"] += 1
    elif reset_login:
        user.password = password_hash
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
    EmailAddress.objects.update_or_create(
        user=user, email=spec.email, defaults={"verified": True, "primary": True}
    )
    return user


def _ensure_demo_totp(user: User) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


def _ensure_membership(user: User, program: Program, spec: PersonSpec, data: DemoData) -> None:
    joined_at = timezone.now() - timedelta(days=spec.joined_days_ago)
    membership, created = Membership.objects.get_or_create(
        user=user, program=program, defaults={"joined_at": joined_at}
    )
    data.created["memberships"] += created
    for role in spec.roles:
        _role, created = MembershipRole.objects.get_or_create(
            membership=membership, role=role, defaults={"granted_at": membership.joined_at}
        )
        data.created["roles"] += created


def _ensure_invitations(data: DemoData) -> None:
    for slug, local_part, roles in PENDING_INVITATIONS:
        program = data.programs[slug]
        coordinator = data.people[slug][Role.COORDINATOR][0]
        invitation, created = Invitation.objects.get_or_create(
            program=program,
            email=f"{local_part}@{slug}.{DEMO_DOMAIN}",
            defaults={"roles": roles, "invited_by": coordinator},
        )
        data.created["invitations"] += created
        unanswered = invitation.accepted_at is None and invitation.revoked_at is None
        if unanswered and invitation.expires_at <= timezone.now():
            # An old demo database: keep its invitations pending rather than adding new ones.
            invitation.expires_at = timezone.now() + timedelta(days=14)
            invitation.save(update_fields=["expires_at"])

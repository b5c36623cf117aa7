"""Friendly generated display names, so nobody has to give a real name to take part."""

import secrets

from django.utils.translation import gettext_noop

# fmt: off
_ADJECTIVES = [
    "Brave", "Calm", "Steady", "Kind", "Bright", "Gentle", "Hopeful", "Quiet", "Patient", "Bold",
    "Warm", "Clear", "Honest", "Open", "Sunny", "Strong", "Wise", "Thoughtful", "Curious",
    "Grounded",
]
_NOUNS = [
    "Heron", "Oak", "River", "Sparrow", "Cedar", "Harbor", "Meadow", "Falcon", "Willow", "Lantern",
    "Otter", "Summit", "Maple", "Comet", "Juniper", "Pebble", "Finch", "Aspen", "Tide", "Fox",
]
# fmt: on
gettext_noop("Someone")


def generate() -> str:
    """A name like "Steady Heron 42": pleasant, not unique, and carries nothing about the person."""
    return f"{secrets.choice(_ADJECTIVES)} {secrets.choice(_NOUNS)} {secrets.randbelow(90) + 10}"

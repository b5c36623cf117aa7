"""Every place where members write free text, each screened by `actions.screen_writing`.

An app registers its writing paths from its AppConfig.ready (or here, for the
paths of crisis safety itself). `fields` names the model fields ("app_label.Model.field") whose
text the path screens; the test in safety/tests/test_writing_paths.py fails when a text field
of the project is neither screened by a path nor exempted there with a reason.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

# (reader, program, ids of flagged items) -> {id: address}, for the items the reader may open.
Locate = Callable[[Any, Any, list[str]], dict[str, str]]


@dataclass(frozen=True)
class WritingPath:
    name: str
    label: str  # shown to staff in the concern queue: a translatable string
    fields: tuple[str, ...]
    # Where a reviewer reads a flagged item in its context (a post in its thread), asked for a
    # page of flags at once and answering only for the items the reader may open under the
    # path's own rules. None where staff have no such page (a private check-in note).
    locate: Locate | None = None


WRITING_PATHS: dict[str, WritingPath] = {}


def register_writing_path(
    name: str, *, label, fields: tuple[str, ...] = (), locate: Locate | None = None
) -> WritingPath:
    """Register a writing path; the same definition again is harmless, a different one is refused."""
    if not name or "." not in name:
        raise ValueError("A writing path is a dotted name, like 'community.post'.")
    path = WritingPath(name, label, tuple(fields), locate)
    existing = WRITING_PATHS.get(name)
    if existing is not None and existing != path:
        raise ValueError(f"Writing path {name!r} is already registered differently.")
    WRITING_PATHS[name] = path
    return path


def is_registered(name: str) -> bool:
    """True when `name` is a registered writing path."""
    return name in WRITING_PATHS


def where_to_read(reader, program, flags: Iterable) -> dict[int, str]:
    """By flag id, the address where `reader` can read each flagged item in its context, for the
    items they may open; one question per writing path, however many flags.

    Never for what was written under an anonymous name that opened an escalation: the escalation
    names the person, and its link beside this one would tell which anonymous post is theirs.
    """
    waiting: dict[str, list] = {}
    for flag in flags:
        path = WRITING_PATHS.get(flag.writing_path)
        if path is None or path.locate is None or not flag.object_id:
            continue
        if flag.is_anonymous and getattr(flag, "escalation", None) is not None:
            continue
        waiting.setdefault(path.name, []).append(flag)
    found = {}
    for name, flags_of_path in waiting.items():
        locate = WRITING_PATHS[name].locate
        assert locate is not None
        addresses = locate(reader, program, [flag.object_id for flag in flags_of_path])
        for flag in flags_of_path:
            if flag.object_id in addresses:
                found[flag.pk] = addresses[flag.object_id]
    return found


def screened_fields() -> set[str]:
    """Every model field some writing path screens."""
    return {field for path in WRITING_PATHS.values() for field in path.fields}


HELP_NOW = register_writing_path(
    "safety.help_now",
    label=_("Asking for help now"),
    # A second request for help while the first waits is added to the timeline as a note.
    fields=("safety.Escalation.member_message", "safety.EscalationEvent.note"),
)

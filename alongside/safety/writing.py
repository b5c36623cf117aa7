"""Every place where members write free text, each screened by `actions.screen_writing`.

An app registers its writing paths from its AppConfig.ready (or here, for the
paths of crisis safety itself). `fields` names the model fields ("app_label.Model.field") whose
text the path screens; the test in safety/tests/test_writing_paths.py fails when a text field
of the project is neither screened by a path nor exempted there with a reason.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class WritingPath:
    name: str
    label: str  # shown to staff in the concern queue: a translatable string
    fields: tuple[str, ...]


WRITING_PATHS: dict[str, WritingPath] = {}


def register_writing_path(name: str, *, label, fields: tuple[str, ...] = ()) -> WritingPath:
    """Register a writing path; the same definition again is harmless, a different one is refused."""
    if not name or "." not in name:
        raise ValueError("A writing path is a dotted name, like 'community.post'.")
    path = WritingPath(name, label, tuple(fields))
    existing = WRITING_PATHS.get(name)
    if existing is not None and existing != path:
        raise ValueError(f"Writing path {name!r} is already registered differently.")
    WRITING_PATHS[name] = path
    return path


def is_registered(name: str) -> bool:
    """True when `name` is a registered writing path."""
    return name in WRITING_PATHS


def screened_fields() -> set[str]:
    """Every model field some writing path screens."""
    return {field for path in WRITING_PATHS.values() for field in path.fields}


HELP_NOW = register_writing_path(
    "safety.help_now",
    label=_("Asking for help now"),
    # A second request for help while the first waits is added to the timeline as a note.
    fields=("safety.Escalation.member_message", "safety.EscalationEvent.note"),
)

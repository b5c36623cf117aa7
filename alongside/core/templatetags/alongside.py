"""Template helpers shared by every domain."""

from django import template
from django.utils.safestring import SafeString

from alongside.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    """`{{ post.body|markdown }}`: the one sanitising renderer for user-written text."""
    return render_markdown(text or "")

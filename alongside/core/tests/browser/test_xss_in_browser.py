"""The XSS corpus, rendered by the Markdown pipeline, executes nothing in a real browser.

The page has no CSP on purpose: this tests the sanitiser alone, the CSP is a second wall. Every
way a payload could run ends in a report to Python: dialogs (alert/confirm/prompt replaced, real
dialogs recorded too), any push to `window.__xss_hits`, and any network request at all (an
injected script, image, frame or stylesheet would fetch). One deliberately unsanitised <img> must
report, proving the hooks are live.
"""

from html import escape
from pathlib import Path

import pytest

from alongside.core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown

pytestmark = pytest.mark.browser

PAYLOADS = [
    line
    for line in (Path(__file__).parent.parent / "xss_payloads.txt").read_text().splitlines()
    if line
]
CONTROL = """<img src=x onerror="window.__xss_hits.push('control')">"""

# Runs in every frame before its content: anything that would signal a successful injection is
# reported to Python through an exposed binding, which also reaches cross-origin frames.
HOOKS = """
window.__xss_hits = [];
window.__xss_hits.push = function (kind) {
  Array.prototype.push.call(this, kind);
  window.__xss_report(String(kind));
  return this.length;
};
window.alert = window.confirm = window.prompt = function () { window.__xss_hits.push('dialog') };
"""


# Links must not navigate away (that would unload the page under test), except to the schemes
# that run code there and then: those are left to run. Installed after loading: set_content drops
# listeners added earlier.
KEEP_SAFE_LINKS_IN_PLACE = """
() => window.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a[href]');
  if (link && !['javascript:', 'data:', 'vbscript:'].includes(link.protocol)) event.preventDefault();
}, true)
"""

# Fire the handlers a person could trigger on every rendered element.
TRIGGER_EVERY_HANDLER = """
() => {
  const events = ['mouseover', 'mouseenter', 'mousemove', 'mousedown', 'mouseup', 'click',
                  'dblclick', 'contextmenu', 'pointerover', 'pointerdown', 'pointerup',
                  'focus', 'focusin', 'blur', 'keydown', 'keyup', 'input', 'change',
                  'animationstart', 'transitionend', 'toggle', 'wheel', 'scroll', 'load', 'error'];
  const elements = document.querySelectorAll('article, article *');
  for (const element of elements) {
    if (typeof element.focus === 'function') element.focus();
    for (const type of events) element.dispatchEvent(new Event(type, {bubbles: true}));
  }
  return elements.length;
}
"""

DANGEROUS_LINKS = """
() => Array.from(document.querySelectorAll('a[href]'))
  .filter((a) => ['javascript:', 'data:', 'vbscript:'].includes(a.protocol))
  .map((a) => a.getAttribute('href'))
"""

# What the browser actually built from the sanitised HTML, checked against the allow-list: a
# parser difference between nh3 and Chromium would show up here.
UNEXPECTED_MARKUP = """
([allowedTags, allowedAttributes]) => {
  const problems = [];
  for (const element of document.querySelectorAll('article *')) {
    const tag = element.localName;
    if (!allowedTags.includes(tag)) problems.push(`<${tag}>`);
    for (const {name} of element.attributes) {
      const allowed = (allowedAttributes[tag] || []).concat(tag === 'a' ? ['rel'] : []);
      if (!allowed.includes(name)) problems.push(`<${tag} ${name}>`);
    }
  }
  return problems;
}
"""

WRAPPINGS = {
    "as written": "{}",
    "in bold": "**{}**",
    "in emphasis": "_{}_",
    "as a link target": "[x]({})",
    "as link text": "[{}](https://example.org/)",
    "as an image": "![x]({})",
}


def build_document(wrapping: str) -> str:
    articles = "\n".join(
        f'<article id="payload-{number}">{render_markdown(wrapping.format(payload))}</article>'
        for number, payload in enumerate(PAYLOADS, start=1)
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>XSS corpus, {escape(wrapping)}</title></head>"
        f"<body><main>{articles}</main><footer>{CONTROL}</footer></body></html>"
    )


def test_the_corpus_has_at_least_100_payloads():
    assert len(PAYLOADS) >= 100


@pytest.mark.parametrize("wrapping", WRAPPINGS.values(), ids=WRAPPINGS.keys())
def test_no_rendered_payload_executes_in_a_browser(browser, wrapping):
    hits: list[str] = []
    requests: list[str] = []
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(5_000)
    context.expose_function("__xss_report", lambda kind: hits.append(kind))
    context.add_init_script(HOOKS)

    # Nothing a post renders may load anything; a fetched script would also run.
    def refuse(route):
        requests.append(route.request.url)
        route.abort()

    context.route("**/*", refuse)
    page = context.new_page()

    def on_dialog(dialog):
        hits.append(f"real {dialog.type}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        page.set_content(build_document(wrapping))
        page.wait_for_timeout(500)
        page.evaluate(KEEP_SAFE_LINKS_IN_PLACE)

        for link in page.locator("article a").all():
            box = link.bounding_box()
            if box and box["width"] and box["height"]:  # empty links get the dispatched events
                link.hover(force=True)
                link.click(force=True, no_wait_after=True)
        assert page.evaluate(TRIGGER_EVERY_HANDLER) >= len(PAYLOADS)
        page.wait_for_timeout(300)

        allow_list = [
            sorted(ALLOWED_TAGS),
            {tag: sorted(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        ]
        # One comparison, so that a failure shows every way the corpus got through.
        assert {
            "ran": hits,
            "requested": requests,
            "dangerous links": page.evaluate(DANGEROUS_LINKS),
            "markup off the allow-list": page.evaluate(UNEXPECTED_MARKUP, allow_list),
        } == {
            "ran": ["control"],
            "requested": [],
            "dangerous links": [],
            "markup off the allow-list": [],
        }
        # The hooks were still in place at the end, so silence above means nothing ran.
        page.evaluate("() => alert('probe')")
        assert hits == ["control", "dialog"]
    finally:
        context.close()

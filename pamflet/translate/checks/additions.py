"""What a translation adds that its source lacks, for ``pamflet check`` (``checks.safety``
finds it; what the build refuses is ``checks.refusals``)."""

from __future__ import annotations

from .refusals import RAW_DIRECTIVES, active_html, refusals
from .safety import explicit_markup, html_tags, site, urls


def check(msgid: str, msgstr: str, *, template: bool = False) -> list[tuple[str, str]]:
    """(severity, message) for what the translation adds that the source lacks.

    Errors: what the build refuses (``checks.refusals``) and directives or other
    explicit markup. Warnings: a link to another site (a link on the site of one of
    the source's links is the same resource in the reader's language) and, in a
    template catalog, HTML tags. Not reported: a role added (around a code name, to a
    heading: style), angle brackets in reStructuredText (text, not HTML).
    """
    problems = [("error", message) for message in refusals(msgid, msgstr, template=template)]
    refused = " ".join(message for _severity, message in problems)
    source_urls = urls(msgid)
    source_sites = {site(url) for url in source_urls} - {None}
    for url in urls(msgstr):
        if url in source_urls or url in refused:
            continue
        if site(url) in source_sites:
            continue  # the same resource, or the same site, in the reader's language
        problems.append(
            ("warning", f"the translation adds a link the source does not have: {url}")
        )
    source_markup = explicit_markup(msgid)
    for kind in explicit_markup(msgstr):
        name = kind.removeprefix("directive '").rstrip("'")
        if kind not in source_markup and name not in RAW_DIRECTIVES:
            problems.append(("error", f"the translation adds reStructuredText markup: {kind}"))
    if not template:
        source_active = active_html(msgid)
        for what in active_html(msgstr):
            # printed as text in reST: only what would run if it were pasted into a page
            # ("<meta path>", a placeholder, is just text)
            runs = what.startswith(("an event handler", "a script URL", "<script>", "<iframe>"))
            if what not in source_active and runs:
                problems.append(
                    (
                        "warning",
                        f"the translation has text that looks like active HTML ({what}); "
                        "reStructuredText prints it as text",
                    )
                )
    if template:
        source_tags = html_tags(msgid)
        for tag in html_tags(msgstr):
            if tag not in source_tags:
                problems.append(
                    ("warning", f"the translation adds HTML the source does not have: {tag}")
                )
    return problems

"""Translation QA: ``pamflet check``.

Each finding is one line, ``path:line: error|warning [check-id] message
(source: file.rst:NN)``, pointing at the entry's ``msgid`` line in the
``.po`` file (spelling: at the line with the word) and naming the source
location from the entry's ``#:`` comment.

=================  ========  ==========================================================
check id           severity  what
=================  ========  ==========================================================
syntax, format     error     what GNU ``msgfmt --check`` rejects (``translate/po.py``);
                             a BOM is a warning (Babel and Sphinx read the file)
header             warning   fields msgfmt warns about: no ``Language``, template values;
                   (error    error: a charset other than UTF-8, a Plural-Forms Babel
                   some)     cannot use, plural entries without Plural-Forms
fuzzy,             warning   the entry needs review / has no translation; Sphinx prints
untranslated       (error    the English text. ``--strict`` makes these errors.
                   strict)
safety             error     the translation adds a link, directive, role, include, raw
                             HTML or bidi control characters (U+202A..U+202E,
                             U+2066..U+2069, U+200E, U+200F) that the source lacks
                             (``checks.safety``); the build guard refuses these too
rst-syntax         error     the translation does not parse as one reST paragraph, or
                             docutils reports a problem (INFO too: a duplicate implicit
                             target) that makes Sphinx drop it
rst-inline         error     an inline literal changed (warning: broken emphasis, a
                             stray backtick printed); placeholders translated in code
                             are style (``checks.placeholders``)
rst-references     error     roles (target, name), references, footnotes, citations,
                             substitutions, URLs lost or changed
numbers            error     a number, time or date of the source is missing or changed,
                             in the language's notation
sentences          error     a sentence doubled (warning: far fewer sentences and words,
                             no space after a full stop)
terminology        warning   a glossary term is not translated with its agreed term
whitespace         warning   leading/trailing whitespace
emphasis,          warning   opt-in (``--only``): emphasis left out, a literal
literals,                    paraphrased, a number only the translation has, end
numbers-added,               punctuation changed, double spaces: mostly style on real
end-punctuation,             catalogs (README, precision table)
double-space
spelling           warning   a word is in neither the Hunspell dictionary nor the word
                             lists; one warning per language without a dictionary
                             (error with ``--strict`` for a configured dictionary)
=================  ========  ==========================================================

Per-entry exemptions: the flag ``#, ignore-<check-id>`` (as in Weblate) or a
translator comment ``# pamflet: ignore <check-id>[, <check-id>]`` silences
that check for that entry, and ``make review`` shows it. ``safety`` and
``syntax`` cannot be silenced; the one exception is ``ignore-bidi``, which
accepts the bidi control characters of that entry (the rest of ``safety``
still applies). Sphinx's own ``#noqa`` at the end of a msgstr silences the
reference-consistency check (``rst-references``), as in Sphinx. In literal
and code blocks (``gettext_additional_targets``) the msgstr is code: only
safety, numbers and the msgfmt checks apply, and ``# noqa`` stays code.

Which entries are checked: the header and obsolete (``#~``) entries only for
syntax; the safety check for every entry with a ``msgstr`` (fuzzy ones too:
``gettext_allow_fuzzy_translations`` would publish them); every other check
only for translated entries.

Interface catalogs (``sphinx.po``, ``pamflet.po``: strings for HTML
templates, not reStructuredText) skip the reST checks and the English
spelling check. Entries whose source lies in a section with a class in
``pamflet_check_exempt_classes`` (default ``["sources"]``) skip terminology
and spelling: they quote titles in the source language.

The checks are one module each; ``runner.py`` runs them over catalogs
(:class:`~.runner.Checker`) for ``pamflet check``, ``pamflet review`` and the watcher.
"""

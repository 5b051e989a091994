"""Sphinx configuration of the pamflet publication (patient leaflets, en + nl + ar).

Sphinx runs with ``-c .`` over ``source/``. Settings that differ per language
live in ``pamflet_language_config``: ``-D language=nl`` is applied after this
file runs, so ``if language == "nl"`` here would never be true.
"""

project = "Patient leaflets"
author = "The pamflet project"
copyright = "2026, The pamflet project"
version = "1.0"
release = "1.0"

extensions = ["pamflet"]

language = "en"
locale_dirs = ["../locales/"]
gettext_compact = True  # one catalog per document: locales/<lang>/LC_MESSAGES/<doc>.po
gettext_location = True
gettext_uuid = False
templates_path = []
exclude_patterns = ["_reference"]

# -- the leaflets --------------------------------------------------------------------------
# One place for each leaflet's metadata; every output reads it from here.
# `reviews` records each review once it has happened:
#     "reviews": [{"role": "psychiatrist", "date": "YYYY-MM-DD"}],
# Without one, every output marks the leaflet as a draft and `pamflet build --release`
# refuses it. No doctor has reviewed this leaflet yet.
pamflet_leaflets = {
    "ptsd-psychedelic-therapy": {
        # a draft (no review recorded): it prints "Draft of" this day, the last change
        # of its text. A release adds "version", "published" and "reviews"; the next
        # review is then the last review plus three years (or "next_review").
        "changed": "2026-12-07",
    },
}
# Readability floors (Flesch Reading Ease for en, Flesch-Douma for nl; ar has no formula,
# only the sentence length is checked) and the
# text each leaflet was written from (no run of 10 words may be copied from it).
pamflet_readability = {"en": 60, "nl": 60, "max_sentence_words": 15}
pamflet_reference_texts = {"ptsd-psychedelic-therapy": "source/_reference/article.txt"}
pamflet_languages = ["en", "nl", "ar"]
pamflet_formats = ["a4", "a4-large", "a5", "a5-print", "a5-print-nomarks", "booklet"]
pamflet_pdf_filename = "{docname}-{format}.pdf"  # also when a build makes one format
# Spelling in `pamflet check` (Hunspell dictionaries through Enchant): British English source.
pamflet_spelling_dictionaries = {"en": "en_GB", "nl": "nl_NL", "ar": "ar"}
# What pamflet knows about each language (direction, fonts, body size, hyphenation,
# readability formula, spelling dictionary, date locale) is in its language table,
# pamflet.languages.LANGUAGE_DEFAULTS; change or add entries here, field by field:
#     pamflet_language_settings = {"ar": {"body_scale": 1.2}}
pamflet_language_settings = {}
pamflet_publisher = "The pamflet project"
pamflet_publisher_url = "https://pamflet.readthedocs.io/"

# Values that never reach the .pot: set per language.
pamflet_language_config = {
    "en": {
        "epub_title": "Psychedelic-assisted therapy for PTSD",
        "epub_description": "A patient leaflet about psychedelic-assisted therapy for PTSD: "
        "what it is, what the research says, the risks and the law in the Netherlands.",
    },
    "nl": {
        "project": "Patiëntenfolders",
        "html_title": "Patiëntenfolders",
        "epub_title": "Psychedelica-ondersteunde therapie bij PTSS",
        "epub_description": "Een patiëntenfolder over psychedelica-ondersteunde therapie bij "
        "PTSS: wat het is, wat het onderzoek zegt, de risico's en de wet in Nederland.",
        "pamflet_publisher": "Het pamflet-project",
        "epub_publisher": "Het pamflet-project",
        "epub_copyright": "2026, Het pamflet-project",
    },
    "ar": {
        "project": "نشرات للمرضى",
        "html_title": "نشرات للمرضى",
        "epub_title": "علاج اضطراب ما بعد الصدمة (PTSD) بمساعدة المواد المهلوسة",
        "epub_description": "نشرة للمرضى عن علاج اضطراب ما بعد الصدمة (PTSD) بمساعدة المواد "
        "المهلوسة: ما هو، وماذا تقول الأبحاث، وما مخاطره، وماذا يقول القانون في هولندا.",
        "pamflet_publisher": "مشروع pamflet",
        "epub_publisher": "مشروع pamflet",
        "epub_copyright": "2026، مشروع pamflet",
    },
}

# -- website -------------------------------------------------------------------------------
# furo with pamflet's changes: language switcher, hreflang, downloads, self-hosted
# Atkinson Hyperlegible, larger text (pamflet/web/, pamflet/themes/pamflet/).
html_theme = "pamflet"
html_title = "Patient leaflets"
html_baseurl = "https://pamflet.readthedocs.io/{language}/latest/"
# The printed QR code and address lead to html_baseurl + <leaflet>.html. Nothing is
# published there yet, so the leaflets print "Online version not yet published" instead,
# and `pamflet build --release` refuses. Once the website is online at that address
# (README: "Publishing the website"), set this to True.
pamflet_online_confirmed = False
html_static_path = ["source/_static"]
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
html_use_index = False
# Where the same page is in another language, from this language's site root:
# side by side as `pamflet build` writes them; .readthedocs.yaml sets its own.
pamflet_language_url = "../{language}/{path}"

# -- EPUB ----------------------------------------------------------------------------------
epub_basename = "ptsd-psychedelic-therapy"
epub_author = "The pamflet project"
epub_publisher = "The pamflet project"
epub_copyright = "2026, The pamflet project"
# One identifier per leaflet and language ({docname} and {language} are filled in), the same
# in every build.
epub_identifier = "https://pamflet.readthedocs.io/{language}/latest/{docname}.html"
epub_scheme = "URL"
epub_uid = "pub-id"
epub_theme = "pamflet-epub"
# The basic theme's images that no page of the book uses.
epub_exclude_files = ["_static/minus.png", "_static/plus.png"]
epub_show_urls = "footnote"
epub_tocdepth = 2

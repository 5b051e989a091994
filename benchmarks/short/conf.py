"""A short leaflet for `make bench-peers` (2 to 4 A5 pages): a note, a list-table,
a footnote, a warning and a link. Not a publication; its text makes no medical claims."""

project = "Patient leaflets"
author = "Your clinic"
copyright = "2026, Your clinic"
version = "1.0"
release = "1.0"

extensions = ["pamflet"]

language = "en"
locale_dirs = ["../locales/"]
gettext_compact = True  # one catalog per document: locales/<lang>/LC_MESSAGES/<doc>.po
gettext_location = True
gettext_uuid = False
templates_path = []

# -- the leaflets --------------------------------------------------------------------------
# One entry per leaflet (a document in source/); every output reads its metadata here.
pamflet_leaflets = {
    "visit": {
        "version": "1.0",
        "published": "2026-11-30",
        "next_review": "2027-11-30",
    },
}
pamflet_languages = ["en", "nl"]
pamflet_formats = ["a4", "a5", "a5-print", "booklet"]
pamflet_pdf_filename = "{docname}-{format}.pdf"  # also when a build makes one format
pamflet_publisher = "Your clinic"

# Values that never reach the .pot: set per language.
pamflet_language_config = {
    "en": {
        "epub_title": "Your visit to the outpatient clinic",
    },
    "nl": {
        "project": "Patiëntenfolders",
        "html_title": "Patiëntenfolders",
        "epub_title": "Uw bezoek aan de polikliniek",
    },
}

# -- website -------------------------------------------------------------------------------
html_theme = "pamflet"
html_title = "Patient leaflets"
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
html_use_index = False
# Where the same page is in another language, from this language's site root.
pamflet_language_url = "../{language}/{path}"
root_doc = "visit"
exclude_patterns = []

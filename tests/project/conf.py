# A small, ordinary Sphinx project that only adds "pamflet" to its extensions.
project = "Test leaflet"
extensions = ["pamflet"]
locale_dirs = ["locales/"]
html_baseurl = "https://example.org/{language}/"

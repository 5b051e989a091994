"""Raster images named by what they are, not by where the project lies.

WeasyPrint names a raster image in the PDF (``/i<name>``) after the MD5 of its URL,
and the URL of a file holds the absolute path of the project and its build folder: a
project with a PNG or JPEG built in another folder (a CI clone, a second checkout,
``-o other-build``) wrote other bytes, although ``SOURCE_DATE_EPOCH`` was the same.
:func:`name_images_by_content` names each image loaded from a file after its bytes
and its orientation instead. The name stays one per image: the same bytes in the same
orientation are the same picture, which WeasyPrint already draws from one object when
one URL is used twice. SVG images are drawn as numbered forms and need nothing.
"""

from __future__ import annotations

import hashlib
from typing import Any


def name_images_by_content() -> None:
    """Wrap WeasyPrint's image loader (once a process; ``renderer.py`` calls it)."""
    import weasyprint.document as document
    from weasyprint.images import RasterImage

    original = document.original_get_image_from_uri
    if getattr(original, "pamflet_named", False):
        return

    def get_image_from_uri(
        cache: dict,
        url_fetcher: Any,
        options: dict,
        url: str,
        forced_mime_type: str | None = None,
        context: Any = None,
        orientation: Any = "from-image",
    ) -> Any:
        known = url in cache  # loaded (and named) before: WeasyPrint returns the same
        image = original(cache, url_fetcher, options, url, forced_mime_type, context, orientation)
        if not known and isinstance(image, RasterImage) and url.startswith("file:"):
            digest = hashlib.md5(image.image_data.data, usedforsecurity=False)
            digest.update(repr(orientation).encode())
            image.id = digest.hexdigest()
        return image

    get_image_from_uri.pamflet_named = True  # type: ignore[attr-defined]
    document.original_get_image_from_uri = get_image_from_uri

"""Images in entries: alt text, https, and the lead image a feed gives beside the text.

Every image we publish is hotlinked from the publisher (we copy nothing), so what the
reader's browser sends matters: ``clean.sanitise_html`` gives each one
``referrerpolicy="no-referrer"`` (the publisher does not learn which of our pages was read)
and ``loading="lazy"``. Here:

- an image without alt text takes its ``title``, else the caption of its figure; one with
  neither gets ``alt=""`` (decorative, and screen readers skip it rather than reading its URL);
- a plain ``http://`` image is written as ``https://``. Our pages are served over https, and
  current browsers (Chrome 86+, Firefox 127+, Safari 18+) upgrade an http image on an https
  page themselves and never fall back to http: a host without https shows no image either
  way. Writing https changes nothing for them, and spares older browsers the insecure
  request (and its mixed-content warning). We cannot ask each host at build time: that would
  fetch every image, which is the tracking we avoid;
- the lead image (``media:content``/``media:thumbnail`` or an image enclosure) is shown:
  at the top of the article when the text does not already hold it, and as the thumbnail of
  its listing entries (front matter ``image``). Same hotlinking, same referrer policy: no
  proxy, no tracking, and nothing is fetched at build time.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

_IMAGE_FILE = re.compile(r"\.(jpe?g|png|gif|webp|avif)(\?|$)", re.IGNORECASE)
ALT_LIMIT = 200


@dataclass(frozen=True)
class LeadImage:
    url: str
    alt: str


def fill_alt_text(tree) -> None:
    """alt from the image's title or its figure's caption; otherwise an empty alt."""
    for image in tree.iter("img"):
        if (image.get("alt") or "").strip():
            continue
        alt = (image.get("title") or "").strip() or _caption_of(image)
        image.set("alt", " ".join(alt.split())[:ALT_LIMIT])


def _caption_of(image) -> str:
    parent = image.getparent()
    while parent is not None and parent.tag != "figure":
        parent = parent.getparent()
    if parent is None:
        return ""
    caption = parent.find(".//figcaption")
    return caption.text_content().strip() if caption is not None else ""


def upgraded(url: str) -> str:
    """``url`` over https (see the module's docstring for why always)."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "http":
        return url
    return urlunsplit(parts._replace(scheme="https"))


def lead_image(entry, title: str) -> LeadImage | None:
    """The entry's own picture (media:content, media:thumbnail, an image enclosure), if any."""
    candidates = []
    for media in (entry.get("media_content") or []) + (entry.get("media_thumbnail") or []):
        url = media.get("url") or ""
        kind = (media.get("medium") or "") + " " + (media.get("type") or "")
        if url and ("image" in kind or (not kind.strip() and _IMAGE_FILE.search(url))):
            candidates.append(url)
    for link in entry.get("links") or []:
        if link.get("rel") == "enclosure" and (link.get("type") or "").startswith("image/") and link.get("href"):
            candidates.append(link["href"])
    for url in candidates:
        if urlsplit(url).scheme.lower() in ("http", "https"):
            return LeadImage(url.strip(), _lead_alt(entry) or title)
    return None


def _lead_alt(entry) -> str:
    """The picture's own description: media:description/media:title, or a text/plain caption
    that some feeds (El País) give as a content part."""
    parts = entry.get("content") or []
    has_html = any("html" in (part.get("type") or "") for part in parts)
    for part in parts:
        if has_html and part.get("type") == "text/plain" and 0 < len(part.get("value") or "") <= ALT_LIMIT:
            return " ".join(part["value"].split())
    for key in ("media_description", "media_title"):
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())[:ALT_LIMIT]
    return ""


def lead_image_html(image: LeadImage) -> str:
    """The lead image as HTML for the cleaner (which sanitises it like any other image)."""
    return (f'<figure><img src="{html.escape(image.url, quote=True)}" '
            f'alt="{html.escape(image.alt[:ALT_LIMIT], quote=True)}"></figure>')


def holds_image(fragment: str, url: str) -> bool:
    """Whether the entry's HTML already shows this picture (same file, any size variant)."""
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    return bool(name) and name in fragment

"""A response body read within the fetch's limits, and the headers handed on with it.

The limits are counted on the wire *and* after decompression: Content-Encoding is undone
here, a bounded amount at a time, so a gzip bomb is cut off rather than inflated; the
attempt's deadline is checked on every piece of the body, so a server trickling bytes is
cut off too. ``fetch`` turns the exceptions raised here into a feed's reason for failing.
"""

from __future__ import annotations

import re
import time
import zlib

import httpx

# An XML declaration naming an encoding, at the very start of a body.
DECLARED_ENCODING = re.compile(rb"""\s*<\?xml[^>]{0,200}?\bencoding\s*=\s*["'][\w.-]+["']""")
# Hop-by-hop and transfer headers describe the bytes on the wire, not the body we hand on.
WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding", "connection",
                          "keep-alive"})


class TooLarge(Exception):
    pass


class DeadlinePassed(Exception):
    pass


def headers_for_parser(response: httpx.Response, body: bytes) -> dict[str, str]:
    headers = {key.lower(): value for key, value in response.headers.items()
               if key.lower() not in WIRE_HEADERS}
    # feedparser resolves relative links against Content-Location: where the feed really was.
    headers.setdefault("content-location", str(response.url))
    media_type, _, parameters = headers.get("content-type", "").partition(";")
    media_type = media_type.strip().lower()
    declares_its_own = DECLARED_ENCODING.match(body) is not None
    if "charset" in parameters.lower() and not _is_xml(media_type) and declares_its_own:
        # A charset on text/html or text/plain is the server's default for its web pages, not
        # a statement about this feed, which names its own encoding: the feed is believed.
        # (On an XML media type the HTTP charset stands, as RFC 3023 and feedparser have it.)
        headers["content-type"] = media_type
    return headers


def _is_xml(media_type: str) -> bool:
    return media_type.endswith(("/xml", "+xml", "/xml-external-parsed-entity"))


def read_capped(response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge()
    inflater = Inflater(response.headers.get("content-encoding", ""))
    body, wire = bytearray(), 0
    for chunk in response.iter_raw():
        if time.monotonic() > deadline:
            raise DeadlinePassed()
        wire += len(chunk)
        if wire > max_bytes:
            raise TooLarge()
        body += inflater.inflate(chunk, room=max_bytes - len(body))
    body += inflater.finish()
    if len(body) > max_bytes:
        raise TooLarge()
    return bytes(body)


class Undecodable(Exception):
    pass


class Inflater:
    """Content-Encoding undone a bounded amount at a time: never more than ``room`` bytes out.

    httpx's own decoder inflates each network chunk whole (64 KiB of gzip can be 64 MiB),
    which is why the raw bytes come here instead.
    """

    def __init__(self, encoding: str):
        self.encoding = encoding.strip().lower()
        if self.encoding in ("", "identity"):
            self.decoder = None
        elif self.encoding in ("gzip", "x-gzip"):
            self.decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.encoding == "deflate":
            self.decoder = zlib.decompressobj()
            self.raw_deflate_tried = False
        else:
            raise Undecodable(f"unsupported Content-Encoding {self.encoding!r}")

    def inflate(self, data: bytes, room: int) -> bytes:
        if self.decoder is None:
            if len(data) > room:
                raise TooLarge()
            return data
        try:
            out = self.decoder.decompress(data, room + 1)
        except zlib.error as exc:
            if self.encoding == "deflate" and not self.raw_deflate_tried:
                # Some servers send raw deflate without the zlib wrapper the RFC asks for.
                self.decoder, self.raw_deflate_tried = zlib.decompressobj(-zlib.MAX_WBITS), True
                return self.inflate(data, room)
            raise Undecodable(f"broken {self.encoding} data ({exc})")
        if len(out) > room:
            raise TooLarge()
        return out

    def finish(self) -> bytes:
        return self.decoder.flush() if self.decoder is not None else b""

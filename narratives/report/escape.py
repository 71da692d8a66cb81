"""Escaping untrusted text (post text, handles, labels, keywords come from the adversary).

Every such string goes through `_h` (HTML) or `md_escape` (Markdown), which strip bidi overrides and
invisible characters and escape markup, so injected HTML, Markdown or links render as inert text.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Bidi embeddings/overrides/isolates, zero-width space/no-break, word joiner, and C0/C1 controls
# except tab and newline. ZWJ/ZWNJ stay: scripts and emoji need them.
_UNSAFE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\u200e\u200f\u061c"
                     "\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()<>#|!~&])")
_URL_SCHEME = re.compile(r"(?i)(h)tt(ps?)(:/+)")  # no \b: "_http://x" must be defanged too
_WWW = re.compile(r"(?i)www\.")
_OTHER_URL = re.compile(r"(?i)\b(?!hxxps?:)([a-z][a-z0-9+.\-]{1,15})(:)(?=//)")  # ftp://, file://, sftp://... (http is hxxp)
_BARE_SCHEME = re.compile(r"(?i)\b(mailto|xmpp|tel|sms|javascript|vbscript|data|irc|ircs|news|nntp|callto)(:)")
_EMAIL = re.compile(r"(?<=[\w.+\-])@(?=[\w\-]+\.)")  # user@example.com would be auto-linked (GFM)

def clean_text(text: object, limit: int | None = None) -> str:
    """Untrusted text made safe to lay out: NFC, no bidi overrides or invisible characters, one line."""
    text = unicodedata.normalize("NFC", "" if text is None else str(text))
    text = " ".join(_UNSAFE.sub("", text).split())
    return text if limit is None or len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _h(text: object, limit: int | None = None) -> str:
    """Untrusted text as HTML: escaped (attributes too) and isolated from the surrounding direction."""
    return f"<bdi>{html.escape(clean_text(text, limit), quote=True)}</bdi>"


def md_escape(text: object, limit: int | None = None) -> str:
    """Untrusted text as Markdown: URLs, schemes and e-mail addresses defanged (hxxp://, ftp[:]//,
    mailto[:], www[.], a[@]b.org) so no renderer auto-links them, and every
    character Markdown or HTML could act on is backslash-escaped."""
    text = _WWW.sub("www[.]", _URL_SCHEME.sub(r"\1xx\2\3", clean_text(text, limit)))
    text = _EMAIL.sub("[@]", _BARE_SCHEME.sub(r"\1[:]", _OTHER_URL.sub(r"\1[:]", text)))
    return _MD_SPECIAL.sub(r"\\\1", text)

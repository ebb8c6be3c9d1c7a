"""Front matter found in a Streamlit page's callout boxes: the paper (title, authors, year, arXiv link), its code, the source post."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

_LINK = re.compile(r"\[(?P<label>[^\]\n]+)\]\(\s*<?(?P<url>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_CITATION = re.compile(
    r"\[(?P<title>[^\]\n]+)\]\(\s*<?(?P<url>[^)\s>]+)>?\s*\)[\s,.:;-]*by\s+(?P<authors>[^()\n]+?)\s*"
    r"\([^)]*?\b(?P<year>(?:19|20)\d\d)\b[^)]*\)",
    re.IGNORECASE,
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|\b\d{{1,2}}\s+{_MONTH}\s+\d{{4}}\b"
    r"|\b\d{4}-\d\d-\d\d\b",
    re.IGNORECASE,
)
_SOURCE_LABEL = re.compile(
    r"\b(?:tweet|post|thread|toot|original|source|blog|article)\b", re.IGNORECASE
)
_SOCIAL_HOSTS = (
    "twitter.com",
    "x.com",
    "linkedin.com",
    "threads.net",
    "bsky.app",
    "mastodon.social",
)


def parse_callout(text: str) -> dict[str, Any]:
    """Front matter found in an `st.info`-style box: a paper's resources, the source post."""
    found: dict[str, Any] = {}
    links = [(m["label"].strip(), m["url"]) for m in _LINK.finditer(text)]
    citation = _CITATION.search(text)
    arxiv = next((url for _, url in links if _host(url).endswith("arxiv.org")), None)
    if citation:
        found["paper_title"] = " ".join(citation["title"].split())
        found["authors"] = [
            a for a in re.split(r"\s*(?:,|;|&|\band\b)\s*", citation["authors"]) if a
        ]
        found["year"] = int(citation["year"])
    if arxiv or citation:
        found["paper"] = arxiv or (citation["url"] if citation else None)
    code = next((url for _, url in links if _host(url) in ("github.com", "www.github.com")), None)
    if code:
        found["code"] = code
    for label, url in links:
        host = _host(url)
        social = any(host == h or host.endswith("." + h) for h in _SOCIAL_HOSTS)
        if url not in (found.get("paper"), code) and (social or _SOURCE_LABEL.search(label)):
            date = _DATE.search(text)
            found["source"] = f"{label} ({date[0]}): {url}" if date else f"{label}: {url}"
            break
    return found


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""

"""A Streamlit page file: its name and note id from the file stem, its source decoded as Python does and parsed with `ast`."""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from pathlib import Path

from indexer.errors import ImportFailed
from indexer.notes import slugify

HOME_ID = "home"
"""The page id of a Streamlit app's home page: the library itself, never a note."""


def page_name(stem: str) -> str:
    """Streamlit's name for a page file: "02_Mobile_SAM" → "Mobile SAM"."""
    name = re.sub(r"^\d+[_ -]*", "", stem).replace("_", " ").strip()
    return name or stem


def page_id(stem: str) -> str:
    """The note id of the page whose file stem is `stem` ("MobileSAM" → "mobilesam")."""
    return slugify(page_name(stem))


def read_source(path: Path, display: str) -> str:
    """The page's source text, decoded as Python does (BOM, coding cookie, else UTF-8)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailed(f"{display}: cannot read ({error.strerror or error})") from None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ImportFailed(f"{display}:{line}: binary file (NUL byte), not Python")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except SyntaxError as error:
        raise ImportFailed(f"{display}:{error.lineno or 1}: {error.msg}") from None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFailed(
            f"{display}:{line}: not valid {error.encoding.upper()} (byte 0x{data[error.start]:02x})"
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def parse_source(text: str, display: str) -> ast.Module:
    """The page's syntax tree; a syntax error becomes ImportFailed naming file and line."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes etc. are the page's business
            return ast.parse(text, filename=display)
    except SyntaxError as error:
        detail = "" if error.msg == "invalid syntax" else f" ({error.msg})"
        raise ImportFailed(f"{display}:{error.lineno or 1}: invalid syntax{detail}") from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise ImportFailed(f"{display}: cannot parse ({type(error).__name__})") from None

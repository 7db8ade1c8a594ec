"""A source text with the character offsets that provenance selectors point to.

Offsets are 0-based Unicode code points into the file as vendored (read as UTF-8 with
newlines kept as they are), end exclusive: ``text[start:end]`` is always the quote.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MARKUP = re.compile(r"\*+")
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPT = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class Line:
    """One line of a source text with its offsets (end excludes the newline)."""

    number: int
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Span:
    """A stretch of the source text, trimmed of surrounding whitespace."""

    start: int
    end: int


def split_lines(text: str) -> list[Line]:
    """All lines of a text with their offsets; line numbers are 1-based."""
    lines: list[Line] = []
    offset = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        lines.append(Line(number, offset, offset + len(raw), raw))
        offset += len(raw) + 1
    return lines


def trimmed_span(text: str, start: int, end: int) -> Span:
    """Shrink [start, end) so that it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def superscript_to_int(marker: str) -> int:
    return int("".join(str(SUPERSCRIPT_DIGITS.index(ch)) for ch in marker))


def clean_inline(text: str) -> str:
    """Remove layout artefacts from one run of text: markup, footnote markers, line wraps."""
    text = MARKUP.sub("", text)
    text = SUPERSCRIPT.sub("", text)
    text = SPACES.sub(" ", text.replace("\n", " "))
    return text.strip()


def slugify(text: str, max_words: int | None = None) -> str:
    """A readable IRI segment: the lower-case ASCII words of ``text`` (all of them unless
    ``max_words``) joined by hyphens; a dash of any kind separates words ("2015–2030" is
    "2015-2030")."""
    spaced = "".join(" " if unicodedata.category(char) == "Pd" else char for char in text)
    return "-".join(_ascii_words(spaced)[:max_words])


def earlier_slug(text: str, max_words: int) -> str:
    """The IRI segment that earlier releases made of a name: its first ``max_words`` words, with
    dashes other than the hyphen dropped ("2015–2030" ran together as "20152030"). Kept so that
    the IRIs they published still resolve (as owl:sameAs the whole-name IRI)."""
    return "-".join(_ascii_words(text)[:max_words])


def _ascii_words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", ascii_text.lower())


def names_pattern(names: Iterable[str]) -> re.Pattern:
    """Any of ``names`` as a whole word, a space standing for any run of whitespace (names wrap
    across lines); longest first, so that 'Mexico City' wins over 'Mexico'. A footnote marker may
    follow a name ("the Paris Agreement⁴"): superscript digits end a word."""
    body = "|".join(r"\s+".join(map(re.escape, name.split())) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?!-|[^\W{SUPERSCRIPT_DIGITS}])")

"""The SSML subset OpenSpeakers reads: text that starts with `<speak>` becomes segments.

Supported: `<break time="500ms|1s" strength=...>`, `<say-as interpret-as="characters|cardinal|
ordinal|date|telephone">`, `<sub alias>`, `<phoneme alphabet ph>`, `<prosody rate>`, `<p>`,
`<s>`. The result is a flat list of `Segment`s (text at a rate, with optional phonemes, or a
pause) that any engine can render sentence by sentence (engines/speech.py).

`say-as` is a text rewrite a text normaliser reads correctly later (cardinals and dates stay
digits / ISO dates); nothing here depends on one. Other elements (`emphasis`, `voice`, ...) are
not refused: their text is spoken and a warning says the tag was ignored, since LLM front-ends
send such markup. The document is parsed with expat directly so every error, including a bad
attribute value, names its line and column; a DOCTYPE (and with it any entity declaration) is
refused, so no entity expansion can happen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from xml.parsers import expat

from openspeakers.engines.base import InvalidRequestError

MAX_BREAK_S = 10.0
"""The longest `<break>` accepted (as Amazon Polly and Alexa allow)."""
STRENGTHS = {"none": 0.0, "x-weak": 0.1, "weak": 0.25, "medium": 0.4, "strong": 0.75,
             "x-strong": 1.2}
"""`<break strength>` in seconds; a bare `<break/>` is `medium`."""
RATES = {"x-slow": 0.5, "slow": 0.75, "medium": 1.0, "default": 1.0, "fast": 1.25,
         "x-fast": 1.5}
"""`<prosody rate>` keywords as speed factors."""
RATE_LIMITS = (0.25, 4.0)
"""Speed factors a `<prosody rate>` may ask for (those every request accepts)."""
ALPHABETS = ("ipa", "x-espeak")
"""`<phoneme alphabet>`: IPA (Piper, Kokoro), or eSpeak's own phoneme mnemonics."""
SAY_AS = ("characters", "spell-out", "cardinal", "number", "ordinal", "date", "telephone")
_KNOWN = {"speak", "break", "say-as", "sub", "phoneme", "prosody", "p", "s"}
_TIME = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*$")
_PERCENT = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*%\s*$")
_ORDINAL_SUFFIX = re.compile(r"(?i)^\d+(st|nd|rd|th)$")
_PUNCTUATION = re.compile(r" ([.,!?;:…])(?=\s|$)")
"""A space before closing punctuation (left where an element ended): it goes."""
_DATE = re.compile(r"^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$")


class SsmlError(InvalidRequestError):
    """The text is not well-formed SSML, or uses the subset wrongly (400, with the position)."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"invalid SSML at line {line}, column {column}: {message}",
                         param="text")
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Segment:
    """A piece of speech: `text` at `rate` times the request's speed, or `pause_s` of silence.

    `phonemes` (in `alphabet`) replace `text` for engines that take phonemes; `text` is what
    the others say. `boundary` marks the end of a sentence or paragraph (`</s>`, `</p>`).
    """

    text: str = ""
    rate: float = 1.0
    phonemes: str | None = None
    alphabet: str | None = None
    pause_s: float = 0.0
    boundary: bool = False
    literal: bool = False
    """Text the user spelt out (`sub` alias, `phoneme` fallback): the lexicon leaves it alone."""


@dataclass
class Document:
    segments: list[Segment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def spoken_text(self) -> str:
        """The words as an engine without phonemes says them (for listening checks)."""
        return spoken(self.segments)


def is_ssml(text: str) -> bool:
    """SSML is recognised by its root element, as OpenAI-style clients send plain text."""
    return text.lstrip().startswith("<speak")


def plain(text: str) -> Document:
    """A document of one text segment (input that is not SSML)."""
    return Document([Segment(text=text)])


def parse(text: str) -> Document:
    """The segments of an SSML document; `SsmlError` with the position if it is invalid."""
    return _Parser(text).run()


def parse_any(text: str) -> Document:
    return parse(text) if is_ssml(text) else plain(text)


def spoken_words(text: str) -> str:
    """A job's text without its markup: what captions time and show (SSML's words as said,
    plain text as it is)."""
    return parse(text).spoken_text if is_ssml(text) else text


def _seconds(value: str) -> float:
    match = _TIME.match(value)
    if match is None:
        raise ValueError(f"break time '{value}' is not a duration such as 500ms or 1.5s")
    seconds = float(match.group(1)) / (1000.0 if match.group(2) == "ms" else 1.0)
    if seconds > MAX_BREAK_S:
        raise ValueError(f"break time '{value}' is longer than {MAX_BREAK_S:g}s")
    return seconds


def _rate(value: str) -> float:
    value = value.strip().lower()
    if value in RATES:
        return RATES[value]
    match = _PERCENT.match(value)
    if match is not None:
        number = float(match.group(1))
        factor = 1.0 + number / 100.0 if value.startswith(("+", "-")) else number / 100.0
    else:
        try:
            factor = float(value)
        except ValueError:
            raise ValueError(f"prosody rate '{value}' is not one of {', '.join(RATES)}, "
                             "a percentage (80%, +10%) or a number") from None
    if not RATE_LIMITS[0] <= factor <= RATE_LIMITS[1]:
        raise ValueError(f"prosody rate '{value}' is outside {RATE_LIMITS[0]:g}-"
                         f"{RATE_LIMITS[1]:g} times the normal speed")
    return factor


def ordinal(number: str) -> str:
    """'3' -> '3rd' (a written ordinal every normaliser and engine reads as one)."""
    digits = number.strip().replace(",", "")
    if _ORDINAL_SUFFIX.match(digits) or not digits.isdigit():
        return number.strip()
    value = int(digits)
    suffix = "th" if value % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(
        value % 10, "th")
    return f"{digits}{suffix}"


def characters(text: str) -> str:
    """'ABC' -> 'A B C': read letter by letter (digits one by one)."""
    return " ".join(ch for ch in text if not ch.isspace())


def telephone(text: str) -> str:
    """Digit groups joined by dashes, which a normaliser reads digit by digit: the groups as
    written ('+44 20 7946 0958' -> '44-20-7946-0958'), else the North American way for ten
    or eleven digits ('555-123-4567'), else threes and a last four."""
    groups = re.findall(r"\d+", text)
    if len(groups) > 1:
        return "-".join(groups)
    digits = "".join(groups)
    if len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if len(digits) == 11 and digits.startswith("1"):
        return f"1-{digits[1:4]}-{digits[4:7]}-{digits[7:]}"
    if len(digits) <= 4:
        return digits or text.strip()
    head, tail = digits[:-4], digits[-4:]
    groups = [head[i:i + 3] for i in range(0, len(head), 3)]
    return "-".join([*groups, tail])


def date(text: str, fmt: str | None) -> str:
    """An ISO date (2026-04-05) when `format` says how to read the digits (mdy, dmy, ymd);
    otherwise the text as written."""
    match = _DATE.match(text.strip())
    if match is None or not fmt:
        return text.strip()
    order = fmt.lower()
    if sorted(order) != ["d", "m", "y"]:
        return text.strip()
    parts = dict(zip(order, match.groups(), strict=True))
    year = parts["y"] if len(parts["y"]) == 4 else f"20{int(parts['y']):02d}"
    return f"{year}-{int(parts['m']):02d}-{int(parts['d']):02d}"


def say_as(text: str, interpret_as: str, fmt: str | None) -> str:
    if interpret_as in ("characters", "spell-out"):
        return characters(text)
    if interpret_as == "ordinal":
        return ordinal(text)
    if interpret_as == "telephone":
        return telephone(text)
    if interpret_as == "date":
        return date(text, fmt)
    return text.strip()  # cardinal / number: digits, read by the normaliser or the engine


@dataclass
class _Frame:
    """An open element: its name, the rate inside it, and text collected for rewriting."""

    name: str
    rate: float
    attrs: dict[str, str]
    collected: list[str] | None = None


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler = self._at_position(self._start)
        self.parser.EndElementHandler = self._at_position(self._end)
        self.parser.CharacterDataHandler = self._at_position(self._chars)
        self.parser.StartDoctypeDeclHandler = self._at_position(self._doctype)
        self.stack: list[_Frame] = []
        self.document = Document()
        self.ignored: set[str] = set()

    def run(self) -> Document:
        try:
            self.parser.Parse(self.text, True)
        except expat.ExpatError as exc:
            raise SsmlError(expat.ErrorString(exc.code), exc.lineno, exc.offset + 1) from None
        self.document.segments = _merged(self.document.segments)
        if not any(s.text.strip() or s.phonemes or s.pause_s for s in self.document.segments):
            raise SsmlError("there is nothing to say", 1, 1)
        return self.document

    # handlers (a ValueError in one becomes an SsmlError at the current position) ------------
    def _at_position(self, handler: Any) -> Any:
        """`handler`, with a ValueError it raises reported at the start of the markup that
        caused it (the position must be read while the handler runs)."""

        def run(*args: Any) -> None:
            try:
                handler(*args)
            except ValueError as exc:
                raise SsmlError(str(exc), self.parser.CurrentLineNumber,
                                self.parser.CurrentColumnNumber + 1) from None

        return run

    def _doctype(self, *_: Any) -> None:
        raise ValueError("a DOCTYPE is not allowed in SSML input")

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        rate = self.stack[-1].rate if self.stack else 1.0
        if not self.stack and name != "speak":
            raise ValueError(f"the root element must be <speak>, not <{name}>")
        if self.stack and name == "speak":
            raise ValueError("<speak> cannot be nested")
        if self._collecting() is not None and name != "break":
            raise ValueError(f"<{name}> is not allowed inside <{self._collecting_name()}>")
        frame = _Frame(name, rate, attrs)
        if name in ("p", "s"):
            self._emit(Segment(boundary=True, rate=rate))
        elif name == "break":
            self._break(attrs)
        elif name == "prosody":
            if "rate" in attrs:
                frame.rate = rate * _rate(attrs["rate"])
                if not RATE_LIMITS[0] <= frame.rate <= RATE_LIMITS[1]:
                    raise ValueError(f"the nested prosody rates come to {frame.rate:g} times "
                                     "the normal speed, outside "
                                     f"{RATE_LIMITS[0]:g}-{RATE_LIMITS[1]:g}")
            for other in sorted(set(attrs) - {"rate"}):
                self._warn(f'<prosody {other}="..."> is not supported and was ignored')
        elif name == "say-as":
            kind = attrs.get("interpret-as", "")
            if kind not in SAY_AS:
                raise ValueError(f"say-as interpret-as='{kind}' is not one of "
                                 f"{', '.join(SAY_AS)}")
            frame.collected = []
        elif name == "sub":
            if not attrs.get("alias", "").strip():
                raise ValueError("<sub> needs a non-empty alias attribute")
            frame.collected = []
        elif name == "phoneme":
            alphabet = attrs.get("alphabet", "ipa")
            if alphabet not in ALPHABETS:
                raise ValueError(f"phoneme alphabet '{alphabet}' is not one of "
                                 f"{', '.join(ALPHABETS)}")
            if not attrs.get("ph", "").strip():
                raise ValueError("<phoneme> needs a non-empty ph attribute")
            if "[[" in attrs["ph"] or "]]" in attrs["ph"]:
                raise ValueError("phoneme ph cannot contain [[ or ]]")
            frame.collected = []
        elif name not in _KNOWN and name not in self.ignored:
            self.ignored.add(name)
            self._warn(f"<{name}> is not supported: its text is spoken, the tag ignored")
        self.stack.append(frame)

    def _end(self, name: str) -> None:
        frame = self.stack.pop()
        inner = "".join(frame.collected or [])
        if name == "say-as":
            spoken = say_as(inner, frame.attrs["interpret-as"], frame.attrs.get("format"))
            self._emit(Segment(text=f" {spoken} ", rate=frame.rate, literal=True))
        elif name == "sub":
            self._emit(Segment(text=f" {frame.attrs['alias'].strip()} ", rate=frame.rate,
                               literal=True))
        elif name == "phoneme":
            self._emit(Segment(text=f" {inner.strip()} ", rate=frame.rate,
                               phonemes=frame.attrs["ph"].strip(),
                               alphabet=frame.attrs.get("alphabet", "ipa"), literal=True))
        elif name in ("p", "s"):
            self._emit(Segment(boundary=True, rate=frame.rate))

    def _chars(self, data: str) -> None:
        collecting = self._collecting()
        if collecting is not None:
            collecting.append(data)
        elif self.stack:
            self._emit(Segment(text=data, rate=self.stack[-1].rate))

    # helpers --------------------------------------------------------------------------------
    def _break(self, attrs: dict[str, str]) -> None:
        if "time" in attrs:
            seconds = _seconds(attrs["time"])
        else:
            strength = attrs.get("strength", "medium")
            if strength not in STRENGTHS:
                raise ValueError(f"break strength '{strength}' is not one of "
                                 f"{', '.join(STRENGTHS)}")
            seconds = STRENGTHS[strength]
        if self._collecting() is None:
            self._emit(Segment(pause_s=seconds))

    def _collecting(self) -> list[str] | None:
        for frame in reversed(self.stack):
            if frame.collected is not None:
                return frame.collected
        return None

    def _collecting_name(self) -> str:
        return next(f.name for f in reversed(self.stack) if f.collected is not None)

    def _emit(self, segment: Segment) -> None:
        self.document.segments.append(segment)

    def _warn(self, message: str) -> None:
        if message not in self.document.warnings:
            self.document.warnings.append(message)


def _merged(segments: list[Segment]) -> list[Segment]:
    """Adjacent pieces joined: text of one rate runs on; boundaries become line breaks (a
    sentence ends there); consecutive pauses add up; white space is tidied."""
    out: list[Segment] = []
    for segment in segments:
        last = out[-1] if out else None
        if segment.boundary:
            if last is not None and not last.pause_s and not last.phonemes:
                out[-1] = replace(last, text=last.text.rstrip() + "\n")
            elif last is not None and last.phonemes:
                out.append(Segment(text="\n", rate=last.rate))
            continue
        if segment.pause_s or not segment.text.strip() and not segment.phonemes:
            if segment.pause_s:
                if last is not None and last.pause_s:
                    out[-1] = replace(last, pause_s=min(MAX_BREAK_S,
                                                        last.pause_s + segment.pause_s))
                else:
                    out.append(segment)
            elif last is not None and not last.pause_s and not last.phonemes:
                out[-1] = replace(last, text=last.text + segment.text)
            continue
        if (last is not None and not last.pause_s and not last.phonemes
                and not segment.phonemes and last.rate == segment.rate
                and last.literal == segment.literal):
            out[-1] = replace(last, text=last.text + segment.text)
        else:
            out.append(segment)
    return out


def spoken(segments: Sequence[Segment]) -> str:
    """The words of `segments` as said by an engine without phonemes (pauses end a line)."""
    return join_text([f" {s.text} " if not s.pause_s else "\n" for s in segments])


def join_text(pieces: list[str]) -> str:
    """Pieces of text run together: spaces collapsed within each line (and dropped before
    closing punctuation), empty lines dropped (a line is a sentence to the splitter,
    audio/text.py)."""
    lines = (_PUNCTUATION.sub(r"\1", " ".join(line.split()))
             for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)

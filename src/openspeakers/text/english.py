"""English forms NeMo's deterministic grammar leaves as written, rewritten before it runs.

Measured on tests/data/normalization.tsv: nemo-text-processing 1.2.0 reads most English well,
but its deterministic English grammar has Roman numerals switched off ("Chapter XIV" and
"Henry VIII" stay as written); it reads "10-20" as "ten-twenty", leaves "Baker St.", "No. 5"
and "Prof." as written, says "8 m" and "5 mm" as "eight M" and "five MM", spells URLs in
capitals with their scheme, and reads a phone number written with spaces as cardinals. Each
rule below turns one such form into one NeMo reads correctly (digits, "to", a word), so NeMo
still does the verbalising; the Roman numeral rule uses NeMo's own data (key words, given
names) to decide when letters are a number.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
# Words after which a Roman numeral is a cardinal ("Chapter XIV", "World War II"): NeMo's
# key words (data/roman/key_word.tsv) and a few more of the same kind.
_CARDINAL_KEYS = frozenset({
    "chapter", "class", "part", "article", "section", "paragraph", "volume", "vol.", "book",
    "act", "scene", "war", "phase", "stage", "level", "type", "title", "appendix", "canto",
    "psalm", "series", "tier", "grade", "bowl", "season", "episode"})
# A lone X, L, C, D or M after a keyword or a name is a letter: "USB Type C", "Part D",
# "Malcolm X", "Grade C" (a lone I is handled as a pronoun below; a lone V stays a numeral:
# "Henry V", "Part V")
_LETTERS_NOT_NUMERALS = frozenset("XLCDM")
_ROMAN_TOKEN = re.compile(r"(?<![\w.])([A-Z][\w.]*)\s+([IVXLCDM]+)\b(?![.'’]?\w)")
# "10-20", "3.5-4": short numbers only (a phone number's groups are not a range)
_RANGE = re.compile(r"(?<![\d.,:/+-])(\d{1,3}(?:\.\d+)?)\s?[-–]\s?(\d{1,3}(?:\.\d+)?)"
                    r"(?![\d.,:/-]*\d)")
_SPACED_PHONE = re.compile(r"(?<![\w+])(\+\d{1,3}[ .])?(\(?\d{3}\)?)[ .](\d{3})[ .](\d{4})\b")
_STREET = re.compile(r"(?<=[A-Za-z] )St\.(?=\s*$|\s+[a-z,;:!?]|[,;:!?])")
_NUMBER_SIGN = re.compile(r"\b[Nn]o\.\s?(?=\d)|(?<!\w)#(?=\d)")
_PROFESSOR = re.compile(r"\bProf\.(?=\s)")
_SPEED = re.compile(r"(?<=\d)\s?km/h\b")
_METRES = re.compile(r"(?<=\d)\s?(mm|m)\b(?![\w/²³])")
_DATA_UNIT = re.compile(r"(?<=\d)\s?(TB|GB|MB|kB|KB)\b")
_DATA_WORDS = {"TB": "terabytes", "GB": "gigabytes", "MB": "megabytes", "kB": "kilobytes",
               "KB": "kilobytes"}
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]']")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    """Given names after which a Roman numeral is a regnal number ("Henry VIII"): NeMo's lists
    (data/roman/male.tsv, female.tsv), read from the installed package."""
    from nemo_text_processing.text_normalization.en import utils

    data = Path(utils.get_abs_path("data/roman"))
    names: set[str] = set()
    for name in ("male.tsv", "female.tsv"):
        names.update(line.split("\t")[0].strip().lower()
                     for line in (data / name).read_text(encoding="utf-8").splitlines()
                     if line.strip())
    return frozenset(names)


def roman_value(token: str) -> int | None:
    """The value of a well-formed Roman numeral, else None."""
    if not token or not _ROMAN.match(token):
        return None
    total = 0
    for index, char in enumerate(token):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[token[index + 1]] if index + 1 < len(token) else 0
        total += -value if value < following else value
    return total


def _roman(match: re.Match[str]) -> str:
    word, numeral = match.group(1), match.group(2)
    value = roman_value(numeral)
    if value is None or numeral in _LETTERS_NOT_NUMERALS:
        return match.group()
    if word.lower() in _CARDINAL_KEYS:
        return f"{word} {value}"
    if numeral != "I" and word.istitle() and word.lower() in _given_names():  # "Will I go?"
        suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(
            value % 10, "th")
        return f"{word} the {value}{suffix}"
    return match.group()


def _range(match: re.Match[str]) -> str:
    return f"{match.group(1)} to {match.group(2)}"


def _phone(match: re.Match[str]) -> str:
    country = (match.group(1) or "").strip(" .")
    digits = "-".join(g.strip("()") for g in match.groups()[1:])
    return f"{country}-{digits}" if country else digits


def _url(match: re.Match[str]) -> str:
    """An address as people say it: no scheme or www, "dot" and "slash" between its words."""
    url = re.sub(r"^(?:https?://)?(?:www\.)?", "", match.group()).rstrip("/")
    url = url.replace("?", " question mark ").replace("=", " equals ").replace("&", " and ")
    spoken = url.replace(".", " dot ").replace("/", " slash ").replace("-", " dash ")
    spoken = spoken.replace("_", " underscore ").replace(":", " colon ").replace("#", " hash ")
    return re.sub(r"\s+", " ", spoken).strip().lower()


def _email(match: re.Match[str]) -> str:
    user, _, domain = match.group().partition("@")
    spoken = f"{user} at {domain}".replace(".", " dot ").replace("_", " underscore ")
    return re.sub(r"\s+", " ", spoken.replace("-", " dash ").replace("+", " plus ")).lower()


def prepare(sentence: str) -> str:
    """`sentence` with the forms above rewritten for NeMo (see the module's docstring)."""
    sentence = _URL.sub(_url, sentence)
    sentence = _EMAIL.sub(_email, sentence)
    sentence = _ROMAN_TOKEN.sub(_roman, sentence)
    sentence = _SPACED_PHONE.sub(_phone, sentence)
    sentence = _RANGE.sub(_range, sentence)
    sentence = _STREET.sub("Street", sentence)
    sentence = _NUMBER_SIGN.sub("number ", sentence)
    sentence = _PROFESSOR.sub("Professor", sentence)
    sentence = _SPEED.sub(" kilometers per hour", sentence)
    sentence = _METRES.sub(lambda m: " millimeters" if m.group(1) == "mm" else " meters",
                           sentence)
    sentence = _DATA_UNIT.sub(lambda m: f" {_DATA_WORDS[m.group(1)]}", sentence)
    return sentence


_NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
                 "twenty|thirty|forty|fifty|o'clock|hundred")
_SPOKEN_MERIDIEM = re.compile(rf"\b({_NUMBER_WORDS}) ([AP])M\b")


def finish(spoken: str) -> str:
    """NeMo's output made readable by every engine: "ten AM" -> "ten a m" (engines read "AM"
    as the word "am")."""
    return _SPOKEN_MERIDIEM.sub(lambda m: f"{m.group(1)} {m.group(2).lower()} m", spoken)


"""Bodies of /api/lexicon (pronunciation entries; text/lexicon.py)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from openspeakers.db.models import LexiconEntry
from openspeakers.schemas import NON_BLANK, STRICT, UtcDatetime, _spoken
from openspeakers.text.ssml import ALPHABETS


def _tidy(value: str | None) -> str | None:
    """White space collapsed (the patterns below have made sure something is left)."""
    return None if value is None else " ".join(value.split())


WORD_PATTERN = r"^[^<>&\[\]]*\w[^<>&\[\]]*$"
"""A letter or digit somewhere, and no markup (< > &) or phoneme brackets ([ ])."""
PHONEMES_PATTERN = r"^[^\[\]]*[^\s\x1c-\x1f\[\]][^\[\]]*$"
"""Not blank, and no [ ] (phonemes are put inside [[...]] for the engines)."""



def _matching(pattern: str, message: str) -> AfterValidator:
    """The schema's `pattern`, checked with a message a person can act on."""

    def check(value: str) -> str:
        if re.fullmatch(pattern, value) is None:
            raise ValueError(message)
        return value

    return AfterValidator(check)


Word = Annotated[str, StringConstraints(min_length=1, max_length=100),
                 _matching(WORD_PATTERN, "must have a letter or digit and none of < > & [ ]"),
                 AfterValidator(_tidy),
                 Field(description="Word or phrase, matched whole and case-insensitively",
                       json_schema_extra={"pattern": WORD_PATTERN})]
Replacement = Annotated[str, StringConstraints(min_length=1, max_length=500),
                        AfterValidator(_spoken), AfterValidator(_tidy),
                        Field(json_schema_extra={"pattern": NON_BLANK})]
Phonemes = Annotated[str, StringConstraints(min_length=1, max_length=500),
                     _matching(PHONEMES_PATTERN, "must not be blank or contain [ or ]"),
                     AfterValidator(_tidy), Field(json_schema_extra={"pattern": PHONEMES_PATTERN})]
AlphabetName = Literal["ipa", "x-espeak"]
assert set(ALPHABETS) == {"ipa", "x-espeak"}  # noqa: S101 - the schema lists ssml's alphabets
_SAYS_SOMETHING = {"anyOf": [
    {"required": ["replacement"], "properties": {"replacement": {"type": "string"}}},
    {"required": ["phonemes"], "properties": {"phonemes": {"type": "string"}}}]}
"""The schema's way of saying "replacement, phonemes, or both" (as the validator does)."""


class LexiconEntryIn(BaseModel):
    """A pronunciation: `replacement` text (every engine) and/or `phonemes` (engines that take
    phonemes in `alphabet`: Piper and Kokoro IPA, eSpeak x-espeak). At least one of the two."""

    model_config = ConfigDict(**STRICT, json_schema_extra=_SAYS_SOMETHING)

    word: Word
    replacement: Replacement | None = Field(None, description="What to say instead")
    phonemes: Phonemes | None = Field(None, description="How to say it, in `alphabet`")
    alphabet: AlphabetName = Field("ipa", description="The alphabet of `phonemes`")
    model_id: str | None = Field(None, max_length=64, description=(
        "The model the entry is for; none: every model (a model's entry wins over a global "
        "one for the same word)"))

    @model_validator(mode="after")
    def _says_something(self) -> LexiconEntryIn:
        if self.replacement is None and self.phonemes is None:
            raise ValueError("give replacement, phonemes, or both")
        return self


class LexiconEntryOut(BaseModel):
    id: str
    word: str
    replacement: str | None
    phonemes: str | None
    alphabet: str
    model_id: str | None = Field(description="None: the entry is for every model")
    created_at: UtcDatetime
    updated_at: UtcDatetime

    @classmethod
    def of(cls, row: LexiconEntry) -> LexiconEntryOut:
        return cls(id=row.id, word=row.word, replacement=row.replacement,
                   phonemes=row.phonemes, alphabet=row.alphabet, model_id=row.model_id,
                   created_at=row.created_at, updated_at=row.updated_at)


class LexiconOut(BaseModel):
    items: list[LexiconEntryOut]

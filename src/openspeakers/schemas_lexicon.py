"""Bodies of /api/lexicon (pronunciation entries; text/lexicon.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, model_validator

from openspeakers.db.models import LexiconEntry
from openspeakers.schemas import STRICT, UtcDatetime
from openspeakers.text.ssml import ALPHABETS


def _word(value: str) -> str:
    value = " ".join(value.split())
    if not any(ch.isalnum() for ch in value):
        raise ValueError("word must contain a letter or digit")
    if any(ch in value for ch in "<>&[]"):
        raise ValueError("word cannot contain < > & [ or ]")
    return value


def _optional_text(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    if not value:
        raise ValueError("must not be blank (leave it out instead)")
    return value


def _phonemes(value: str | None) -> str | None:
    value = _optional_text(value)
    if value is not None and ("[[" in value or "]]" in value):
        raise ValueError("phonemes cannot contain [[ or ]]")
    return value


Word = Annotated[str, Field(min_length=1, max_length=100,
                            description="Word or phrase, matched whole and case-insensitively"),
                 AfterValidator(_word)]
AlphabetName = Literal["ipa", "x-espeak"]
assert set(ALPHABETS) == {"ipa", "x-espeak"}  # noqa: S101 - the schema lists ssml's alphabets


class LexiconEntryIn(BaseModel):
    """A pronunciation: `replacement` text (every engine) and/or `phonemes` (engines that take
    phonemes in `alphabet`: Piper and Kokoro IPA, eSpeak x-espeak). At least one of the two."""

    model_config = STRICT

    word: Word
    replacement: Annotated[str | None, Field(None, min_length=1, max_length=500,
                                             description="What to say instead"),
                           AfterValidator(_optional_text)]
    phonemes: Annotated[str | None, Field(None, min_length=1, max_length=500,
                                          description="How to say it, in `alphabet`"),
                        AfterValidator(_phonemes)]
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

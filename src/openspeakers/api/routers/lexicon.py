"""/api/lexicon: pronunciation entries (word -> replacement text or phonemes), global or per
model, applied in the worker to every job's text (text/lexicon.py, docs/SSML.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from openspeakers.api.context import AppContext
from openspeakers.api.deps import ContextDep
from openspeakers.api.strict import CheckedRoute
from openspeakers.schemas import Id
from openspeakers.schemas_lexicon import LexiconEntryIn, LexiconEntryOut, LexiconOut
from openspeakers.text.lexicon import EntryFields, Lexicon

router = APIRouter(prefix="/api/lexicon", tags=["lexicon"], route_class=CheckedRoute)
EntryId = Annotated[Id, Path(description="Lexicon entry id (32 hex characters)")]


def _fields(ctx: AppContext, body: LexiconEntryIn) -> EntryFields:
    if body.model_id is not None:
        ctx.registry.get(body.model_id)  # an unknown model: 400 naming the known ones
    return EntryFields(word=body.word, replacement=body.replacement, phonemes=body.phonemes,
                       alphabet=body.alphabet, model_id=body.model_id)


@router.get("", summary="List lexicon entries (those that apply to one model, if given)")
async def list_entries(ctx: ContextDep, model_id: Annotated[str | None, Query(
        max_length=64, description="Only the entries that apply to this model (its own "
                                   "and the global ones)")] = None) -> LexiconOut:
    rows = await ctx.pools.db_call(Lexicon(ctx.sessions).list, model_id)
    return LexiconOut(items=[LexiconEntryOut.of(row) for row in rows])


@router.post("", status_code=201, summary="Add a lexicon entry (409 if the word has one)")
async def create_entry(body: LexiconEntryIn, ctx: ContextDep) -> LexiconEntryOut:
    fields = _fields(ctx, body)
    return LexiconEntryOut.of(await ctx.pools.db_call(Lexicon(ctx.sessions).create, fields))


@router.get("/{entry_id}", summary="One lexicon entry")
async def get_entry(entry_id: EntryId, ctx: ContextDep) -> LexiconEntryOut:
    return LexiconEntryOut.of(await ctx.pools.db_call(Lexicon(ctx.sessions).get, entry_id))


@router.put("/{entry_id}", summary="Replace a lexicon entry")
async def update_entry(entry_id: EntryId, body: LexiconEntryIn,
                       ctx: ContextDep) -> LexiconEntryOut:
    fields = _fields(ctx, body)
    row = await ctx.pools.db_call(Lexicon(ctx.sessions).update, entry_id, fields)
    return LexiconEntryOut.of(row)


@router.delete("/{entry_id}", status_code=204, summary="Delete a lexicon entry")
async def delete_entry(entry_id: EntryId, ctx: ContextDep) -> Response:
    await ctx.pools.db_call(Lexicon(ctx.sessions).delete, entry_id)
    return Response(status_code=204)

"""A path convertor for job ids, so that `/api/tts/history/{job_id}` does not also match the
literal paths beside it (`/history/delete`, `/history/prune`): a DELETE there is a 405 with
`Allow: POST`, as the schema says, not a 422 about a malformed id."""

from __future__ import annotations

from starlette.convertors import CONVERTOR_TYPES, Convertor, register_url_convertor


class JobIdConvertor(Convertor[str]):
    regex = "[0-9a-f]{32}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


def register_job_id_convertor() -> None:
    """Make `{name:job_id}` usable in route paths (once per process)."""
    if "job_id" not in CONVERTOR_TYPES:
        register_url_convertor("job_id", JobIdConvertor())

"""A multipart/form-data body read as it streams in, with its size limit enforced while reading.

Starlette's form parser spools a whole file part to disk before the route sees it; here the
body is fed chunk by chunk to python-multipart and refused (413) as soon as it passes the
limit, so an oversized upload is never stored anywhere.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header

from openspeakers.inputs import string_problem
from openspeakers.voices.upload import UploadRejected, UploadTooLarge

FIELD_LIMIT = 64 * 1024
"""Longest text field (transcript, description), in bytes."""
FORM_OVERHEAD = 1024 * 1024
"""Room for the text fields and multipart framing on top of the file limit."""
MAX_PARTS = 64


@dataclass
class UploadForm:
    fields: dict[str, list[str]] = field(default_factory=dict)
    file_field: str | None = None
    filename: str | None = None
    file: bytearray = field(default_factory=bytearray)

    def get(self, name: str) -> str | None:
        values = self.fields.get(name)
        return values[-1] if values else None

    def get_all(self, name: str) -> list[str]:
        return list(self.fields.get(name, ()))


class _Collector:
    def __init__(self, max_file_bytes: int, file_fields: tuple[str, ...]) -> None:
        self.form = UploadForm()
        self.max_file_bytes = max_file_bytes
        self.file_fields = file_fields
        self.error: UploadRejected | None = None
        self.parts = 0
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._headers: dict[str, str] = {}
        self._name: str | None = None
        self._is_file = False
        self._buffer = bytearray()

    def fail(self, error: UploadRejected) -> None:
        if self.error is None:
            self.error = error

    def on_part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            self.fail(UploadRejected(f"the form has more than {MAX_PARTS} parts"))
        self._headers, self._name, self._is_file = {}, None, False
        self._buffer = bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        key = self._header_field.decode("latin-1").strip().lower()
        self._headers[key] = self._header_value.decode("utf-8", "replace")
        self._header_field, self._header_value = bytearray(), bytearray()

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get("content-disposition", ""))
        name = options.get(b"name")
        self._name = name.decode("utf-8", "replace") if name is not None else None
        self._is_file = b"filename" in options or self._name in self.file_fields
        if self._is_file:
            if self.form.file_field is not None:
                self.fail(UploadRejected("send one audio file per voice"))
            self.form.file_field = self._name
            filename = options.get(b"filename")
            self.form.filename = filename.decode("utf-8", "replace") if filename else None

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.error is not None:
            return
        if self._is_file:
            if len(self.form.file) + (end - start) > self.max_file_bytes:
                self.fail(UploadTooLarge(f"the file is larger than the limit of "
                                         f"{_size(self.max_file_bytes)}"))
                return
            self.form.file += data[start:end]
        else:
            self._buffer += data[start:end]
            if len(self._buffer) > FIELD_LIMIT:
                self.fail(UploadRejected(f"field '{self._name}' is longer than "
                                         f"{FIELD_LIMIT // 1024} KiB"))

    def on_part_end(self) -> None:
        if self._name is not None and not self._is_file and self.error is None:
            try:
                value = self._buffer.decode("utf-8")
            except UnicodeDecodeError:
                self.fail(UploadRejected(f"field '{self._name}' is not UTF-8 text"))
                return
            if problem := string_problem(value):
                self.fail(UploadRejected(f"field '{self._name}' {problem}"))
                return
            self.form.fields.setdefault(self._name, []).append(value)


async def read_form(chunks: AsyncIterator[bytes], content_type: str | None,
                    content_length: str | None, *, max_file_bytes: int,
                    file_fields: tuple[str, ...] = ("file", "audio")) -> UploadForm:
    """Parse a multipart body from `chunks`; raise `UploadTooLarge` as soon as it is too big.

    An oversized body is read on (and dropped) for a while before the error is raised, so that
    the client, still sending, gets the 413 instead of a reset connection.
    """
    mime, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary")
    if mime != b"multipart/form-data" or not boundary:
        raise UploadRejected("send the voice as multipart/form-data (fields: name, file, "
                             "transcript, description, tags)")
    limit = max_file_bytes + FORM_OVERHEAD
    if content_length and content_length.isdigit() and int(content_length) > limit:
        await _drain(chunks, limit)
        raise UploadTooLarge(f"the upload is {_size(int(content_length))}; the limit is "
                             f"{_size(max_file_bytes)}")
    collector = _Collector(max_file_bytes, file_fields)
    parser = MultipartParser(boundary, {  # type: ignore[arg-type]
        "on_part_begin": collector.on_part_begin, "on_part_data": collector.on_part_data,
        "on_part_end": collector.on_part_end, "on_header_field": collector.on_header_field,
        "on_header_value": collector.on_header_value, "on_header_end": collector.on_header_end,
        "on_headers_finished": collector.on_headers_finished})
    received = 0
    try:
        async for chunk in chunks:
            received += len(chunk)
            if received > limit:
                collector.fail(UploadTooLarge(f"the upload is larger than the limit of "
                                              f"{_size(max_file_bytes)}"))
            if collector.error is None:
                parser.write(chunk)
            if collector.error is not None:
                if isinstance(collector.error, UploadTooLarge):
                    await _drain(chunks, limit)
                raise collector.error
        parser.finalize()
    except UploadRejected:
        raise
    except Exception as exc:  # python-multipart's own parse errors
        raise UploadRejected(f"the multipart body could not be parsed: {exc}") from None
    if collector.error is not None:
        raise collector.error
    return collector.form


async def _drain(chunks: AsyncIterator[bytes], limit: int) -> None:
    """Read and drop up to `limit` more bytes of the body (then give up on it)."""
    dropped = 0
    async for chunk in chunks:
        dropped += len(chunk)
        if dropped > limit:
            break


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MiB" if count >= 1024 * 1024 else f"{count} bytes"

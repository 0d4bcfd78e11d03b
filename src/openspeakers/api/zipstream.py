"""Stream a ZIP archive while it is written, without holding it in memory or on disk."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

_READ = 64 * 1024


class _Pipe:
    """A write-only file for `zipfile` whose written bytes are drained by the generator."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.offset = 0

    def write(self, data: bytes) -> int:
        self.buffer += data
        self.offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self.offset

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data, self.buffer = bytes(self.buffer), bytearray()
        return data


def zip_files(files: list[tuple[str, Path]]) -> Iterator[bytes]:
    """Yield a ZIP of `files` (archive name, path). Audio is already compressed: stored as is."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_STORED) as archive:  # type: ignore[arg-type]
        for name, path in files:
            with path.open("rb") as source, archive.open(name, "w", force_zip64=True) as target:
                while block := source.read(_READ):
                    target.write(block)
                    yield pipe.drain()
            yield pipe.drain()
    yield pipe.drain()

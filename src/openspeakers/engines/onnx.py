"""ONNX Runtime sessions for the CPU engines (Piper, Kokoro-ONNX): threads and memory arena.

ONNX Runtime's defaults suit one session alone on a machine: an intra-op pool of one thread
per core that spins while it waits. Several workers each running such a session put
`workers x cores` busy threads on `cores` cores, and the spinning ones steal time from those
with work. The server chooses the threads per session with the worker count instead
(`Settings.onnx_threads`), and the session is shared by the workers (`engines/shared.py`):
run from several threads at once, each `Run` computes on its calling thread plus the pool.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class OnnxOptions:
    """How a CPU engine builds its session; hashable, so it is part of the shared-model key."""

    threads: int = 0
    """Intra-op threads of the session (the calling thread included); 0 = ONNX Runtime's
    default (one per physical core)."""
    mem_arena: bool = True
    """ONNX Runtime's CPU memory arena: keeps the largest buffers seen for reuse (faster
    allocation, more resident memory)."""

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> OnnxOptions:
        """From an engine's options (the manager adds `onnx_threads` and `onnx_mem_arena`)."""
        return cls(threads=int(options.get("onnx_threads") or 0),
                   mem_arena=bool(options.get("onnx_mem_arena", True)))

    def session(self, model: str | Path, providers: list[Any] | None = None) -> Any:
        """An InferenceSession for `model` with these options (CPU unless `providers`)."""
        import onnxruntime

        opts = onnxruntime.SessionOptions()
        if self.threads:
            opts.intra_op_num_threads = self.threads
            opts.inter_op_num_threads = 1
            # a pool sized to the cores it shares with other workers must not spin: a spinning
            # thread holds a core that another worker's Run needs
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.enable_cpu_mem_arena = self.mem_arena
        return onnxruntime.InferenceSession(str(model), sess_options=opts,
                                            providers=providers or ["CPUExecutionProvider"])

"""The raw Piper engine behind the least server possible: the baseline of bench/concurrency.py.

One PiperVoice (the same en_US joe medium voice) with the given ONNX threads, shared by up to
`--workers` requests at a time (ONNX Runtime sessions run from several threads), on the
standard library's threading HTTP server. `POST /speak` with the text as the body answers
16-bit PCM, one chunk per sentence as Piper yields it; `GET /` answers when ready.

    .venv/bin/python -m bench.raw_piper --port 8200 [--threads 1] [--workers 2]
"""

from __future__ import annotations

import argparse
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from openspeakers.engines.onnx import OnnxOptions
from openspeakers.engines.piper import _load_voice
from openspeakers.engines.shared import return_free_memory


def serve(port: int, threads: int, workers: int) -> None:
    voice = _load_voice("cpu", OnnxOptions(threads=threads, mem_arena=False))
    slots = threading.BoundedSemaphore(workers)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self) -> None:  # noqa: N802
            text = self.rfile.read(int(self.headers["Content-Length"])).decode()
            self.send_response(200)
            self.send_header("Content-Type", "audio/pcm")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            with slots:
                for chunk in voice.synthesize(text):
                    data = chunk.audio_int16_bytes
                    self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                    self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            return_free_memory()  # as the server's idle workers do

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=1, help="ONNX intra-op threads")
    parser.add_argument("--workers", type=int, default=2, help="requests synthesised at once")
    args = parser.parse_args()
    serve(args.port, args.threads, args.workers)


if __name__ == "__main__":
    main()

"""A read-only xAPI statements resource over a JSON-lines file, with constant-time paging.

Ralph's file-system backend reads its file from the start for every page, so reading N
statements from it takes time in N squared: at a few tens of thousands it measures Ralph,
not the report. This server answers `GET /xAPI/statements` from a file of statements (one
per line, as Ralph's backend stores them) the way an LRS with an index answers (Ralph on
ClickHouse or Elasticsearch, Learning Locker): each page found by its byte offset, a `more`
link to the next. The benchmark runs `scormbuild report` against it to measure the report
itself at millions of statements, and against Ralph to measure a real LRS beside it.

    python bench/paged_lrs.py statements.jsonl PORT
"""

from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

PAGE = 500


def page_offsets(path: Path, page: int = PAGE) -> list[int]:
    """The byte offset of every ``page``-th line (memory: one integer per page)."""
    offsets, position = [0], 0
    with path.open("rb") as stream:
        for number, line in enumerate(stream, 1):
            position += len(line)
            if number % page == 0:
                offsets.append(position)
    return offsets


def serve(path: Path, port: int) -> None:
    offsets = page_offsets(path)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - the http.server interface
            parts = urlsplit(self.path)
            if parts.path.rstrip("/") != "/xAPI/statements":
                self.send_error(404)
                return
            number = int(parse_qs(parts.query).get("page", ["0"])[0])
            statements = []
            if number < len(offsets):
                with path.open("rb") as stream:
                    stream.seek(offsets[number])
                    for _ in range(PAGE):
                        line = stream.readline()
                        if not line:
                            break
                        statements.append(line.rstrip(b"\n"))
            more = f"/xAPI/statements?page={number + 1}" if number + 1 < len(offsets) and statements else ""
            body = b'{"statements":[' + b",".join(statements) + b'],"more":' + json.dumps(more).encode() + b"}"
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    serve(Path(sys.argv[1]), int(sys.argv[2]))

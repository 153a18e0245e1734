"""Runs Ralph (PyPI `ralph-malph`), a real xAPI LRS, for the tests.

Ralph 5.1.0's file-system backend writes with operation CREATE, so every
write after the first fails ("fs_lrs.jsonl already exists"); the known way
round is to make APPEND the default and serve the app with uvicorn directly.
Usage: python ralph_server.py PORT (settings come from RALPH_* variables).
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")

"""Giving freed memory back to the operating system between the parts of a long job."""
from __future__ import annotations

import ctypes
import ctypes.util
import gc


def return_freed_memory() -> None:
    """Collect garbage and ask the C library to hand its free pages back (glibc's ``malloc_trim``).

    Without it the memory the evaluation figures used stays in the process after they are done,
    and the PDF's memory comes on top of it. Does nothing where the C library has no such call."""
    gc.collect()
    try:
        trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)

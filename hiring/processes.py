"""What every worker process the tool starts does (guide batches, report parts)."""

from __future__ import annotations


def skip_collections_at_exit() -> None:
    """Leave the objects alive at exit out of the interpreter's last garbage collections.

    A worker holds WeasyPrint, its fonts and every layout it made; the full collections at
    interpreter exit walk all of it (0.6-0.9 s of CPU per batch worker) while the parent,
    which joins its workers, waits. Frozen objects are skipped; the memory goes back to
    the system all the same, and the worker's files are closed by then. Call it once, in
    the worker's initializer.
    """
    import atexit
    import gc

    atexit.register(gc.freeze)

"""Many units in one run: ``render_many`` for libraries, ``run_batch`` behind ``narrate batch``.

The per-unit function :func:`render_unit` is pure and picklable: it takes a
:class:`UnitJob` (a figures file path or a :class:`~narrate.model.Figures`,
plus options) and returns a :class:`UnitResult` holding the rendered bytes and
the check summary; it writes nothing.  So a process pool, Dask, Ray or Spark
can map it unchanged.  :func:`render_many` maps it over processes (or an
existing Dask cluster) and yields results in input order, streaming: only a
small window of units is in flight, so memory stays flat as the count grows.
One unit's failure of any kind (a bad file, MemoryError, RecursionError, a bug)
is that unit's failed result, never the end of the batch.

:func:`run_batch` / :func:`iter_batch` are the shell around it for ``narrate
batch``: one run per output folder at a time (a file lock), inputs expanded,
units whose input and settings are unchanged skipped, outputs named and written
atomically, ``summary.csv`` / ``summary.json`` streamed to temporary files and
renamed into place at the end.  An output name belongs to one unit (the input's
resolved path) for good: the manifest ``.narrate-batch.json`` records it, and no
later run gives it to another unit, writes over a file narrate did not write
there, over an input, or through a symlink.

==================  ==============================================================
:mod:`.unit`        one unit: UnitJob → UnitResult (render_unit), the failed result
:mod:`.pool`        render_many over a local process pool (chunks, recycled workers)
:mod:`.cluster`     the same on an existing Dask cluster (inputs shipped as bytes)
:mod:`.inputs`      the files to render, each unit's identity and input hash
:mod:`.folder`      the output folder: lock, manifest, output names, summary files
:mod:`.run`         iter_batch / run_batch: all of it for ``narrate batch``
==================  ==============================================================
"""

from __future__ import annotations

from .cluster import Shipped, render_shipped, ship
from .folder import (LOCK, MANIFEST, MAX_NAME_BYTES, MAX_STEM_BYTES, SUMMARY_FIELDS, BatchError, BatchRow,
                     output_stem)
from .inputs import INPUT_SUFFIXES, expand_inputs, find_inputs, identity_of, input_hash
from .pool import RECYCLE_UNITS, YOUNG_OBJECTS, WorkerLost, render_many
from .run import iter_batch, run_batch
from .unit import Status, UnitJob, UnitResult, failed_result, render_unit, render_unit_safely

__all__ = ["BatchError", "BatchRow", "INPUT_SUFFIXES", "LOCK", "MANIFEST", "MAX_NAME_BYTES", "MAX_STEM_BYTES",
           "RECYCLE_UNITS", "SUMMARY_FIELDS", "Shipped", "Status", "UnitJob", "UnitResult", "WorkerLost",
           "YOUNG_OBJECTS", "expand_inputs", "failed_result", "find_inputs", "identity_of", "input_hash",
           "iter_batch", "output_stem", "render_many", "render_shipped", "render_unit", "render_unit_safely",
           "run_batch", "ship"]

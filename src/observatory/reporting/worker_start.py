"""The first module the checking worker's fork server imports: it chooses Arrow's allocator before Arrow loads.

Arrow's default allocator, mimalloc, reserves a gigabyte of address space per thread heap, which the worker's
``RLIMIT_AS`` budget counts as used ("malloc of size 5056 failed" on a two-row file). pyarrow 26 reads
``ARROW_DEFAULT_MEMORY_POOL`` when it is loaded, so the choice must be made before any module imports it; the
system allocator maps only what it uses. Only the fork server (a fresh interpreter of its own) imports this module.
"""

import os

os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"

__all__: list[str] = []

# License: BSD-3-Clause
"""Keeping freed memory in the process, for steady low-latency inference."""

import ctypes
import ctypes.util
import sys

# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
#: Some glibc versions refuse an mmap threshold above 32 MiB on 64-bit
#: systems (``DEFAULT_MMAP_THRESHOLD_MAX``); that limit is the fallback.
_MAX_MMAP_THRESHOLD = 32 * 2**20


def reuse_freed_memory(max_bytes=512 * 2**20):
    """Keep freed memory in the process so that inference stops page-faulting.

    A forward pass of the deep denoisers allocates and frees tens of MB of
    intermediate tensors (one 64-channel epoch through
    :class:`~mne_denoise.FreqDomainDenoiser`: about 40 MB). By default
    glibc's ``malloc`` hands blocks that large straight back to the
    operating system, so every call maps fresh pages and takes thousands of
    page faults (about 10,000 per call on the benchmark's 2-core virtual
    machine, a third of the call's time). This function tells ``malloc``
    to serve such blocks from its heap and to keep up to ``max_bytes`` of
    freed memory for the next call, which then reuses the same pages. The
    results are unchanged; the process keeps what it once used (its peak
    resident memory does not grow).

    It changes the whole process, for good (``malloc`` has no "undo"), so
    the package never calls it on its own except in
    :func:`mne_denoise.online.clean_lsl_stream` (a real-time loop; see its
    ``reuse_memory``). Call it once at the top of a latency-sensitive script;
    setting the environment variables ``MALLOC_MMAP_THRESHOLD_`` and
    ``MALLOC_TRIM_THRESHOLD_`` before Python starts, or preloading jemalloc
    or tcmalloc, does the same from outside.

    Parameters
    ----------
    max_bytes : int
        Freed memory ``malloc`` may keep before returning the top of its heap
        to the system; blocks up to this size come from the heap (up to 32
        MiB on the glibc versions that refuse a larger mmap threshold).

    Returns
    -------
    applied : bool
        True where the C library is glibc (Linux) and took both settings;
        False elsewhere (macOS, Windows, musl), where nothing is changed.

    Examples
    --------
    >>> from mne_denoise.utils import reuse_freed_memory
    >>> reuse_freed_memory()  # doctest: +SKIP
    True
    """
    max_bytes = int(max_bytes)
    if max_bytes < 1:
        raise ValueError(f"max_bytes must be a positive number of bytes, got "
                         f"{max_bytes}.")
    mallopt = _glibc_mallopt()
    if mallopt is None:
        return False
    value = min(max_bytes, 2**31 - 1)
    mmap_ok = (mallopt(_M_MMAP_THRESHOLD, value)
               or mallopt(_M_MMAP_THRESHOLD, min(value, _MAX_MMAP_THRESHOLD)))
    trim_ok = mallopt(_M_TRIM_THRESHOLD, value)
    return bool(mmap_ok) and bool(trim_ok)


def _glibc_mallopt():
    """Return glibc's ``mallopt`` through ctypes, or None on another C library."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.gnu_get_libc_version  # noqa: B018 (present in glibc only)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return None
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return mallopt

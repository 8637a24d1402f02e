# License: BSD-3-Clause
"""Clean a researcher's recordings: files, folders or a BIDS root.

The library side of ``mne-denoise clean``: find the recordings, clean each as
``denoiser.fit(raw).apply(raw)`` does, write FIF (or a BIDS derivative) and
one :class:`mne.Report` per recording, in parallel with joblib or on a Dask
cluster.
"""

from ._discover import Recording, find_recordings, is_bids_root
from ._run import METHODS, MODES, clean_one, clean_raw, clean_recordings, make_denoiser

__all__ = [
    "METHODS",
    "MODES",
    "Recording",
    "clean_one",
    "clean_raw",
    "clean_recordings",
    "find_recordings",
    "is_bids_root",
    "make_denoiser",
]

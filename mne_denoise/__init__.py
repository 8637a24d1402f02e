# License: BSD-3-Clause
"""Deep-learning removal of ocular and muscle artifacts from EEG.

Denoisers are scikit-learn transformers that work on :class:`mne.Epochs`
(and arrays with an :class:`mne.Info`), train inside ``fit`` through skorch,
and ship pretrained weights.
"""

from . import denoisers as _denoisers
from ._version import __version__ as __version__
from .denoisers import *  # noqa: F403 (the estimators and read_denoiser)

#: The public estimators (the base classes stay in mne_denoise.denoisers),
#: ``read_denoiser`` and ``__version__``.
__all__ = sorted(
    [name for name in _denoisers.__all__ if not name.startswith("Base")]
    + ["__version__"], key=str.lower)

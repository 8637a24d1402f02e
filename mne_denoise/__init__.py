# License: BSD-3-Clause
"""Deep-learning removal of ocular and muscle artifacts from EEG.

Denoisers are scikit-learn transformers that work on :class:`mne.Epochs`
(and arrays with an :class:`mne.Info`), train inside ``fit`` through skorch,
and ship pretrained weights.
"""

from ._version import __version__
from .denoisers import FreqDomainDenoiser, read_denoiser

__all__ = ["FreqDomainDenoiser", "__version__", "read_denoiser"]

# License: BSD-3-Clause
"""Deep-learning removal of ocular and muscle artifacts from EEG.

Denoisers are scikit-learn transformers that work on :class:`mne.Epochs`
(and arrays with an :class:`mne.Info`), train inside ``fit`` through skorch,
and ship pretrained weights.
"""

from ._version import __version__
from .denoisers import (
    BandpassDenoiser,
    BGAttentionDenoiser,
    BiLSTMAEDenoiser,
    ComplexCNNDenoiser,
    DeepDenoiser,
    DVAEDenoiser,
    FCNNDenoiser,
    FreqDomainDenoiser,
    ICADenoiser,
    LowRankDenoiser,
    LowRankUnfoldedDenoiser,
    LSTMDenoiser,
    RegressionDenoiser,
    SimpleCNNDenoiser,
    UNetDenoiser,
    read_denoiser,
)

__all__ = [
    "BGAttentionDenoiser",
    "BandpassDenoiser",
    "BiLSTMAEDenoiser",
    "ComplexCNNDenoiser",
    "DVAEDenoiser",
    "DeepDenoiser",
    "FCNNDenoiser",
    "FreqDomainDenoiser",
    "ICADenoiser",
    "LSTMDenoiser",
    "LowRankDenoiser",
    "LowRankUnfoldedDenoiser",
    "RegressionDenoiser",
    "SimpleCNNDenoiser",
    "UNetDenoiser",
    "__version__",
    "read_denoiser",
]

# License: BSD-3-Clause
"""scikit-learn estimators that denoise MNE objects and arrays."""

from ._base import BaseDenoiser
from ._classical import BandpassDenoiser, ICADenoiser, RegressionDenoiser
from ._deep import (
    BGAttentionDenoiser,
    BiLSTMAEDenoiser,
    ComplexCNNDenoiser,
    DeepDenoiser,
    DVAEDenoiser,
    FCNNDenoiser,
    LSTMDenoiser,
    SimpleCNNDenoiser,
    UNetDenoiser,
)
from ._deep_base import BaseDeepDenoiser
from ._freq_domain import FreqDomainDenoiser
from ._iclabel import ICLabelDenoiser
from ._io import read_denoiser
from ._low_rank import LowRankDenoiser
from ._low_rank_unfolded import LowRankUnfoldedDenoiser
from ._spatial import SpatialDenoiser

__all__ = [
    "BGAttentionDenoiser",
    "BandpassDenoiser",
    "BaseDeepDenoiser",
    "BaseDenoiser",
    "BiLSTMAEDenoiser",
    "ComplexCNNDenoiser",
    "DVAEDenoiser",
    "DeepDenoiser",
    "FCNNDenoiser",
    "FreqDomainDenoiser",
    "ICADenoiser",
    "ICLabelDenoiser",
    "LSTMDenoiser",
    "LowRankDenoiser",
    "LowRankUnfoldedDenoiser",
    "RegressionDenoiser",
    "SimpleCNNDenoiser",
    "SpatialDenoiser",
    "UNetDenoiser",
    "read_denoiser",
]

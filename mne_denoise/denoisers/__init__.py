# License: BSD-3-Clause
"""scikit-learn estimators that denoise MNE objects and arrays."""

from ._base import BaseDenoiser, read_denoiser
from ._deep_base import BaseDeepDenoiser
from ._freq_domain import FreqDomainDenoiser

__all__ = ["BaseDeepDenoiser", "BaseDenoiser", "FreqDomainDenoiser", "read_denoiser"]

# License: BSD-3-Clause
"""Torch networks, losses and the skorch glue (no MNE or scikit-learn here)."""

from .callbacks import KeepBest, TimeBudget
from .freq_domain import FreqDomainNet, KernelEvaluator, NoisePSDEstimator
from .losses import DenoisingLoss
from .low_rank_unfolded import LowRankUnfoldedNet, UnfoldedLoss

__all__ = [
    "DenoisingLoss",
    "FreqDomainNet",
    "KeepBest",
    "KernelEvaluator",
    "LowRankUnfoldedNet",
    "NoisePSDEstimator",
    "TimeBudget",
    "UnfoldedLoss",
]

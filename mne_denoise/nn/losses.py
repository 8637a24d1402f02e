# License: BSD-3-Clause
"""Training losses (torch only)."""

import math

import torch
from torch import nn

from .._protocol import MODEL_SFREQ
from ._spectral import welch_psd

_EPS = 1e-8


def _rms(x):
    return torch.sqrt(torch.mean(x**2, dim=-1) + _EPS)


def rrmse_temporal(denoised, clean):
    """Per-segment ``RMS(denoised - clean) / RMS(clean)``, shape (...)."""
    return _rms(denoised - clean) / _rms(clean)


def rrmse_spectral(denoised, clean, sfreq=MODEL_SFREQ):
    """Per-segment RRMSE of the protocol's Welch PSDs, shape (...)."""
    p_d = welch_psd(denoised, sfreq)
    p_c = welch_psd(clean, sfreq)
    return _rms(p_d - p_c) / _rms(p_c)


def log_cosh(denoised, clean):
    """Per-segment mean of ``log(cosh(denoised - clean))``, overflow-safe."""
    d = (denoised - clean).abs()
    return torch.mean(d + nn.functional.softplus(-2.0 * d) - math.log(2.0), dim=-1)


class DenoisingLoss(nn.Module):
    """Gabardi et al.'s loss, plus the noise-PSD estimator's own term.

    ``0.25 * RRMSE_t + 0.25 * RRMSE_s + 0.5 * log-cosh`` on the denoised
    output, plus ``psd_weight * MSE`` between the estimated and the reference
    noise log-PSD when the network returns both (training with a known
    artifact). Inputs are standardized segments ``(batch, 1, n_times)``.

    Parameters
    ----------
    sfreq : float
        Sampling rate of the segments (for the Welch PSD of RRMSE_s).
    psd_weight : float
        Weight of the noise-PSD estimator's term.
    """

    def __init__(self, sfreq=MODEL_SFREQ, psd_weight=0.1):
        super().__init__()
        self.sfreq = float(sfreq)
        self.psd_weight = float(psd_weight)

    def forward(self, y_pred, y_true):
        """Return the scalar loss; ``y_pred`` may be the network's tuple."""
        log_est = log_ref = None
        if isinstance(y_pred, tuple | list):
            y_pred, log_est, log_ref = (tuple(y_pred) + (None, None))[:3]
        if y_true.ndim == 2:
            y_true = y_true.unsqueeze(1)
        if y_pred.ndim == 2:
            y_pred = y_pred.unsqueeze(1)
        loss = (
            0.25 * rrmse_temporal(y_pred, y_true)
            + 0.25 * rrmse_spectral(y_pred, y_true, self.sfreq)
            + 0.5 * log_cosh(y_pred, y_true)
        ).mean()
        if log_est is not None and log_ref is not None and self.psd_weight > 0:
            loss = loss + self.psd_weight * torch.mean((log_est - log_ref) ** 2)
        return loss

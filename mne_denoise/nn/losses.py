# License: BSD-3-Clause
"""Training losses of the package's networks (torch only)."""

import math

import torch
from torch import nn

from .._protocol import MODEL_SFREQ
from ._spectral import welch_psd

# Floor under the square root of the loss's RMS (float32, differentiated by
# autograd): it bounds the gradient of sqrt, 1 / (2 * sqrt(floor)) = 5e3, when
# a difference is all zero. A separate constant from _protocol.EPS (1e-12, the
# float64 floor added to a standard deviation, a different job); its value is
# part of how the shipped weights were trained, so it stays.
_RMS_FLOOR = 1e-8


def _rms(x):
    return torch.sqrt(torch.mean(x**2, dim=-1) + _RMS_FLOOR)


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


class ReconstructionLoss(DenoisingLoss):
    """The package's denoising loss on a network's first output.

    ``0.25 * RRMSE_t + 0.25 * RRMSE_s + 0.5 * log-cosh`` (see
    :class:`DenoisingLoss`) between the prediction and the clean segment.
    When the network returns a tuple, only its first element (the
    prediction) is scored, so user networks may return extra outputs.

    Parameters
    ----------
    sfreq : float
        Sampling rate of the segments (for RRMSE_s).
    """

    def __init__(self, sfreq=MODEL_SFREQ):
        super().__init__(sfreq=sfreq, psd_weight=0.0)

    def forward(self, y_pred, y_true):
        """Return the scalar loss."""
        if isinstance(y_pred, tuple | list):
            y_pred = y_pred[0]
        return super().forward(y_pred, y_true)


class DVAELoss(ReconstructionLoss):
    """Reconstruction loss plus ``beta`` times the KL divergence to N(0, 1).

    For networks returning ``(recon, mu, logvar)``
    (:class:`mne_denoise.nn.zoo.DVAE`). The KL term is averaged over latent
    elements, so ``beta`` does not depend on the latent size.

    Parameters
    ----------
    sfreq : float
        Sampling rate of the segments.
    beta : float
        Weight of the KL term.
    """

    def __init__(self, sfreq=MODEL_SFREQ, beta=1e-2):
        super().__init__(sfreq=sfreq)
        self.beta = float(beta)

    def forward(self, y_pred, y_true):
        """Return the scalar loss."""
        recon, mu, logvar = y_pred
        loss = super().forward(recon, y_true)
        kl = -0.5 * torch.mean(1.0 + logvar - mu**2 - logvar.exp())
        return loss + self.beta * kl

# License: BSD-3-Clause
"""Losses of the zoo networks (torch only)."""

import torch

from ..._protocol import MODEL_SFREQ
from ..losses import DenoisingLoss


class ReconstructionLoss(DenoisingLoss):
    """The package's denoising loss on a network's first output.

    ``0.25 * RRMSE_t + 0.25 * RRMSE_s + 0.5 * log-cosh`` (see
    :class:`mne_denoise.nn.DenoisingLoss`) between the prediction and the
    clean segment. When the network returns a tuple, only its first element
    (the prediction) is scored, so user networks may return extra outputs.

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

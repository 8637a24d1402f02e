# License: BSD-3-Clause
"""A convolutional denoising variational autoencoder."""

from __future__ import annotations

import torch
from torch import nn

from ...utils._checks import _check_int
from ._common import as_3d


class DVAE(nn.Module):
    """Denoising variational autoencoder with a convolutional latent sequence.

    The encoder (strided conv-BN-LeakyReLU layers, one per entry of
    ``channels``, each halving the length) maps the noisy segment to the
    mean and log-variance of a Gaussian latent sequence of
    ``latent_channels`` channels; a sample of it (the mean at evaluation) is
    decoded by transposed convolutions back to a segment, trained to match
    the *clean* segment (:class:`mne_denoise.nn.zoo.DVAELoss` adds the KL
    divergence to the standard normal prior).

    Parameters
    ----------
    n_times : int
        Samples per segment (any length works: the input is zero-padded to a
        multiple of ``2 ** len(channels)`` and cropped back).
    channels : tuple of int
        Widths of the encoder layers (the decoder mirrors them).
    latent_channels : int
        Channels of the latent sequence (of length ``n_times / 2 **
        len(channels)``).
    kernel_size : int
        Width of the encoder convolutions.

    Notes
    -----
    Input ``(batch, 1, n_times)``; ``forward`` returns ``(recon, mu,
    logvar)``: the denoised segment ``(batch, 1, n_times)`` and the latent
    mean and log-variance ``(batch, latent_channels, n_times / 2 **
    len(channels))``. In evaluation mode ``recon`` decodes ``mu``, so
    denoising is deterministic.

    References
    ----------
    .. [1] Kingma D. P., Welling M. (2014). Auto-encoding variational Bayes.
       ICLR.
    .. [2] Im D. J., Ahn S., Memisevic R., Bengio Y. (2017). Denoising
       criterion for variational auto-encoding framework. AAAI.
    """

    def __init__(self, n_times=512, *, channels=(16, 32, 64), latent_channels=8,
                 kernel_size=7):
        super().__init__()
        self.n_times = _check_int(n_times, "n_times", minimum=1)
        channels = tuple(int(c) for c in channels)
        if not channels:
            raise ValueError("channels must hold at least one width.")
        _check_int(latent_channels, "latent_channels", minimum=1)
        self.n_down = len(channels)
        enc, c_in = [], 1
        for c in channels:
            enc += [nn.Conv1d(c_in, c, kernel_size, stride=2, padding=kernel_size // 2),
                    nn.BatchNorm1d(c), nn.LeakyReLU(0.2)]
            c_in = c
        self.encoder = nn.Sequential(*enc)
        self.mu = nn.Conv1d(c_in, latent_channels, 1)
        self.logvar = nn.Conv1d(c_in, latent_channels, 1)
        dec = [nn.Conv1d(latent_channels, c_in, 1), nn.LeakyReLU(0.2)]
        for c in list(channels[-2::-1]) + [channels[0]]:
            dec += [nn.ConvTranspose1d(c_in, c, 4, stride=2, padding=1),
                    nn.BatchNorm1d(c), nn.LeakyReLU(0.2)]
            c_in = c
        dec.append(nn.Conv1d(c_in, 1, kernel_size, padding="same"))
        self.decoder = nn.Sequential(*dec)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor,
                                                 torch.Tensor]:
        """Return ``(recon, mu, logvar)`` for ``(batch, 1, n_times)`` input."""
        x = as_3d(x)
        n = x.shape[-1]
        h = self.encoder(nn.functional.pad(x, (0, (-n) % 2**self.n_down)))
        mu, logvar = self.mu(h), self.logvar(h).clamp(-10.0, 10.0)
        z = mu
        if self.training:
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.decoder(z)[..., :n], mu, logvar

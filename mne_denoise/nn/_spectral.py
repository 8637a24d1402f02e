# License: BSD-3-Clause
"""Spectral helpers in torch that mirror :mod:`mne_denoise._protocol`."""

import torch

from .._protocol import welch_params


def welch_psd(x: torch.Tensor, sfreq: float) -> torch.Tensor:
    """Welch PSD identical to :func:`mne_denoise._protocol.welch_psd`.

    Parameters
    ----------
    x : Tensor, shape (..., n_times)
        Signals, on any device and of any floating dtype (the PSD keeps
        both, and is differentiable, so that a loss can use it).
    sfreq : float
        Sampling frequency in Hz.

    Returns
    -------
    psd : Tensor, shape (..., n_freqs)
        One-sided density (Hann window, one-second segments, 50 % overlap).
    """
    nperseg, noverlap = welch_params(sfreq, x.shape[-1])
    step = nperseg - noverlap
    win = torch.hann_window(nperseg, periodic=True, dtype=x.dtype, device=x.device)
    segs = x.unfold(-1, nperseg, step)
    spec = torch.fft.rfft(segs * win, dim=-1)
    psd = spec.real**2 + spec.imag**2
    psd = psd / (sfreq * (win**2).sum())
    # One-sided: double every bin but DC (and Nyquist for even lengths).
    scale = torch.full((psd.shape[-1],), 2.0, dtype=x.dtype, device=x.device)
    scale[0] = 1.0
    if nperseg % 2 == 0:
        scale[-1] = 1.0
    return (psd * scale).mean(dim=-2)


def log_periodogram(x: torch.Tensor, smooth: int = 3) -> torch.Tensor:
    """Log of a lightly smoothed Hann periodogram on the full window.

    This is the spectral *feature* the networks read (one bin per rfft bin
    of the window, so filters and features share a frequency grid); it is not
    the metric's PSD estimator.

    Parameters
    ----------
    x : Tensor, shape (batch, 1, n_times)
        Standardized signals.
    smooth : int
        Width of the moving average over frequency bins (odd).

    Returns
    -------
    log_psd : Tensor, shape (batch, 1, n_times // 2 + 1)
    """
    n_times = x.shape[-1]
    win = torch.hann_window(n_times, periodic=True, dtype=x.dtype, device=x.device)
    spec = torch.fft.rfft(x * win, dim=-1)
    psd = (spec.real**2 + spec.imag**2) / (win**2).sum()
    if smooth > 1:
        kernel = torch.ones(1, 1, smooth, dtype=x.dtype, device=x.device) / smooth
        psd = torch.nn.functional.conv1d(
            torch.nn.functional.pad(psd, (smooth // 2, smooth // 2), mode="replicate"),
            kernel,
        )
    return torch.log(psd + 1e-6)

# License: BSD-3-Clause
"""Denoising metrics (NumPy only).

Every metric is computed per segment (the last axis is time) and returned per
segment; call ``.mean()`` to average, as EEGdenoiseNet does. The PSD behind
:func:`rrmse_spectral` is the protocol's Welch estimator
(:func:`mne_denoise._protocol.welch_psd`: Hann, one-second segments, 50 %
overlap, one-sided density).
"""

import numpy as np

from ._protocol import METRIC_EPS, rms, snr_db, welch_psd

__all__ = [
    "correlation",
    "rrmse_spectral",
    "rrmse_temporal",
    "snr_improvement",
]


def _pair(denoised, clean):
    denoised = np.asarray(denoised, dtype=float)
    clean = np.asarray(clean, dtype=float)
    if denoised.shape != clean.shape:
        raise ValueError(
            "denoised and clean must have the same shape, got "
            f"{denoised.shape} and {clean.shape}."
        )
    if denoised.ndim == 0 or denoised.shape[-1] < 2:
        raise ValueError(
            "Signals need a time axis (the last one) of at least 2 samples, "
            f"got shape {denoised.shape}."
        )
    return denoised, clean


def rrmse_temporal(denoised, clean):
    """Relative root mean squared error in the time domain.

    ``RRMSE_t = RMS(denoised - clean) / RMS(clean)``.

    Parameters
    ----------
    denoised, clean : array, shape (..., n_times)
        Denoised estimate and ground truth.

    Returns
    -------
    rrmse : array, shape (...)
        One value per segment.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.sin(np.linspace(0, 10, 100))
    >>> float(rrmse_temporal(x, x))
    0.0
    """
    denoised, clean = _pair(denoised, clean)
    return rms(denoised - clean) / (rms(clean) + METRIC_EPS)


def rrmse_spectral(denoised, clean, sfreq):
    """Relative root mean squared error of the power spectral densities.

    ``RRMSE_s = RMS(PSD(denoised) - PSD(clean)) / RMS(PSD(clean))`` where PSD is
    the protocol's Welch estimator (Hann window, one-second segments, 50 %
    overlap, one-sided density; see :mod:`mne_denoise._protocol`).

    Parameters
    ----------
    denoised, clean : array, shape (..., n_times)
        Denoised estimate and ground truth.
    sfreq : float
        Sampling frequency in Hz (sets the Welch segment length).

    Returns
    -------
    rrmse : array, shape (...)
        One value per segment.
    """
    denoised, clean = _pair(denoised, clean)
    p_den, _ = welch_psd(denoised, sfreq)
    p_cln, _ = welch_psd(clean, sfreq)
    return rms(p_den - p_cln) / (rms(p_cln) + METRIC_EPS)


def correlation(denoised, clean):
    """Pearson correlation coefficient between denoised and clean signals.

    Parameters
    ----------
    denoised, clean : array, shape (..., n_times)
        Denoised estimate and ground truth.

    Returns
    -------
    cc : array, shape (...)
        One value per segment, in [-1, 1]; 0 where either signal is flat.
    """
    denoised, clean = _pair(denoised, clean)
    d = denoised - denoised.mean(axis=-1, keepdims=True)
    c = clean - clean.mean(axis=-1, keepdims=True)
    num = (d * c).sum(axis=-1)
    den = np.sqrt((d**2).sum(axis=-1) * (c**2).sum(axis=-1))
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)


def snr_improvement(denoised, noisy, clean):
    """SNR improvement in dB, in the protocol's convention.

    ``SNR(clean, denoised - clean) - SNR(clean, noisy - clean)`` with
    ``SNR = 10*log10(RMS ratio)`` (EEGdenoiseNet's convention, see
    :func:`mne_denoise._protocol.snr_db`).

    Parameters
    ----------
    denoised, noisy, clean : array, shape (..., n_times)
        Denoised estimate, the noisy input and the ground truth.

    Returns
    -------
    delta : array, shape (...)
        Improvement in dB per segment (positive is better).
    """
    denoised, clean = _pair(denoised, clean)
    noisy, _ = _pair(noisy, clean)
    return snr_db(clean, denoised - clean) - snr_db(clean, noisy - clean)

# License: BSD-3-Clause
"""Denoising metrics (NumPy only).

Every metric is computed per segment (the last axis is time) and returned per
segment; call ``.mean()`` to average, as EEGdenoiseNet does. The PSD behind
:func:`rrmse_spectral` is the protocol's Welch estimator
(:func:`mne_denoise._protocol.welch_psd`: Hann, one-second segments, 50 %
overlap, one-sided density).
"""

import numpy as np

from ._protocol import METRIC_EPS, rms, snr_db, welch_params, welch_psd
from .utils._docs import fill_doc

__all__ = [
    "band_power_ratio",
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


@fill_doc
def rrmse_temporal(denoised, clean):
    """Relative root mean squared error in the time domain.

    ``RRMSE_t = RMS(denoised - clean) / RMS(clean)``.

    Parameters
    ----------
    %(denoised_clean)s

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


@fill_doc
def rrmse_spectral(denoised, clean, sfreq):
    """Relative root mean squared error of the power spectral densities.

    ``RRMSE_s = RMS(PSD(denoised) - PSD(clean)) / RMS(PSD(clean))`` where PSD is
    the protocol's Welch estimator (Hann window, one-second segments, 50 %%
    overlap, one-sided density; see :mod:`mne_denoise._protocol`).

    Parameters
    ----------
    %(denoised_clean)s
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


@fill_doc
def correlation(denoised, clean):
    """Pearson correlation coefficient between denoised and clean signals.

    Parameters
    ----------
    %(denoised_clean)s

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


def band_power_ratio(denoised, reference, sfreq, band):
    """Share of a frequency band's power kept: power(denoised) / power(reference).

    The power in ``band`` is the sum of the protocol's Welch PSD (Hann window,
    one-second segments, 50 % overlap; :func:`mne_denoise._protocol.welch_psd`)
    over the bins at frequencies ``low <= f < high``, the rule of
    :data:`mne_denoise._protocol.EEG_BANDS`. On clean input (``reference``
    the input itself), 1 means the band passes untouched, below 1 that the
    denoiser removed brain activity, above 1 that it added power.

    Parameters
    ----------
    denoised, reference : array, shape (..., n_times)
        Denoised estimate and the signal whose band power is the reference
        (the clean input, or the clean ground truth).
    sfreq : float
        Sampling frequency in Hz.
    band : tuple of float
        ``(low, high)`` in Hz, e.g. ``mne_denoise._protocol.MU_BETA_BAND``.

    Returns
    -------
    ratio : array, shape (...)
        One value per segment, >= 0; 0 where both are flat in the band.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(512) / 256.0
    >>> x = np.sin(2 * np.pi * 10 * t)
    >>> float(band_power_ratio(0.5 * x, x, 256.0, (8.0, 13.0)))
    0.25
    """
    denoised, reference = _pair(denoised, reference)
    if not (isinstance(sfreq, int | float | np.number) and sfreq > 0):
        raise ValueError(f"sfreq must be a positive number in Hz, got {sfreq!r}.")
    try:
        low, high = (float(f) for f in band)
    except (TypeError, ValueError):
        raise ValueError(
            f"band must be a pair (low, high) of frequencies in Hz, got {band!r}."
        ) from None
    if not 0 <= low < high:
        raise ValueError(
            f"band must satisfy 0 <= low < high (Hz), got ({low:g}, {high:g})."
        )
    p_den, freqs = welch_psd(denoised, sfreq)
    p_ref, _ = welch_psd(reference, sfreq)
    sel = (freqs >= low) & (freqs < high)
    if not sel.any():
        nperseg, _ = welch_params(sfreq, denoised.shape[-1])
        raise ValueError(
            f"band ({low:g}, {high:g}) Hz holds no Welch frequency bin (bins "
            f"every {sfreq / nperseg:g} Hz up to {freqs[-1]:g} Hz at sfreq="
            f"{sfreq:g}); widen the band or keep it below Nyquist."
        )
    num = p_den[..., sel].sum(axis=-1)
    den = p_ref[..., sel].sum(axis=-1)
    return num / (den + METRIC_EPS)

# License: BSD-3-Clause
"""Resampling to the model rate, windowing, standardization and overlap-add.

The one home of the windowing maths: inference (:mod:`mne_denoise.denoisers`
cleans windows and puts them back), the training banks
(:mod:`mne_denoise.datasets` cut windows) and the figures
(:mod:`mne_denoise.viz`) all use these functions. NumPy and SciPy only.
"""

from fractions import Fraction

import numpy as np
from scipy.signal import resample_poly

from .._protocol import EPS, standardize

#: Largest relative error of the achieved rate that :func:`resample_ratio`
#: accepts.
_RATE_TOLERANCE = 1e-3


def resample_ratio(sfreq_in, sfreq_out):
    """Rational ``(up, down)`` with ``sfreq_in * up / down ~= sfreq_out``.

    The denominator is at most 1000 (so that polyphase filters stay short).
    A ratio that cannot be met within 0.1 % raises, naming the rates: a
    model run at a rate that far from its own would see shifted spectra.
    """
    ratio = float(sfreq_out) / float(sfreq_in)
    frac = Fraction(ratio).limit_denominator(1000)
    up, down = frac.numerator, frac.denominator
    achieved = float(sfreq_in) * up / down
    if abs(achieved - sfreq_out) > _RATE_TOLERANCE * sfreq_out:
        raise ValueError(
            f"Cannot resample {sfreq_in:g} Hz to {sfreq_out:g} Hz with a "
            f"rational factor of denominator <= 1000 (best: {up}/{down}, "
            f"giving {achieved:.6g} Hz). Resample the input first, e.g. with "
            "inst.resample()."
        )
    return up, down


def resample(data, up, down):
    """Polyphase resampling along the last axis (identity when up == down)."""
    if up == down:
        return np.array(data, dtype=np.float64, copy=True)
    # padtype="line" extends each signal along its linear trend instead of
    # with zeros, so edges do not droop (which the network would then "clean").
    return resample_poly(data, up, down, axis=-1, padtype="line")


def window_starts(n_times, n_window, overlap):
    """Start indices of windows covering ``n_times`` samples, last one flush."""
    if n_times <= n_window:
        return np.array([0])
    hop = max(1, int(round(n_window * (1.0 - overlap))))
    starts = list(range(0, n_times - n_window + 1, hop))
    if starts[-1] != n_times - n_window:
        starts.append(n_times - n_window)
    return np.array(starts)


def pad_to(x, n_window):
    """Reflect-pad the last axis up to ``n_window`` samples (no-op if longer)."""
    n = x.shape[-1]
    if n >= n_window:
        return x
    widths = [(0, 0)] * (x.ndim - 1) + [(0, n_window - n)]
    return np.pad(x, widths, mode="reflect" if n > 1 else "edge")


def to_windows(x, starts, n_window):
    """Cut ``(n_signals, n_times)`` into ``(n_signals, n_starts, n_window)``."""
    idx = starts[:, np.newaxis] + np.arange(n_window)
    return x[:, idx]


def overlap_add(windows, starts, n_times):
    """Inverse of :func:`to_windows` with tapered, normalized cross-fades.

    Each window is weighted by a Hann taper (plus a floor so that the outer
    edges of the signal, covered by a single window, keep their samples), and
    the sum is divided by the summed weights: an identity on unchanged input.
    """
    n_sig, _, n_window = windows.shape
    taper = np.hanning(n_window + 2)[1:-1] + 1e-3
    out = np.zeros((n_sig, n_times))
    weight = np.zeros(n_times)
    for k, s in enumerate(starts):
        out[:, s:s + n_window] += windows[:, k] * taper
        weight[s:s + n_window] += taper
    return out / weight


class Windowing:
    """Signals at the model rate, cut into windows, and the way back.

    Holds what the inverse needs: the resampling ratio, the window starts and
    the lengths. Shared by :func:`denoise_signals` (one channel per window)
    and :func:`denoise_epochs_jointly` (all channels of an epoch per window).
    """

    def __init__(self, signals, sfreq, model_sfreq, n_window, overlap):
        self.n_times = signals.shape[-1]
        self.n_window = n_window
        self.up, self.down = resample_ratio(sfreq, model_sfreq)
        x = resample(signals, self.up, self.down)
        self.n_model = x.shape[-1]
        x = pad_to(x, n_window)
        self.n_padded = x.shape[-1]
        self.starts = window_starts(self.n_padded, n_window, overlap)
        #: (n_signals, n_windows, n_window)
        self.windows = to_windows(x, self.starts, n_window)

    def cut(self, other):
        """Windows of another signal set (e.g. references) at the same places."""
        x = pad_to(resample(other, self.up, self.down), self.n_window)
        return to_windows(x, self.starts, self.n_window)

    def standardized(self, references=None):
        """The windows standardized as the protocol does, for the network.

        Parameters
        ----------
        references : array, shape (n_signals, n_times) | None
            A noise reference per signal, cut at the same places and scaled
            by the same standard deviations, or None.

        Returns
        -------
        windows : array, shape (n_signals * n_windows, n_window)
            The raw windows, flattened signal by signal.
        z : array, shape (n_signals * n_windows, n_window)
            Standardized windows.
        mean, std : array, shape (n_signals * n_windows, 1)
            What was removed (:func:`mne_denoise._protocol.standardize`).
        noise_z : array, shape (n_signals * n_windows, n_window) | None
            The references' windows divided by ``std``.
        """
        windows = self.windows.reshape(-1, self.n_window)
        z, mean, std = standardize(windows)
        noise_z = None
        if references is not None:
            noise_z = self.cut(references).reshape(-1, self.n_window) / std
        return windows, z, mean, std, noise_z

    def correction_back(self, correction):
        """Overlap-add ``(n_signals, n_windows, n_window)`` back to the input rate."""
        out = overlap_add(correction, self.starts, self.n_padded)[:, : self.n_model]
        out = resample(out, self.down, self.up)
        if out.shape[-1] < self.n_times:
            out = np.pad(out, [(0, 0), (0, self.n_times - out.shape[-1])])
        return out[:, : self.n_times]


def denoise_signals(signals, sfreq, *, model_sfreq, n_window, overlap, run,
                    references=None):
    """Resample, window, standardize, denoise and put back at the input rate.

    Parameters
    ----------
    signals : array, shape (n_signals, n_times)
        Signals to clean (one channel of one epoch each).
    sfreq : float
        Their sampling rate.
    model_sfreq : float
        The network's rate.
    n_window : int
        The network's window in samples.
    overlap : float
        Fraction of overlap between windows.
    run : callable
        ``run(z, noise_z) -> denoised_z`` on standardized windows
        ``(n_windows, n_window)``; ``noise_z`` is None without references.
    references : array, shape (n_signals, n_times) | None
        A noise reference per signal (same units), or None.

    Returns
    -------
    cleaned : array, shape (n_signals, n_times)

    Notes
    -----
    The *correction* (what the network removes) is resampled back to the
    input rate and subtracted from the untouched input, so whatever the
    network leaves alone comes out bit-exact, without resampling error.
    """
    n_sig, n_times = signals.shape
    # Constant (flat) signals have nothing to remove; resampling ripple would
    # otherwise be standardized up to unit variance and "cleaned".
    flat = np.ptp(signals, axis=-1) == 0
    if flat.any():
        out = signals.copy()
        if (~flat).any():
            out[~flat] = denoise_signals(
                signals[~flat], sfreq, model_sfreq=model_sfreq, n_window=n_window,
                overlap=overlap, run=run,
                references=None if references is None else references[~flat])
        return out
    w = Windowing(signals, sfreq, model_sfreq, n_window, overlap)
    n_win = len(w.starts)
    win, z, mean, std, noise_z = w.standardized(references)
    den = run(z, noise_z) * std + mean
    return signals - w.correction_back((win - den).reshape(n_sig, n_win, n_window))


def denoise_epochs_jointly(data, sfreq, *, model_sfreq, n_window, overlap, run):
    """:func:`denoise_signals` for windows that hold all channels of an epoch.

    Denoisers that look across channels (e.g. a channels x time matrix per
    window) need every channel of a window at once. The resampling, windows,
    overlap-add and the subtraction of the resampled correction are those of
    :func:`denoise_signals`; the standardization differs: each channel is
    demeaned, and all channels of a window share one scale (the standard
    deviation over channels and time), so that their relative amplitudes
    (the spatial pattern of an artifact) are kept. Flat (constant) channels
    of an epoch pass through unchanged, as in :func:`denoise_signals`.

    Parameters
    ----------
    data : array, shape (n_epochs, n_channels, n_times)
        Epochs to clean (only the channels to clean).
    sfreq : float
        Their sampling rate.
    model_sfreq : float
        The denoiser's rate.
    n_window : int
        The denoiser's window in samples.
    overlap : float
        Fraction of overlap between windows.
    run : callable
        ``run(z) -> denoised_z`` on standardized windows
        ``(n_epochs * n_windows, n_channels, n_window)``.

    Returns
    -------
    cleaned : array, shape (n_epochs, n_channels, n_times)
    """
    n_ep, n_ch, n_times = data.shape
    w = Windowing(data.reshape(n_ep * n_ch, n_times), sfreq, model_sfreq,
                   n_window, overlap)
    n_win = len(w.starts)
    # (n_ep, n_ch, n_win, n_window) -> (n_ep * n_win, n_ch, n_window)
    win = w.windows.reshape(n_ep, n_ch, n_win, n_window).transpose(0, 2, 1, 3)
    win = win.reshape(n_ep * n_win, n_ch, n_window)
    mean = win.mean(axis=-1, keepdims=True)
    std = (win - mean).std(axis=(1, 2), keepdims=True) + EPS
    den = run((win - mean) / std) * std + mean
    correction = (win - den).reshape(n_ep, n_win, n_ch, n_window)
    correction = correction.transpose(0, 2, 1, 3).reshape(n_ep * n_ch, n_win,
                                                           n_window)
    correction = w.correction_back(correction)
    cleaned = data - correction.reshape(n_ep, n_ch, n_times)
    flat = np.ptp(data, axis=-1) == 0
    cleaned[flat] = data[flat]
    return cleaned

# License: BSD-3-Clause
"""The one entry point for input data, and the resampling/windowing maths."""

from fractions import Fraction

import mne
import numpy as np
from scipy.signal import resample_poly

from .._protocol import standardize

#: Channel types cleaned, and channel types used as noise references.
CLEAN_TYPES = ("eeg",)
REFERENCE_TYPES = ("eog", "emg")


def _info_from_sfreq(n_channels, sfreq):
    names = [f"EEG{i:03d}" for i in range(n_channels)]
    return mne.create_info(names, float(sfreq), "eeg", verbose=False)


def is_mne_input(X):
    """Whether ``X`` is an MNE object (or a list of Epochs) rather than an array."""
    if isinstance(X, mne.BaseEpochs | mne.io.BaseRaw | mne.Evoked):
        return True
    return isinstance(X, list | tuple) and len(X) > 0 and all(
        isinstance(x, mne.BaseEpochs) for x in X
    )


def check_mne_data(X):
    """Turn an MNE input into a C-ordered float64 3-D array and its info.

    Parameters
    ----------
    X : Epochs | list of Epochs | Raw | Evoked
        A list of Epochs is what scikit-learn's indexing makes of an Epochs
        object inside cross-validation; their data are concatenated.

    Returns
    -------
    data : array, shape (n_epochs, n_channels, n_times)
        A new array (the caller's data is never modified).
    info : Info
        Channel description of ``data``.
    kind : str
        ``"epochs"``, ``"epochs_list"``, ``"raw"`` or ``"evoked"``.
    """
    if isinstance(X, mne.BaseEpochs):
        return _finite(np.array(X.get_data(), dtype=np.float64, order="C")), \
            X.info, "epochs"
    if isinstance(X, list | tuple) and len(X) and all(
        isinstance(x, mne.BaseEpochs) for x in X
    ):
        names = X[0].ch_names
        for x in X[1:]:
            if x.ch_names != names:
                raise ValueError(
                    "All Epochs in the list must have the same channels; got "
                    f"{names} and {x.ch_names}. Pick the same channels first."
                )
        data = np.concatenate([x.get_data() for x in X], axis=0)
        return _finite(np.ascontiguousarray(data, dtype=np.float64)), \
            X[0].info, "epochs_list"
    if isinstance(X, mne.io.BaseRaw):
        data = X.get_data()[np.newaxis]
        return _finite(np.ascontiguousarray(data, dtype=np.float64)), X.info, "raw"
    if isinstance(X, mne.Evoked):
        data = X.data[np.newaxis]
        return _finite(np.ascontiguousarray(data, dtype=np.float64)), \
            X.info, "evoked"
    raise TypeError(
        "X must be an mne.Epochs, a list of Epochs, an mne.io.Raw, an "
        f"mne.Evoked or a NumPy array, got {type(X).__name__}."
    )


def check_array_info(data, *, info=None, sfreq=None, fitted_info=None):
    """Match a validated array with a channel description.

    ``data`` is the output of scikit-learn's ``validate_data`` (2-D or 3-D,
    finite, float64). Returns ``(data_3d, info, kind)`` as :func:`check_data`.
    """
    if info is not None and not isinstance(info, mne.Info):
        raise TypeError(
            f"info must be an instance of mne.Info or None, got {type(info).__name__}."
        )
    if info is not None and sfreq is not None and not np.isclose(
        info["sfreq"], sfreq
    ):
        raise ValueError(
            f"sfreq={sfreq} contradicts info['sfreq']={info['sfreq']}; pass only "
            "one of them."
        )
    if data.ndim == 2:
        # Rows are independent single-channel segments (EEGdenoiseNet's layout).
        use = info if info is not None else fitted_info
        if use is not None and len(use.ch_names) != 1 and info is not None:
            raise ValueError(
                f"X is 2-D {data.shape}, read as (n_segments, n_times) single-"
                f"channel segments, but info has {len(info.ch_names)} channels. "
                "Pass a 3-D array (n_epochs, n_channels, n_times) instead."
            )
        rate = _rate(info, sfreq, fitted_info if (
            fitted_info is not None and len(fitted_info.ch_names) == 1) else None)
        one = info if info is not None else _info_from_sfreq(1, rate)
        return np.ascontiguousarray(data[:, np.newaxis, :]), one, "array2d"
    if data.ndim != 3:
        raise ValueError(
            "X must be 3-D (n_epochs, n_channels, n_times) or 2-D "
            f"(n_segments, n_times), got an array of shape {data.shape}."
        )
    n_ch = data.shape[1]
    desc = info if info is not None else fitted_info
    if desc is None:
        rate = _rate(None, sfreq, None)
        return data, _info_from_sfreq(n_ch, rate), "array3d"
    n_info = len(desc.ch_names)
    if n_ch != n_info:
        hint = ""
        if data.shape[2] == n_info:
            hint = (" The array looks channels-last; use "
                    "X.transpose(0, 2, 1) to get (n_epochs, n_channels, n_times).")
        raise ValueError(
            f"X has {n_ch} channels (axis 1) but the info has {n_info} "
            f"({desc.ch_names[:4]}...).{hint} Pick the channels of the info, or "
            "pass the info that describes X."
        )
    return data, desc, "array3d"


def _rate(info, sfreq, fitted_info):
    if info is not None:
        return float(info["sfreq"])
    if sfreq is not None:
        return float(sfreq)
    if fitted_info is not None:
        return float(fitted_info["sfreq"])
    raise ValueError(
        "An array input needs its sampling rate: pass info=<mne.Info> (as "
        "mne.decoding.Scaler takes) or sfreq=<Hz> to the denoiser, or give it "
        "mne.Epochs instead of an array."
    )


def _finite(data):
    if not np.all(np.isfinite(data)):
        raise ValueError(
            "X contains NaN or inf values. Interpolate or drop the bad segments "
            "(e.g. epochs.drop_bad() or raw.interpolate_bads()) before denoising."
        )
    return data


def channel_indices(info):
    """Indices of the channels to clean and of the noise-reference channels."""
    types = info.get_channel_types()
    clean = np.array([i for i, t in enumerate(types) if t in CLEAN_TYPES], int)
    ref = np.array([i for i, t in enumerate(types) if t in REFERENCE_TYPES], int)
    return clean, ref


def resample_ratio(sfreq_in, sfreq_out):
    """Rational ``(up, down)`` with ``sfreq_in * up / down ~= sfreq_out``."""
    frac = Fraction(float(sfreq_out) / float(sfreq_in)).limit_denominator(1000)
    return frac.numerator, frac.denominator


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


class _Windowing:
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
    w = _Windowing(signals, sfreq, model_sfreq, n_window, overlap)
    n_win = len(w.starts)
    win = w.windows.reshape(-1, n_window)
    z, mean, std = standardize(win)
    noise_z = None
    if references is not None:
        noise_z = w.cut(references).reshape(-1, n_window) / std
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
    w = _Windowing(data.reshape(n_ep * n_ch, n_times), sfreq, model_sfreq,
                   n_window, overlap)
    n_win = len(w.starts)
    # (n_ep, n_ch, n_win, n_window) -> (n_ep * n_win, n_ch, n_window)
    win = w.windows.reshape(n_ep, n_ch, n_win, n_window).transpose(0, 2, 1, 3)
    win = win.reshape(n_ep * n_win, n_ch, n_window)
    mean = win.mean(axis=-1, keepdims=True)
    std = (win - mean).std(axis=(1, 2), keepdims=True) + 1e-12
    den = run((win - mean) / std) * std + mean
    correction = (win - den).reshape(n_ep, n_win, n_ch, n_window)
    correction = correction.transpose(0, 2, 1, 3).reshape(n_ep * n_ch, n_win,
                                                           n_window)
    correction = w.correction_back(correction)
    cleaned = data - correction.reshape(n_ep, n_ch, n_times)
    flat = np.ptp(data, axis=-1) == 0
    cleaned[flat] = data[flat]
    return cleaned

# License: BSD-3-Clause
"""Frequency-domain regression of reference channels (numpy only).

Time-domain regression (Gratton et al. 1983; MNE's ``EOGRegression``)
subtracts one number per EEG/reference pair: the reference's least-squares
share, the same at every frequency. A reference electrode also records brain
activity of its own, and that share of it is injected into every EEG
channel at every frequency, also where the reference holds no artifact.
Regression in the frequency domain (Woestenburg et al. 1983) estimates
instead a transfer function per frequency, ``H(f) = S_xr(f) S_rr(f)^-1``
(cross-spectra of the EEG and the references, averaged over all training
windows), which is close to the propagation factor where the artifact
dominates the reference and close to zero where it does not. Its magnitude
is capped, per EEG/reference pair, at the least-squares share
(:func:`least_squares`): brain
activity that the references share with the EEG is coherent too, and the
cap keeps the transfer from removing more of it, at any frequency, than
time-domain regression does. It is applied as an FIR filter, one per
EEG/reference pair, of one Welch segment's length
(:func:`mne_denoise._protocol.welch_params`: 1 s).
"""

import numpy as np
from scipy.signal import fftconvolve, get_window

from .._protocol import welch_params

#: Ridge added to the reference cross-spectral matrix, relative to its mean
#: power over frequencies, so that bands where the references are silent
#: (e.g. above an anti-alias filter) get a transfer of zero, not noise.
RIDGE = 1e-3


def demeaned(x):
    """``x`` minus its mean over time (the last axis)."""
    x = np.asarray(x, dtype=float)
    return x - x.mean(axis=-1, keepdims=True)


def _frames(x, nperseg, noverlap):
    """Hann-windowed spectra of the Welch frames: (n, n_frames, n_ch, n_freqs)."""
    n_times = x.shape[-1]
    step = nperseg - noverlap
    starts = np.arange(0, n_times - nperseg + 1, step)
    idx = starts[:, None] + np.arange(nperseg)
    frames = x[..., idx] * get_window("hann", nperseg)  # (n, ch, frames, nperseg)
    return np.fft.rfft(frames, axis=-1).transpose(0, 2, 1, 3)


def least_squares(eeg, ref):
    """Each EEG channel's least-squares share of each reference, (n_eeg, n_refs).

    Over all samples of all epochs (demeaned per epoch), as
    :class:`mne.preprocessing.EOGRegression` estimates it.
    """
    n_eeg, n_refs = eeg.shape[1], ref.shape[1]
    Y = np.asarray(eeg, float).transpose(1, 0, 2).reshape(n_eeg, -1)
    R = np.asarray(ref, float).transpose(1, 0, 2).reshape(n_refs, -1)
    coef, *_ = np.linalg.lstsq(R.T, Y.T, rcond=None)
    return coef.T


def fit_transfer(eeg, ref, sfreq, *, coef=None):
    """Least-squares transfer function of the references into each EEG channel.

    Parameters
    ----------
    eeg : array, shape (n_epochs, n_eeg, n_times)
        EEG channels (demeaned per epoch).
    ref : array, shape (n_epochs, n_refs, n_times)
        Reference channels of the same epochs (demeaned per epoch).
    sfreq : float
        Sampling frequency in Hz.
    coef : array, shape (n_eeg, n_refs) | None
        :func:`least_squares` of the same ``eeg`` and ``ref``, the cap, if
        the caller has it already (computed otherwise).

    Returns
    -------
    taps : array, shape (n_eeg, n_refs, n_taps)
        FIR filters (zero lag at ``n_taps // 2``); see
        :func:`apply_transfer`.
    """
    nperseg, noverlap = welch_params(sfreq, eeg.shape[-1])
    X = _frames(np.asarray(eeg, float), nperseg, noverlap)
    R = _frames(np.asarray(ref, float), nperseg, noverlap)
    sxr = np.einsum("nkef,nkrf->fer", X, R.conj())
    srr = np.einsum("nkrf,nksf->frs", R, R.conj())
    n_refs = srr.shape[-1]
    power = np.real(np.trace(srr, axis1=1, axis2=2)).mean() / n_refs
    srr = srr + RIDGE * power * np.eye(n_refs)
    # H(f) = S_xr S_rr^-1, solved as S_rr^H H^H = S_xr^H (S_rr is Hermitian).
    h = np.linalg.solve(srr, sxr.conj().transpose(0, 2, 1)).conj().transpose(0, 2, 1)
    # Never more of a reference, at any frequency, than least squares takes
    # at every frequency: brain activity that a reference shares with the
    # EEG (posterior alpha reaches periocular electrodes) is coherent too,
    # and an uncapped transfer removes it (20 % of the posterior alpha power
    # of the EEGLAB sample; 1 % with the cap, as with least squares).
    cap = np.abs(least_squares(eeg, ref) if coef is None else coef)[np.newaxis]
    h = h * np.minimum(1.0, cap / np.maximum(np.abs(h), np.finfo(float).tiny))
    taps = np.fft.irfft(h, n=nperseg, axis=0)  # (n_taps, n_eeg, n_refs)
    taps = np.roll(taps, nperseg // 2, axis=0)
    return np.ascontiguousarray(taps.transpose(1, 2, 0))


def transfer_reach(taps):
    """Samples ``(behind, ahead)`` of the references that one output reads."""
    n_taps = taps.shape[-1]
    return n_taps - 1 - n_taps // 2, n_taps // 2


def apply_transfer(ref, taps):
    """The references' share in each EEG channel, filtered by ``taps``.

    Parameters
    ----------
    ref : array, shape (n_epochs, n_refs, n_times)
        Reference channels (demeaned as at :func:`fit_transfer`).
    taps : array, shape (n_eeg, n_refs, n_taps)
        From :func:`fit_transfer`.

    Returns
    -------
    share : array, shape (n_epochs, n_eeg, n_times)
        What to subtract from each EEG channel. The epochs are extended by
        reflection at both ends, so that the filter has no edge transient;
        an output sample reads the :func:`transfer_reach` samples around it.
    """
    # Zero lag sits at tap n_taps // 2: that many samples of look-ahead.
    pad = ((0, 0), (0, 0), transfer_reach(taps))
    padded = np.pad(np.asarray(ref, float), pad, mode="reflect")
    # (n, 1, r, t) * (1, e, r, k) -> sum over references.
    out = fftconvolve(padded[:, np.newaxis], taps[np.newaxis], mode="valid", axes=-1)
    return out.sum(axis=2)

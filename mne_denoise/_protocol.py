# License: BSD-3-Clause
"""The semi-synthetic protocol: SNR convention, standardization, PSD estimator.

Everything that decides a published number is defined here, once, and imported
by the metrics, the mixer, the training losses and the benchmark. The module
only needs NumPy so that :mod:`mne_denoise.nn` (torch only) can import the
constants too.

Conventions (EEGdenoiseNet's, Zhang et al. 2021)
------------------------------------------------
SNR
    ``SNR_dB = 10 * log10(RMS(clean) / RMS(lambda * artifact))``. Note the
    factor 10 on a ratio of RMS values (an amplitude ratio): this is
    EEGdenoiseNet's own convention. Papers that use ``20 * log10`` of the same
    ratio (a power SNR) report numbers twice as large in dB, and are not
    comparable with ours without conversion.
Standardization
    Clean and artifact segments are demeaned when they enter a bank, so the
    noisy segment ``clean + lambda * artifact`` has zero mean. Noisy, clean
    and scaled artifact are then all divided by the standard deviation of the
    noisy segment (and the noisy mean, zero by construction, is subtracted).
    The networks see standardized segments and the estimators undo the
    scaling afterwards.
PSD estimator (for RRMSE_s and every spectral feature)
    Welch's method: Hann window, segments of one second (``nperseg =
    min(n_times, round(sfreq))``), 50 % overlap, mean over segments, no
    detrending, one-sided density. :func:`welch_psd` is the reference
    implementation; the torch loss reproduces it exactly.
Multichannel SNR
    The SNR of a multichannel item is that of its most contaminated channel,
    ``min_c SNR_dB(c)`` (:func:`multichannel_snr_db`), with the single-channel
    convention above. A single channel gets exactly EEGdenoiseNet's SNR; in
    a multichannel item at ``-5`` dB the worst channel is as contaminated as
    an EEGdenoiseNet segment at ``-5`` dB and every other channel less (an
    SNR over all channels pooled would hide a blink at Fp1 among 63 quiet
    channels).
"""

import numpy as np

#: Training SNR range in dB (uniform, drawn afresh every epoch).
TRAIN_SNR_RANGE = (-7.0, 4.0)
#: Test SNR grid in dB (EEGdenoiseNet's, one dB apart).
TEST_SNR_GRID = tuple(float(s) for s in range(-7, 3))
#: High SNRs in dB reported beside the test grid (mildly contaminated input,
#: most of real EEG), in the same ``10*log10(RMS ratio)`` convention.
HIGH_SNR_GRID = (5.0, 10.0, 20.0)
#: The classical EEG frequency bands in Hz; a band holds the Welch bins at
#: frequencies ``low <= f < high``, so adjacent bands share no bin.
EEG_BANDS = {
    "delta": (1.0, 4.0),
    "theta": (4.0, 8.0),
    "alpha": (8.0, 13.0),
    "beta": (13.0, 30.0),
    "gamma": (30.0, 45.0),
}
#: The sensorimotor (mu and beta rhythms) band in Hz that motor decoding
#: relies on; same bin rule as :data:`EEG_BANDS`.
MU_BETA_BAND = (8.0, 30.0)
#: Sampling rate and window of the shipped models (2-s windows at 256 Hz).
MODEL_SFREQ = 256.0
MODEL_N_TIMES = 512
#: Welch segment length, in seconds, and overlap fraction.
WELCH_SEGMENT_S = 1.0
WELCH_OVERLAP = 0.5

#: Default band (Hz) of each artifact type's training segments: ocular
#: activity is slow, muscle activity broadband above 20 Hz (surface EMG's
#: usual high-pass: below it, what an EMG electrode records is mostly
#: movement and baseline wander, and with EEGdenoiseNet's 1 Hz the test
#: split's EMG held 63 % of its power below 4 Hz against 0.1 % for the
#: validation split's; with 20 Hz the splits have the same make-up).
ARTIFACT_BANDS = {"eog": (0.3, 10.0), "emg": (20.0, 120.0)}
#: A low-pass at or above this fraction of the Nyquist frequency is dropped
#: (the data hold nothing above Nyquist, and the FIR design would need a tiny
#: transition band, hence a very long filter).
NYQUIST_MARGIN = 0.9

#: Floor added to standard deviations and RMS values (divisions by zero).
EPS = 1e-12
#: Floor of the metrics' denominators: far below EPS, because metrics also
#: see data in volts, whose PSDs (V**2/Hz, ~1e-11) a floor of EPS would bias.
METRIC_EPS = 1e-20


def rms(x, axis=-1):
    """Root mean square along ``axis``."""
    x = np.asarray(x, dtype=float)
    return np.sqrt(np.mean(x**2, axis=axis))


def snr_db(clean, noise):
    """SNR in dB with EEGdenoiseNet's convention, ``10*log10(RMS ratio)``.

    Parameters
    ----------
    clean, noise : array, shape (..., n_times)
        The clean signal and the (already scaled) noise added to it.

    Returns
    -------
    snr : array, shape (...)
        ``10 * log10(RMS(clean) / RMS(noise))`` per segment.
    """
    return 10.0 * np.log10((rms(clean) + EPS) / (rms(noise) + EPS))


def artifact_scale(clean, artifact, snr):
    """Return ``lambda`` such that ``snr_db(clean, lambda * artifact) == snr``.

    Parameters
    ----------
    clean, artifact : array, shape (..., n_times)
        Segments to mix.
    snr : float | array, shape (...)
        Target SNR in dB (EEGdenoiseNet's convention, see :func:`snr_db`).

    Returns
    -------
    lam : array, shape (...)
        The artifact gain per segment.
    """
    return rms(clean) / ((rms(artifact) + EPS) * 10.0 ** (np.asarray(snr) / 10.0))


def mix_at_snr(clean, artifact, snr):
    """Mix ``clean`` and ``artifact`` at ``snr`` dB and standardize all three.

    This is the one place where the protocol's mixing and standardization
    happen; the training data sets, the benchmark and the tests call it.

    Parameters
    ----------
    clean, artifact : array, shape (..., n_times)
        Demeaned clean and artifact segments (any units, same shape).
    snr : float | array, shape (...)
        Target SNR in dB.

    Returns
    -------
    noisy, clean, artifact : array, shape (..., n_times)
        The standardized noisy segment, clean target and scaled artifact;
        ``noisy == clean + artifact`` holds exactly.
    std : array, shape (..., 1)
        The noisy segments' standard deviation that was divided out.
    """
    clean = np.asarray(clean, dtype=float)
    artifact = np.asarray(artifact, dtype=float)
    lam = artifact_scale(clean, artifact, snr)[..., np.newaxis]
    artifact = lam * artifact
    noisy, mean, std = standardize(clean + artifact)
    # The noisy mean is shared out between clean and artifact according to
    # their own means, so that noisy == clean + artifact still holds after
    # standardization (the means are zero for demeaned bank segments).
    c_mean = clean.mean(axis=-1, keepdims=True)
    clean = (clean - c_mean) / std
    artifact = (artifact - (mean - c_mean)) / std
    return noisy, clean, artifact, std


def multichannel_snr_db(clean, noise):
    """SNR of multichannel items: that of their most contaminated channel.

    Parameters
    ----------
    clean, noise : array, shape (..., n_channels, n_times)
        The clean signals and the (already scaled) noise added to them.

    Returns
    -------
    snr : array, shape (...)
        ``min`` over channels of :func:`snr_db`.
    """
    return snr_db(clean, noise).min(axis=-1)


def multichannel_artifact_scale(clean, artifact, snr):
    """Gain ``lambda`` with ``multichannel_snr_db(clean, lambda * artifact) == snr``.

    Parameters
    ----------
    clean, artifact : array, shape (..., n_channels, n_times)
        Multichannel items to mix (the artifact already projected onto the
        channels).
    snr : float | array, shape (...)
        Target SNR in dB.

    Returns
    -------
    lam : array, shape (...)
        One gain per item, for all its channels.
    """
    ratio = (rms(clean) + EPS) / (rms(artifact) + EPS)
    return ratio.min(axis=-1) / 10.0 ** (np.asarray(snr) / 10.0)


def standardize(x):
    """Standardize segments as the protocol does at inference.

    Parameters
    ----------
    x : array, shape (..., n_times)
        Noisy segments.

    Returns
    -------
    z : array, shape (..., n_times)
        ``(x - mean) / std`` per segment.
    mean, std : array, shape (..., 1)
        What was removed; a flat segment gets ``std = 1e-12`` (so ``z`` is 0).
    """
    x = np.asarray(x, dtype=float)
    mean = x.mean(axis=-1, keepdims=True)
    std = x.std(axis=-1, keepdims=True) + EPS
    return (x - mean) / std, mean, std


def welch_params(sfreq, n_times):
    """Return ``(nperseg, noverlap)`` of the protocol's Welch estimator."""
    nperseg = int(min(n_times, round(WELCH_SEGMENT_S * sfreq)))
    nperseg = max(nperseg, 1)
    noverlap = int(nperseg * WELCH_OVERLAP)
    return nperseg, noverlap


def welch_psd(x, sfreq):
    """Power spectral density with the protocol's Welch estimator.

    Parameters
    ----------
    x : array, shape (..., n_times)
        Signals.
    sfreq : float
        Sampling frequency in Hz.

    Returns
    -------
    psd : array, shape (..., n_freqs)
        One-sided PSD in units**2 / Hz.
    freqs : array, shape (n_freqs,)
        Frequencies in Hz.
    """
    from scipy.signal import welch

    x = np.asarray(x, dtype=float)
    nperseg, noverlap = welch_params(sfreq, x.shape[-1])
    freqs, psd = welch(
        x,
        fs=sfreq,
        window="hann",
        nperseg=nperseg,
        noverlap=noverlap,
        detrend=False,
        scaling="density",
        average="mean",
        axis=-1,
    )
    return psd, freqs

# License: BSD-3-Clause
"""Simulated EEG, EOG and EMG segments, and simulated contaminated Epochs.

The simulators are deliberately simple, fully specified generative models:
they feed the shipped demo, fill the EMG bank (see
:func:`~mne_denoise.datasets.make_artifact_bank`) and are cited by the model
cards, so every distribution is stated in the docstrings. All outputs are in
volts, demeaned per segment, and reproducible through ``random_state``.
"""

import mne
import numpy as np
from sklearn.utils import check_random_state

from .._protocol import MODEL_N_TIMES, MODEL_SFREQ, artifact_scale
from ..utils._checks import _check_int, _check_positive
from ._montage import _builtin_montage

__all__ = ["simulate_eeg", "simulate_emg", "simulate_eog", "simulate_epochs"]

#: 10-20 (and a few 10-10) names in the order simulate_epochs takes them:
#: the first 16 cover frontal, central, temporal, parietal and occipital
#: sites on both sides, so a small n_eeg still shows both artifact patterns.
SIM_CH_NAMES = (
    "Fp1", "Fp2", "F3", "F4", "C3", "C4", "P3", "P4",
    "O1", "O2", "F7", "F8", "T7", "T8", "P7", "P8",
    "Fz", "Cz", "Pz", "Oz", "AF3", "AF4", "FC1", "FC2",
    "FC5", "FC6", "CP1", "CP2", "CP5", "CP6", "PO3", "PO4",
)  # fmt: skip

# Spatial fall-off lengths (m) of the simulated artifact projections and the
# distance (m) at which a weight is 1 (about nasion-Fp1 and preauricular-T7).
_EOG_FALLOFF, _EOG_REF_DIST = 0.045, 0.04
_EMG_FALLOFF, _EMG_REF_DIST = 0.02, 0.035
# Spatial smoothing length (m) of the simulated background EEG.
_EEG_SMOOTHING = 0.04


def _check_sizes(n_segments, n_times, sfreq):
    return (
        _check_int(n_segments, "n_segments", minimum=1),
        _check_int(n_times, "n_times", minimum=2),
        _check_positive(sfreq, "sfreq"),
    )


def _finish(x, rng, rms_range_uv):
    """Demean, scale each row to a log-uniform RMS (µV range), return volts."""
    x = x - x.mean(axis=-1, keepdims=True)
    rms = np.sqrt(np.mean(x**2, axis=-1, keepdims=True))
    lo, hi = np.log(rms_range_uv[0]), np.log(rms_range_uv[1])
    target = np.exp(rng.uniform(lo, hi, size=rms.shape)) * 1e-6
    return x / np.maximum(rms, 1e-300) * target


def _colored_noise(rng, n, n_times, sfreq, exponent, f_floor=1.0):
    """Gaussian noise with PSD proportional to 1 / max(f, f_floor) ** exponent."""
    freqs = np.fft.rfftfreq(n_times, 1.0 / sfreq)
    spec = rng.standard_normal((n, freqs.size)) + 1j * rng.standard_normal(
        (n, freqs.size)
    )
    exponent = np.broadcast_to(np.asarray(exponent, dtype=float), (n,))
    amp = np.maximum(freqs, f_floor)[np.newaxis] ** (-exponent[:, np.newaxis] / 2)
    spec *= amp
    spec[:, 0] = 0.0
    x = np.fft.irfft(spec, n=n_times, axis=-1)
    return x / np.maximum(x.std(axis=-1, keepdims=True), 1e-300)


def _bandlimited_noise(rng, n, n_times, sfreq, lo, hi):
    """White Gaussian noise with Fourier coefficients outside [lo, hi] zeroed."""
    freqs = np.fft.rfftfreq(n_times, 1.0 / sfreq)
    spec = np.fft.rfft(rng.standard_normal((n, n_times)), axis=-1)
    spec[:, (freqs < lo) | (freqs > hi)] = 0.0
    x = np.fft.irfft(spec, n=n_times, axis=-1)
    return x / np.maximum(x.std(axis=-1, keepdims=True), 1e-300)


def _hann_bump(t, center, width):
    """Hann-shaped bump of full ``width`` (s) centred at ``center``, 0 outside."""
    u = (t - center) / width
    return np.where(np.abs(u) < 0.5, 0.5 * (1.0 + np.cos(2 * np.pi * u)), 0.0)


def simulate_eeg(
    n_segments, n_times=MODEL_N_TIMES, sfreq=MODEL_SFREQ, *, random_state=None
):
    """Simulate clean single-channel EEG segments.

    Model, drawn independently for every segment:

    1. Background: Gaussian noise with power spectral density proportional
       to ``1 / max(f, 1 Hz) ** a`` (flat below 1 Hz, no DC), exponent
       ``a ~ U(1, 2)``, scaled to unit RMS.
    2. Alpha bursts: ``N ~ Poisson(0.75 per second)`` bursts at a
       segment-wide frequency ``f_alpha ~ U(8, 12) Hz``; each burst is a
       sinusoid with random phase under a Hann envelope of duration
       ``U(0.5, 1.5) s``, centred uniformly in the segment (it may be cut
       at the edges), with peak amplitude ``U(0.5, 2)`` times the
       background RMS.
    3. The sum is demeaned and scaled to an RMS drawn log-uniformly in
       10-30 µV.

    Parameters
    ----------
    n_segments : int
        Number of segments.
    n_times : int
        Samples per segment.
    sfreq : float
        Sampling frequency in Hz.
    random_state : None | int | instance of RandomState
        Seed; the same seed gives the same segments.

    Returns
    -------
    eeg : array, shape (n_segments, n_times)
        Demeaned segments in volts.
    """
    n_segments, n_times, sfreq = _check_sizes(n_segments, n_times, sfreq)
    rng = check_random_state(random_state)
    t = np.arange(n_times) / sfreq
    duration = n_times / sfreq
    x = _colored_noise(
        rng, n_segments, n_times, sfreq, rng.uniform(1.0, 2.0, n_segments)
    )
    f_alpha = rng.uniform(8.0, 12.0, n_segments)
    n_bursts = rng.poisson(0.75 * duration, n_segments)
    for i in range(n_segments):
        for _ in range(n_bursts[i]):
            env = _hann_bump(t, rng.uniform(0, duration), rng.uniform(0.5, 1.5))
            phase = rng.uniform(0, 2 * np.pi)
            x[i] += (
                rng.uniform(0.5, 2.0) * env * np.sin(2 * np.pi * f_alpha[i] * t + phase)
            )
    return _finish(x, rng, (10.0, 30.0))


def simulate_eog(
    n_segments, n_times=MODEL_N_TIMES, sfreq=MODEL_SFREQ, *, random_state=None
):
    """Simulate EOG artifact sources: blinks, saccades and slow drifts.

    Model, drawn independently for every segment (amplitudes in µV before
    conversion to volts; nothing is rescaled afterwards):

    1. Blinks: ``N ~ Poisson(0.5 per second)``; each is a positive,
       asymmetric bump of duration ``D ~ U(0.2, 0.4) s`` and peak amplitude
       ``U(100, 300) µV``, rising as a half-cosine during the first
       ``r * D`` (``r ~ U(0.3, 0.45)``) and falling as a half-cosine during
       the rest; onsets are uniform in ``[-D/2, T - D/2]`` so blinks may be
       cut at the edges.
    2. Saccades: ``N ~ Poisson(0.5 per second)`` steps of amplitude
       ``±U(20, 100) µV`` (random sign) at uniform times, each a
       raised-cosine ramp lasting ``U(30, 80) ms``; the steps accumulate
       (the eye holds its new position).
    3. Slow drift: a sinusoid of frequency ``U(0.1, 0.5) Hz``, amplitude
       ``U(5, 30) µV`` and random phase.
    4. Background: ``1 / f ** 2`` Gaussian noise (flat below 1 Hz) with
       RMS 2 µV, so that no segment is exactly flat.

    The sum is demeaned. Nearly all power lies below 10 Hz.

    Parameters
    ----------
    n_segments : int
        Number of segments.
    n_times : int
        Samples per segment.
    sfreq : float
        Sampling frequency in Hz.
    random_state : None | int | instance of RandomState
        Seed; the same seed gives the same segments.

    Returns
    -------
    eog : array, shape (n_segments, n_times)
        Demeaned segments in volts.
    """
    n_segments, n_times, sfreq = _check_sizes(n_segments, n_times, sfreq)
    rng = check_random_state(random_state)
    t = np.arange(n_times) / sfreq
    duration = n_times / sfreq
    x = 2.0 * _colored_noise(rng, n_segments, n_times, sfreq, 2.0)
    for i in range(n_segments):
        for _ in range(rng.poisson(0.5 * duration)):
            d = rng.uniform(0.2, 0.4)
            rise = rng.uniform(0.3, 0.45) * d
            onset = rng.uniform(-d / 2, duration - d / 2)
            u = t - onset
            up = (u >= 0) & (u < rise)
            down = (u >= rise) & (u < d)
            bump = np.zeros(n_times)
            bump[up] = 0.5 * (1 - np.cos(np.pi * u[up] / rise))
            bump[down] = 0.5 * (1 + np.cos(np.pi * (u[down] - rise) / (d - rise)))
            x[i] += rng.uniform(100.0, 300.0) * bump
        for _ in range(rng.poisson(0.5 * duration)):
            ramp = rng.uniform(0.03, 0.08)
            u = np.clip((t - rng.uniform(0, duration)) / ramp, 0.0, 1.0)
            sign = rng.choice([-1.0, 1.0])
            x[i] += sign * rng.uniform(20.0, 100.0) * 0.5 * (1 - np.cos(np.pi * u))
        f_drift = rng.uniform(0.1, 0.5)
        x[i] += rng.uniform(5.0, 30.0) * np.sin(
            2 * np.pi * f_drift * t + rng.uniform(0, 2 * np.pi)
        )
    x -= x.mean(axis=-1, keepdims=True)
    return x * 1e-6


def _clip_band(band, sfreq):
    lo, hi = (float(b) for b in band)
    hi = min(hi, sfreq / 2.0)
    if not 0 <= lo < hi:
        raise ValueError(
            f"band must be (low, high) with 0 <= low < high, once high is "
            f"clipped to the Nyquist frequency ({sfreq / 2:g} Hz); got {band}."
        )
    return lo, hi


def simulate_emg(
    n_segments,
    n_times=MODEL_N_TIMES,
    sfreq=MODEL_SFREQ,
    *,
    band=(20.0, 120.0),
    random_state=None,
):
    """Simulate EMG artifact sources: bursty band-limited noise.

    Model, drawn independently for every segment:

    1. Carrier: white Gaussian noise band-limited to ``band`` by zeroing
       its Fourier coefficients outside the band (the upper edge is
       clipped to the Nyquist frequency), scaled to unit RMS.
    2. Envelope: a tonic level ``U(0.05, 0.2)`` plus ``1 + Poisson(0.5 per
       second)`` bursts; each burst has duration ``U(50, 500) ms``, peak
       ``U(0.5, 1)``, a uniform centre in the segment, and smooth edges (a
       Tukey window whose cosine tapers take half the burst).
    3. The product carrier x envelope is demeaned and scaled to an RMS drawn
       log-uniformly in 5-50 µV.

    The envelope's slow modulation leaks a little power just outside
    ``band``; nearly all power stays inside.

    Parameters
    ----------
    n_segments : int
        Number of segments.
    n_times : int
        Samples per segment.
    sfreq : float
        Sampling frequency in Hz.
    band : tuple of float
        ``(low, high)`` band of the carrier in Hz.
    random_state : None | int | instance of RandomState
        Seed; the same seed gives the same segments.

    Returns
    -------
    emg : array, shape (n_segments, n_times)
        Demeaned segments in volts.
    """
    n_segments, n_times, sfreq = _check_sizes(n_segments, n_times, sfreq)
    lo, hi = _clip_band(band, sfreq)
    rng = check_random_state(random_state)
    carrier = _bandlimited_noise(rng, n_segments, n_times, sfreq, lo, hi)
    t = np.arange(n_times) / sfreq
    duration = n_times / sfreq
    env = rng.uniform(0.05, 0.2, (n_segments, 1)) * np.ones((1, n_times))
    for i in range(n_segments):
        for _ in range(1 + rng.poisson(0.5 * duration)):
            width = rng.uniform(0.05, 0.5)
            u = np.abs(t - rng.uniform(0, duration)) / (width / 2)  # 0 at centre
            # Tukey window, alpha = 0.5: flat for |u| < 0.5, cosine taper to 1.
            w = np.where(u < 0.5, 1.0, 0.5 * (1 + np.cos(np.pi * (u - 0.5) / 0.5)))
            env[i] += rng.uniform(0.5, 1.0) * np.where(u < 1.0, w, 0.0)
    return _finish(carrier * env, rng, (5.0, 50.0))


def _montage_positions(ch_names):
    pos = _builtin_montage("1020").get_positions()
    ch_pos = np.array([pos["ch_pos"][ch] for ch in ch_names])
    return ch_pos, pos


def _spatial_weights(ch_pos, points, falloff, ref_dist):
    """exp(-(d - ref_dist) / falloff), clipped to 1, d = distance to nearest point."""
    d = np.min(
        np.linalg.norm(ch_pos[:, np.newaxis] - np.asarray(points)[np.newaxis], axis=-1),
        axis=1,
    )
    return np.minimum(np.exp(-(d - ref_dist) / falloff), 1.0)


def simulate_epochs(
    n_epochs=20,
    *,
    n_eeg=16,
    sfreq=MODEL_SFREQ,
    tmin=0.0,
    duration=2.0,
    artifacts=("eog", "emg"),
    snr_db=-2.0,
    random_state=None,
):
    """Simulate contaminated and clean multichannel EEG Epochs.

    Clean EEG
        One :func:`simulate_eeg` source per channel, spatially smoothed
        (each channel is a weighted mean of all sources with weights
        ``exp(-distance / 4 cm)`` on the montage positions, then rescaled to
        its original RMS), plus a class-dependent mu rhythm for two-class
        decoding: 9-13 Hz band-limited noise sources (RMS 16 µV) under C3
        and C4, spread with ``exp(-distance / 3 cm)``; in class 1 (``left``)
        the right (C4) source is attenuated to 20 %, in class 2 (``right``)
        the left (C3) one (event-related desynchronization), so CSP on
        8-30 Hz band-passed epochs tells the classes apart (cross-validated
        accuracy about 0.95 with 40 epochs; broadband, the 1/f background
        hides most of the effect).
    EOG
        One :func:`simulate_eog` source per epoch, projected onto the EEG
        channels with weights ``min(1, exp(-(d - 4 cm) / 4.5 cm))`` where
        ``d`` is the channel's distance to the nasion (Fp1/Fp2 ~ 1, F3
        ~ 0.3, C3 ~ 0.08, O1 ~ 0.03).
    EMG
        One :func:`simulate_emg` source (20-120 Hz, clipped to Nyquist) per
        epoch, projected with ``min(1, exp(-(d - 3.5 cm) / 2 cm))`` where
        ``d`` is the distance to the nearest preauricular point (temporal
        muscles; T7/T8 ~ 1, P7/P8 ~ 0.3, C3 ~ 0.03).
    Mixing
        Each projected artifact is scaled to unit RMS over the epoch, they
        are summed, and one gain per epoch sets the SNR of the whole epoch
        (RMS over all EEG channels and samples, i.e. from channel-averaged
        power) to ``snr_db`` with the protocol's convention
        (:func:`mne_denoise._protocol.artifact_scale`,
        ``10 * log10(RMS ratio)``). The ``"EOG"`` and ``"EMG"`` reference
        channels carry the scaled sources, so that exactly
        ``contaminated[eeg] = clean[eeg] + w_eog * EOG + w_emg * EMG``.

    Positions come from the built-in 10-20 template montage
    (``colin27_1020``, called ``standard_1020`` before MNE 1.13).

    Parameters
    ----------
    n_epochs : int
        Number of epochs (classes alternate in a random, balanced order).
    n_eeg : int
        Number of EEG channels, taken in order from ``Fp1, Fp2, F3, F4, C3,
        C4, P3, P4, O1, O2, F7, F8, T7, T8, P7, P8, Fz, Cz, Pz, Oz, AF3, AF4,
        FC1, FC2, FC5, FC6, CP1, CP2, CP5, CP6, PO3, PO4`` (at most 32).
    sfreq : float
        Sampling frequency in Hz.
    tmin : float
        Start time of the epochs in seconds.
    duration : float
        Length of the epochs in seconds.
    artifacts : tuple of str
        Which artifacts to add: any of ``"eog"`` and ``"emg"``; an empty
        tuple gives contaminated == clean. Only the reference channels of
        the chosen artifacts are added.
    snr_db : float
        Target SNR of each epoch in dB.
    random_state : None | int | instance of RandomState
        Seed; the same seed gives the same epochs.

    Returns
    -------
    contaminated : instance of mne.Epochs
        EEG plus artifacts, with the ``EOG`` (type ``eog``) and ``EMG``
        (type ``emg``) reference channels; volts; events with ids 1
        (``left``) and 2 (``right``).
    clean : instance of mne.Epochs
        The same epochs without the artifacts in the EEG channels (same
        info, events and reference channels).
    """
    n_epochs = _check_int(n_epochs, "n_epochs", minimum=1)
    n_eeg = _check_int(n_eeg, "n_eeg", minimum=1)
    if n_eeg > len(SIM_CH_NAMES):
        raise ValueError(
            f"n_eeg must be at most {len(SIM_CH_NAMES)} (the simulated "
            f"montage), got {n_eeg}."
        )
    if isinstance(artifacts, str):
        artifacts = (artifacts,)
    artifacts = tuple(artifacts)
    for a in artifacts:
        if a not in ("eog", "emg"):
            raise ValueError(f"artifacts must hold only 'eog' and/or 'emg', got {a!r}.")
    sfreq = float(sfreq)
    n_times = int(round(duration * sfreq))
    if n_times < 2:
        raise ValueError(
            f"duration * sfreq must give at least 2 samples, got {n_times}."
        )
    rng = check_random_state(random_state)
    ch_names = list(SIM_CH_NAMES[:n_eeg])
    ch_pos, fid = _montage_positions(ch_names)

    # Clean EEG: spatially smoothed independent sources + lateralised mu.
    dist = np.linalg.norm(ch_pos[:, np.newaxis] - ch_pos[np.newaxis], axis=-1)
    mix = np.exp(-dist / _EEG_SMOOTHING)
    mix /= mix.sum(axis=1, keepdims=True)
    src = simulate_eeg(n_epochs * n_eeg, n_times, sfreq, random_state=rng)
    src = src.reshape(n_epochs, n_eeg, n_times)
    clean = np.einsum("ij,ejt->eit", mix, src)
    clean *= np.sqrt(
        (src**2).mean(-1, keepdims=True) / (clean**2).mean(-1, keepdims=True)
    )
    labels = rng.permutation(np.resize([1, 2], n_epochs))
    all_pos = _montage_positions(["C3", "C4"])[0]
    mu_w = np.exp(
        -np.linalg.norm(ch_pos[:, np.newaxis] - all_pos[np.newaxis], axis=-1) / 0.03
    )
    mu = 16e-6 * _bandlimited_noise(rng, 2 * n_epochs, n_times, sfreq, 9.0, 13.0)
    mu = mu.reshape(n_epochs, 2, n_times)
    gain = np.where(labels[:, np.newaxis] == 1, [1.0, 0.2], [0.2, 1.0])  # (e, [C3, C4])
    clean += np.einsum("ck,ekt->ect", mu_w, gain[..., np.newaxis] * mu)
    clean -= clean.mean(axis=-1, keepdims=True)

    # Artifacts: rank-1 projections of one source each.
    refs, ref_names, ref_types, weights = [], [], [], []
    if "eog" in artifacts:
        refs.append(simulate_eog(n_epochs, n_times, sfreq, random_state=rng))
        weights.append(
            _spatial_weights(ch_pos, [fid["nasion"]], _EOG_FALLOFF, _EOG_REF_DIST)
        )
        ref_names.append("EOG")
        ref_types.append("eog")
    if "emg" in artifacts:
        refs.append(simulate_emg(n_epochs, n_times, sfreq, random_state=rng))
        weights.append(
            _spatial_weights(
                ch_pos, [fid["lpa"], fid["rpa"]], _EMG_FALLOFF, _EMG_REF_DIST
            )
        )
        ref_names.append("EMG")
        ref_types.append("emg")
    contaminated = clean.copy()
    ref_data = np.zeros((n_epochs, len(refs), n_times))
    if refs:
        for k, (r, w) in enumerate(zip(refs, weights, strict=True)):
            proj = w[np.newaxis, :, np.newaxis] * r[:, np.newaxis, :]
            norm = np.sqrt((proj**2).mean(axis=(1, 2)))  # (e,)
            ref_data[:, k] = r / norm[:, np.newaxis]
        w_all = np.stack(weights, axis=1)  # (n_eeg, n_refs)
        art = np.einsum("ck,ekt->ect", w_all, ref_data)
        lam = artifact_scale(
            clean.reshape(n_epochs, -1), art.reshape(n_epochs, -1), snr_db
        )
        ref_data *= lam[:, np.newaxis, np.newaxis]
        contaminated += np.einsum("ck,ekt->ect", w_all, ref_data)

    info = mne.create_info(ch_names + ref_names, sfreq, ["eeg"] * n_eeg + ref_types)
    info.set_montage(_builtin_montage("1020"))
    events = np.column_stack(
        [np.arange(n_epochs) * (n_times + int(sfreq)), np.zeros(n_epochs, int), labels]
    ).astype(int)
    event_id = {"left": 1, "right": 2}
    out = []
    for eeg in (contaminated, clean):
        data = np.concatenate([eeg, ref_data], axis=1)
        out.append(
            mne.EpochsArray(
                data, info.copy(), events, tmin=tmin, event_id=event_id, verbose=False
            )
        )
    return out[0], out[1]

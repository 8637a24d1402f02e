# License: BSD-3-Clause
"""Detect, then correct: the artifact gate of the deep denoisers.

Most real EEG is clean or mildly contaminated, and a network trained to remove
artifacts also alters clean windows. The gate decides, per window and per
channel, whether a window holds an artifact, and lets the network's
correction through only in proportion to that decision:

``cleaned = z - gate(p) * (z - network(z))``

where ``p`` is the detector's artifact probability of the standardized
window ``z``. The windows' corrections are overlap-added with Hann tapers
(:func:`mne_denoise.utils._windowing.overlap_add`), so a gate that opens in
one window and not in the next cross-fades over the overlap, without steps.

The detector is a logistic regression on scale-free features of the
standardized window and of the correction the network proposes for it (log
shares of the power in nine bands, log peak amplitude, log kurtosis, and the
correction's size relative to the window), calibrated in ``fit`` on the clean
windows the denoiser is given and the same windows with artifacts mixed in
at -7 to 2 dB and at 15 to 30 dB: it learns what clean EEG looks like *in
the user's data* (montage, rate, filters, line noise) and what *this
network* does to it.

A calibration window is labelled "to correct" when the network's correction
brings it closer to its known clean target (:func:`benefit_labels`), not
merely when it holds an artifact: a mildly contaminated window that this
network would damage more than it cleans is left alone, as is every clean
one. The gate then opens where correcting helps, which is what "do no harm"
asks of it.
"""

import functools

import mne
import numpy as np
import scipy.fft
from sklearn.linear_model import LogisticRegression
from sklearn.utils import check_random_state

from .._protocol import MODEL_SFREQ, TEST_SNR_GRID, mix_at_snr, standardize

#: Band edges (Hz) of the detector's spectral features.
_BAND_EDGES = (0.5, 2.0, 4.0, 8.0, 13.0, 20.0, 30.0, 45.0, 70.0, 128.0)
#: Half-width of the gate's ramp around the threshold, in probability.
GATE_RAMP = 0.1
#: SNRs (dB) of the calibration's contaminated windows: the protocol's test
#: grid, and mild contamination (15-30 dB), where an artifact is smaller
#: than the EEG's own variability and correcting rarely helps.
_STRONG_SNRS = (min(TEST_SNR_GRID), max(TEST_SNR_GRID))
_MILD_SNRS = (15.0, 30.0)
#: A correction counts as helping when it lowers a window's squared error
#: by more than this share of the clean EEG's power: a gain smaller than
#: that is not worth the risk on real data, where the detector can be wrong.
_BENEFIT_MARGIN = 0.1
_FLOOR = 1e-12


@functools.lru_cache(maxsize=16)
def _band_matrix(n_times, sfreq):
    """``(n_freqs, n_bands)`` 0/1: which rfft bins each band of ``_BAND_EDGES`` sums.

    Band powers are then one matrix product, not a masked sum per band.
    """
    freqs = np.fft.rfftfreq(n_times, 1.0 / sfreq)
    lo, hi = np.array(_BAND_EDGES[:-1]), np.array(_BAND_EDGES[1:])
    return ((freqs[:, None] >= lo) & (freqs[:, None] < hi)).astype(np.float64)


def window_features(z, sfreq=MODEL_SFREQ):
    """Scale-free features of standardized windows.

    Parameters
    ----------
    z : array, shape (n_windows, n_times)
        Standardized windows.
    sfreq : float
        Their sampling rate.

    Returns
    -------
    features : array, shape (n_windows, 11)
        Log share of the power in each band of ``_BAND_EDGES``, log of the
        peak absolute value and log of the kurtosis.
    """
    z = np.asarray(z, dtype=np.float64)
    taper = np.hanning(z.shape[-1])
    spec = scipy.fft.rfft(z * taper, axis=-1)
    power = spec.real**2 + spec.imag**2
    bands = power @ _band_matrix(z.shape[-1], float(sfreq))
    share = bands / (bands.sum(axis=-1, keepdims=True) + _FLOOR)
    centred = z - z.mean(axis=-1, keepdims=True)
    sq = centred * centred
    var = sq.mean(axis=-1) + _FLOOR
    kurt = (sq * sq).mean(axis=-1) / var**2
    peak = np.abs(centred).max(axis=-1) / np.sqrt(var)
    return np.concatenate([np.log(share + 1e-6), np.log(peak)[:, None],
                           np.log(kurt)[:, None]], axis=-1)


def gate(probability, threshold):
    """The share of the correction let through, from artifact probabilities.

    A smooth step from 0 (``p <= threshold - GATE_RAMP``) to 1 (``p >=
    threshold + GATE_RAMP``); ``threshold=None`` lets every correction
    through (no gate).

    Parameters
    ----------
    probability : array
        Artifact probabilities in [0, 1].
    threshold : float | None
        The probability at which half the correction is let through.

    Returns
    -------
    gate : array
        Same shape as ``probability``, in [0, 1].
    """
    p = np.asarray(probability, dtype=np.float64)
    if threshold is None:
        return np.ones_like(p)
    t = np.clip((p - threshold + GATE_RAMP) / (2 * GATE_RAMP), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)  # smoothstep: no kink where it opens


def detector_features(z, denoised, sfreq=MODEL_SFREQ):
    """What the detector reads: the window, and what the network would remove.

    Parameters
    ----------
    z : array, shape (n_windows, n_times)
        Standardized windows.
    denoised : array, shape (n_windows, n_times)
        The network's output for them.
    sfreq : float
        Their rate.

    Returns
    -------
    features : array, shape (n_windows, 23)
        :func:`window_features` of the window and of the network's
        correction, and the log of the correction's RMS relative to the
        window's: a network asked to clean a clean window removes little,
        and what it removes looks like EEG.
    """
    correction = z - denoised
    ratio = np.sqrt((correction**2).mean(axis=-1) / ((z**2).mean(axis=-1) + _FLOOR))
    return np.concatenate([window_features(z, sfreq), np.log(ratio + 1e-6)[:, None],
                           window_features(correction, sfreq)], axis=-1)


def calibration_windows(clean, artifacts, *, random_state=None):
    """Standardized windows, with and without artifacts, to calibrate on.

    Parameters
    ----------
    clean : array, shape (n_clean, n_times)
        Clean (demeaned) windows.
    artifacts : list of array, shape (n, n_times)
        Artifact windows, one array per kind; mixtures of two kinds are
        added too.
    random_state : int | RandomState | None
        Seeds the pairings and SNRs.

    Returns
    -------
    z : array, shape (n, n_times)
        The clean windows, and each artifact kind mixed in at an SNR of the
        test grid (-7 to 2 dB) and at a mild one (15 to 30 dB), uniform in
        dB, all standardized.
    target : array, shape (n, n_times)
        The clean window of each, in the same units.
    """
    rng = check_random_state(random_state)
    clean = np.asarray(clean, dtype=np.float64)
    n = len(clean)
    kinds = [np.asarray(a, dtype=np.float64) for a in artifacts if len(a)]

    def draw(kind):
        return kind[rng.randint(len(kind), size=n)]

    arts = [draw(k) for k in kinds]
    if len(kinds) > 1:
        # EOG and EMG together, each at unit RMS, as a periocular electrode
        # sees blinks and facial muscle at once.
        a, b = draw(kinds[0]), draw(kinds[1])
        arts.append(a / (a.std(axis=-1, keepdims=True) + _FLOOR)
                    + b / (b.std(axis=-1, keepdims=True) + _FLOOR))
    c0 = standardize(clean)[0]
    z, target = [c0], [c0]
    for art in arts:
        for snrs in (_STRONG_SNRS, _MILD_SNRS):
            noisy, c, _, _ = mix_at_snr(clean, art, rng.uniform(*snrs, size=n))
            z.append(noisy)
            target.append(c)
    return np.concatenate(z), np.concatenate(target)


def benefit_labels(z, denoised, target, margin=_BENEFIT_MARGIN):
    """Whether correcting each calibration window helps (label 1) or not.

    Parameters
    ----------
    z : array, shape (n, n_times)
        Standardized noisy windows.
    denoised : array, shape (n, n_times)
        The network's output for them.
    target : array, shape (n, n_times)
        Their clean windows.
    margin : float
        How much the correction must lower the squared error, as a share of
        the clean window's power.

    Returns
    -------
    y : array of int, shape (n,)
        1 where ``|z - target|^2 - |denoised - target|^2 > margin *
        |target|^2`` (in RRMSE_t terms, ``before^2 - after^2 > margin``); 0
        elsewhere: always for a clean window (nothing to gain), and for
        contamination too small to matter (below ``margin`` of the EEG's
        power, about 10 dB for 0.1).
    """
    before = ((z - target) ** 2).sum(axis=-1)
    after = ((denoised - target) ** 2).sum(axis=-1)
    power = (target**2).sum(axis=-1)
    return (before - after > margin * power).astype(int)


#: Mains frequencies (Hz) and the range of the line noise's RMS, relative to
#: the EEG's (log-uniform), of the simulated EEG that the screen of the
#: calibration windows learns clean EEG from: unfiltered recordings carry
#: line noise (the OpenBCI sample's 60-Hz peak is 5,000 times the PSD at
#: 40 Hz), which is no reason to correct them.
_MAINS = (50.0, 60.0)
_LINE_RMS = (1e-2, 10.0)


def with_line_noise(x, sfreq, *, random_state=None):
    """Add mains noise to half of the windows, at random levels.

    Parameters
    ----------
    x : array, shape (n, n_times)
        Windows (e.g. simulated EEG).
    sfreq : float
        Their rate.
    random_state : int | RandomState | None
        Seeds which windows, the frequency (50 or 60 Hz), level and phase.

    Returns
    -------
    x : array, shape (n, n_times)
        A copy; the other half of the windows unchanged.
    """
    rng = check_random_state(random_state)
    n, n_times = x.shape
    t = np.arange(n_times) / sfreq
    freq = np.asarray(_MAINS)[rng.randint(len(_MAINS), size=n)]
    level = np.exp(rng.uniform(*np.log(_LINE_RMS), size=n)) * (rng.rand(n) < 0.5)
    phase = rng.uniform(0, 2 * np.pi, size=n)
    line = np.sqrt(2) * np.sin(2 * np.pi * freq[:, None] * t + phase[:, None])
    return x + (level * x.std(axis=-1))[:, None] * line


def most_flagged(n_flagged, n, owner, unit, remedy, verbose=None):
    """Whether most calibration windows look contaminated; if so, say so.

    When they do, none of the data's windows stands for clean EEG and the
    gate learns clean EEG from simulated EEG; an info message tells the
    user, with ``remedy``.

    Parameters
    ----------
    n_flagged, n : int
        Windows a detector calibrated on simulated EEG flagged, of ``n``.
    owner, unit, remedy : str
        The denoiser's name, what a window is (``'windows'``), and what to
        do when the data are clean after all.
    verbose : bool | str | int | None
        MNE's verbosity of the message.

    Returns
    -------
    most : bool
        ``n_flagged > n / 2``.
    """
    if n_flagged <= n / 2:
        return False
    with mne.utils.use_log_level(verbose):
        mne.utils.logger.info(
            f"{owner}: {n_flagged} of the {n} {unit} of the data the gate is "
            "calibrated on look contaminated, so the gate learns clean EEG "
            f"from simulated EEG instead. If they hold clean EEG after all, "
            f"{remedy}.")
    return True


class ArtifactDetector:
    """Artifact probability from detector features (logistic regression).

    The features are standardized with the calibration set's mean and
    standard deviation; classes are weighted equally.
    """

    def fit(self, features, y):
        """Learn from features (:func:`detector_features`) and 0/1 labels.

        Parameters
        ----------
        features : array, shape (n, n_features)
            Features of the calibration windows.
        y : array, shape (n,)
            1 for windows to correct, 0 for windows to leave alone.

        Returns
        -------
        self : ArtifactDetector
            The fitted detector.
        """
        features = np.asarray(features, dtype=np.float64)
        y = np.asarray(y)
        self.mean_ = features.mean(axis=0)
        self.scale_ = features.std(axis=0) + _FLOOR
        if len(np.unique(y)) < 2:
            # One label only (a network that never helps, or always does): a
            # constant decision, certain either way.
            self.coef_ = np.zeros(features.shape[1])
            self.intercept_ = 20.0 if len(y) and y[0] == 1 else -20.0
            return self
        lr = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
        lr.fit((features - self.mean_) / self.scale_, y)
        self.coef_ = lr.coef_[0].astype(np.float64)
        self.intercept_ = float(lr.intercept_[0])
        return self

    def predict_proba(self, features):
        """Artifact probability of each window.

        Parameters
        ----------
        features : array, shape (n_windows, n_features)
            Their :func:`detector_features`.

        Returns
        -------
        p : array, shape (n_windows,)
            Probabilities in [0, 1].
        """
        f = (np.asarray(features, dtype=np.float64) - self.mean_) / self.scale_
        return 1.0 / (1.0 + np.exp(-(f @ self.coef_ + self.intercept_)))

    def to_dict(self):
        """The fitted state as plain lists and numbers (safe to save)."""
        return {"mean": self.mean_.tolist(), "scale": self.scale_.tolist(),
                "coef": self.coef_.tolist(), "intercept": self.intercept_}

    @classmethod
    def from_dict(cls, state):
        """A fitted detector from :meth:`to_dict`'s output."""
        det = cls()
        det.mean_ = np.asarray(state["mean"], dtype=np.float64)
        det.scale_ = np.asarray(state["scale"], dtype=np.float64)
        det.coef_ = np.asarray(state["coef"], dtype=np.float64)
        det.intercept_ = float(state["intercept"])
        return det

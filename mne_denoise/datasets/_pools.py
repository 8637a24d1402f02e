# License: BSD-3-Clause
"""The banks of the semi-synthetic protocol, built from the shared recordings.

:func:`make_clean_bank` (EEGMMIDB and the EEGLAB sample),
:func:`make_artifact_bank` (the EOG/EMG sources, plus simulated filler) and
:func:`make_benchmark_pools` (all three split by recording). Data flow one
way: this module imports the readers, the source loaders, the simulators and
the bank pipeline; none of them imports it.
"""

import mne
import numpy as np
from sklearn.utils import check_random_state

from .._protocol import ARTIFACT_BANDS, MODEL_SFREQ, NYQUIST_MARGIN
from ..utils._checks import _check_int, _check_option, _check_positive
from ..utils._docs import fill_doc
from ..utils._windowing import resample, resample_ratio
from ._banks import (
    SegmentBank,
    _is_frontal,
    _reject_most_contaminated,
    _segment,
    _windows_from_inst,
    clean_bank_from_mne,
)
from ._paths import _dataset_dir
from ._readers import (
    _EEGLAB_SPLICE_S,
    _eeglab_blocks,
    _eegmmidb_runs_present,
    _eegmmidb_subjects_present,
    read_eeglab_sample,
    read_eegmmidb,
    read_openbci_blinks,
)
from ._simulate import simulate_emg, simulate_eog
from ._sources import (
    _EMG_SOURCES,
    _EOG_SOURCES,
    _natural_key,
    _resolve_sources,
    _somach_records,
    _uci_records,
    load_emg_recordings,
    load_eog_recordings,
)

_DEFAULT_SOURCES = {
    "eog": ("klados", "neurokit", "eyetrack", "eeglab"),
    "emg": ("uci", "biosppy", "somach", "simulated"),
}
_SOURCE_DATASET = {
    "klados": "klados_semisim_eog_refs",
    "neurokit": "neurokit_eog_200hz",
    "eyetrack": "abbrash_eyetrack_eog_250hz",
    "eeglab": "eeglab_sample",
    "cosleep": "openbci_cosleep_psg_eog_emg",
    "yasa": "yasa_rem_loc_roc_256hz",
    "eogert": "eogert_hv_eog_492hz",
    "uci": "uci_lower_limb_emg_1khz",
    "biosppy": "biosppy_emg_examples_1khz",
    "somach": "somach_submental_semg_250hz",
    "needle": "physionet_emgdb_needle_4khz",
    "simulated": "simulated",
}

#: The unseen-source test: sources that no training or validation split
#: draws from (the shipped weights never saw them), chosen once, before any
#: result on them. Clean EEG: the EEGMMIDB subjects after the training
#: subjects (``make_clean_bank``'s default 1-10), and another device's
#: recording (the OpenBCI sample's quiet stretch). EOG: three recordings of
#: three labs and devices. EMG: the OpenBCI sleep recording's chin channel
#: and PhysioNet's needle EMG.
UNSEEN_SOURCES = {
    "eeg": ("physionet_eegmmidb subjects 11-109 (those present)",
            "openbci_blinks_jaw_alpha 20-75 s, C3/C4/P7/P8/O1/O2"),
    "eog": ("yasa", "eogert", "cosleep"),
    "emg": ("cosleep", "needle"),
}
#: EEGMMIDB subjects the training pools draw from (make_clean_bank's default).
_TRAINING_SUBJECTS = range(1, 11)
#: The OpenBCI sample's stretch without blinks or jaw clenches (s).
_OPENBCI_QUIET_S = (20.0, 75.0)

#: 10-20 positions (no Fp, plus Oz) used from the 64-channel EEGMMIDB cap.
_EEGMMIDB_CLEAN_CHANNELS = (
    "F7", "F3", "Fz", "F4", "F8", "T7", "C3", "Cz", "C4",
    "T8", "P7", "P3", "Pz", "P4", "P8", "O1", "Oz", "O2",
)  # fmt: skip
#: Runs used for the clean bank: baselines (1, 2) and the imagery runs.
_EEGMMIDB_CLEAN_RUNS = (1, 2, 4, 6, 8, 10, 12, 14)
#: Fraction of clean windows rejected as contaminated.
_CLEAN_REJECT = 0.2
#: EOG window kept if its peak-to-peak >= this x the channel's 10th percentile.
_EOG_ACTIVITY_FACTOR = 2.0
#: EMG window kept if its RMS is at least this (volts).
_EMG_MIN_RMS = 5e-6
#: Simulated EMG filler: share of the final bank, and segments per group.
_SIM_SHARE = 0.2
_SIM_GROUP_SIZE = 32
_SIM_ALONE = 1000
_SOMACH_LABELS = ("UP", "DOWN", "LEFT", "RIGHT")
_SOMACH_MIN_S = 1.0
_SOMACH_TAPER_S = 0.05

def _check_window(window_s, sfreq):
    return _check_positive(window_s, "window_s"), _check_positive(sfreq, "sfreq")


@fill_doc
def _eegmmidb_clean_windows(subject, *, sfreq=MODEL_SFREQ, window_s=2.0,
                            path=None, verbose=None, preprocess=None):
    """One EEGMMIDB subject's clean windows, as the clean banks cut them.

    What :func:`make_clean_bank` (and so the unseen-source test) draws from a
    subject, with the channel of each window, which a bank does not keep.

    Parameters
    ----------
    subject : int
        EEGMMIDB subject.
    sfreq : float
        Sampling frequency of the windows in Hz.
    window_s : float
        Window length in seconds.
    %(shared_path)s
    %(verbose_mne)s
    preprocess : callable | None
        ``f(raw) -> raw`` applied to each run's 64-channel Raw before it is
        cut (e.g. ICA + ICLabel cleaning); None: none, as the banks do.

    Returns
    -------
    windows : array, shape (n, n_times)
        The windows of every run present (baselines and imagery runs), in
        run order, 1-Hz high-passed, the 20 %% most contaminated of each run
        rejected (see :func:`make_clean_bank`).
    ch_names : array of str, shape (n,)
        The 10-20 site of each window.

    Raises
    ------
    FileNotFoundError
        If no run of the subject is in the data folder.
    """
    root = _dataset_dir("physionet_eegmmidb", path)
    present = _eegmmidb_runs_present(root, int(subject))
    runs = [r for r in _EEGMMIDB_CLEAN_RUNS if r in present]
    if not runs:
        raise FileNotFoundError(
            f"No EEGMMIDB run of subject {subject} in {root} (subjects "
            f"present: {_eegmmidb_subjects_present(root)}). Pass subjects "
            f"that exist."
        )
    windows, names = [], []
    for run in runs:
        raw = read_eegmmidb(subject, (run,), path=path, verbose=verbose)
        if preprocess is not None:
            raw = preprocess(raw)
        w, ch = _windows_from_inst(
            raw, list(_EEGMMIDB_CLEAN_CHANNELS), exclude_frontal=True,
            reject_fraction=_CLEAN_REJECT, window_s=window_s, sfreq=sfreq,
            l_freq=1.0, h_freq=None)
        windows.append(w)
        names.append(ch)
    return np.concatenate(windows), np.concatenate(names).astype(str)


@fill_doc
def make_clean_bank(
    *,
    subjects=range(1, 11),
    sfreq=MODEL_SFREQ,
    window_s=2.0,
    include_eeglab=True,
    path=None,
    verbose=None,
):
    """Build the bank of clean EEG segments from the shared recordings.

    EEGMMIDB
        For each subject, every run present among the baselines (R01, R02)
        and the imagery runs (R04/R08/R12, R06/R10/R14) is read on its own
        and passed through :func:`clean_bank_from_mne` with a 1-Hz
        high-pass (no low-pass), 20 %% of the windows rejected as most
        contaminated, and only the 18 10-20 sites ``F7, F3, Fz, F4, F8,
        T7, C3, Cz, C4, T8, P7, P3, Pz, P4, P8, O1, Oz, O2`` (no Fp/AF
        channels: blinks). Neighbouring channels of the 64-channel cap are
        nearly duplicates, and all 64 would give ~100k segments (~400 MB).
        One group per subject. EEGMMIDB is sampled at 160 Hz, so after
        resampling to 256 Hz the segments hold nothing above 80 Hz.
    EEGLAB sample (``include_eeglab``)
        The 29 EEG channels that are not frontal (``FPz`` and the EOG
        channels excluded), cut into the 3-s blocks it was built from (so no
        window crosses a splice), each block linearly detrended (3 s is too
        short for a 1-Hz FIR high-pass), one 2-s window per block (the
        first ``window_s`` of it), 20 %% rejected as above. One group. It is
        sampled at 128 Hz, so nothing above 64 Hz.

    Parameters
    ----------
    subjects : iterable of int
        EEGMMIDB subjects (the shared copy holds 1-10).
    sfreq : float
        Sampling frequency of the segments in Hz.
    window_s : float
        Segment length in seconds (at most 3 s with ``include_eeglab``).
    include_eeglab : bool
        Whether to add the EEGLAB sample.
    %(shared_path)s
    %(verbose_mne)s

    Returns
    -------
    bank : SegmentBank
        Kind ``"eeg"``; about 34,500 segments with the defaults (about 4 s
        to build on 2 CPU cores).
    """
    window_s, sfreq = _check_window(window_s, sfreq)
    banks = []
    for subject in subjects:
        windows, _ = _eegmmidb_clean_windows(subject, sfreq=sfreq,
                                            window_s=window_s, path=path,
                                            verbose=verbose)
        # one group per subject, not per run
        banks.append(SegmentBank(windows, sfreq,
                                 np.zeros(len(windows), dtype=np.int64), "eeg",
                                 (f"physionet_eegmmidb S{int(subject):03d}",)))
    if include_eeglab:
        if window_s > _EEGLAB_SPLICE_S:
            raise ValueError(
                f"window_s must be at most {_EEGLAB_SPLICE_S:g} s to cut the "
                f"EEGLAB sample between its splices, got {window_s:g}. Pass "
                f"include_eeglab=False for longer windows."
            )
        raw = read_eeglab_sample(path=path, verbose=verbose)
        raw.pick("eeg", exclude="bads")
        raw.pick([ch for ch in raw.ch_names if not _is_frontal(ch)])
        blocks = _eeglab_blocks(raw.get_data(), raw.info["sfreq"])
        windows, _, ch = _segment(
            [(b, raw.info["sfreq"]) for b in blocks], window_s=window_s,
            sfreq_out=sfreq, step_s=_EEGLAB_SPLICE_S,
        )  # fmt: skip
        keep = _reject_most_contaminated(windows, ch, _CLEAN_REJECT)
        banks.append(
            SegmentBank(
                windows[keep],
                sfreq,
                np.zeros(len(keep), dtype=np.int64),
                "eeg",
                ("eeglab_sample",),
            )
        )
    if not banks:
        raise ValueError(
            "subjects is empty and include_eeglab is False: nothing to load."
        )
    return SegmentBank.concatenate(banks)


def _keep_active(kind, windows, unit, ch):
    """Boolean mask of artifact windows that carry artifact activity.

    EOG: peak-to-peak >= 2 x the 10th percentile of the same channel of
    the same recording (``unit``; its quiet background). EMG: RMS >= 5 µV.
    """
    if not len(windows):
        return np.zeros(0, dtype=bool)
    if kind == "emg":
        return np.sqrt(np.mean(windows**2, axis=1)) >= _EMG_MIN_RMS
    ptp = np.ptp(windows, axis=1)
    keep = np.zeros(len(windows), dtype=bool)
    pairs = unit.astype(np.int64) * (ch.max() + 1) + ch
    for p in np.unique(pairs):
        m = pairs == p
        keep[m] = ptp[m] >= _EOG_ACTIVITY_FACTOR * np.percentile(ptp[m], 10)
    return keep


def _bank_from_recordings(
    kind, recordings, groups, *, window_s, sfreq, step_s=None, band=None
):
    """Segment (data, sfreq) recordings, keep active windows, build a bank."""
    lo, hi = ARTIFACT_BANDS[kind] if band is None else band
    windows, rec, ch = _segment(
        recordings, window_s=window_s, sfreq_out=sfreq, l_freq=lo, h_freq=hi,
        step_s=step_s,
    )  # fmt: skip
    groups = np.asarray(groups, dtype=np.int64)
    # Activity statistics are taken per group (a recording, or all blocks
    # of one recording), so pieces of one recording share one background.
    keep = _keep_active(kind, windows, groups[rec], ch)
    return windows[keep], groups[rec[keep]]


def _somach_bursts(path, *, window_s, sfreq, rng):
    """Somach recordings as zero-padded bursts inside windows (see docs)."""
    records = [
        r
        for r in _somach_records(path)
        if not r["clipped"]
        and "Covert" not in r["phase"]
        and r["label"] in _SOMACH_LABELS
        and r["data"].shape[1] >= _SOMACH_MIN_S * r["sfreq"]
    ]
    n_win = int(round(window_s * sfreq))
    folders = sorted({r["folder"] for r in records})
    windows, groups = [], []
    lo, hi = ARTIFACT_BANDS["emg"]
    for r in records:
        # The EMG band, as every other source gets it (zero-phase IIR: the
        # bursts are too short for a sharp FIR); its low-pass only where it
        # is below the margin to Nyquist.
        nyq = r["sfreq"] / 2.0
        x = mne.filter.filter_data(
            r["data"], r["sfreq"], lo, hi if hi < NYQUIST_MARGIN * nyq else None,
            method="iir", verbose=False)
        x = resample(x, *resample_ratio(r["sfreq"], sfreq))
        x = x[:, :n_win]  # longer than the window: keep its start
        n = x.shape[1]
        n_taper = min(int(round(_SOMACH_TAPER_S * sfreq)), n // 2)
        taper = np.ones(n)
        ramp = 0.5 * (1 - np.cos(np.pi * np.arange(n_taper) / n_taper))
        taper[:n_taper], taper[n - n_taper :] = ramp, ramp[::-1]
        start = rng.randint(0, n_win - n + 1)
        w = np.zeros((x.shape[0], n_win))
        w[:, start : start + n] = (x - x.mean(axis=1, keepdims=True)) * taper
        windows.append(w - w.mean(axis=1, keepdims=True))
        groups += [folders.index(r["folder"])] * x.shape[0]
    if not windows:
        return np.zeros((0, n_win)), np.zeros(0, np.int64)
    return np.concatenate(windows), np.asarray(groups, dtype=np.int64)


def _real_artifact_bank(kind, source, *, window_s, sfreq, path, rng):
    """Bank of one real source; groups as documented in make_artifact_bank."""
    dataset = _SOURCE_DATASET[source]
    if kind == "emg" and source == "somach":
        data, groups = _somach_bursts(path, window_s=window_s, sfreq=sfreq, rng=rng)
        return SegmentBank(data, sfreq, groups, kind, (dataset,))
    if kind == "emg" and source == "uci":
        records = _uci_records(path)
        subjects = sorted({s for _, s, _ in records}, key=_natural_key)
        recs = [(x, 1000.0) for _, _, x in records]
        groups = [subjects.index(s) for _, s, _ in records]
        data, g = _bank_from_recordings(
            kind, recs, groups, window_s=window_s, sfreq=sfreq
        )
        return SegmentBank(data, sfreq, g, kind, (dataset,))
    loader = load_eog_recordings if kind == "eog" else load_emg_recordings
    recordings = loader(source, path=path)
    if source == "eeglab":
        # Cut at the 3-s splices; no high-pass (3-s pieces are too short
        # for a 0.3-Hz FIR filter; the blocks are detrended instead).
        ((x, fs, _),) = recordings
        blocks = _eeglab_blocks(x, fs)
        data, g = _bank_from_recordings(
            kind, [(b, fs) for b in blocks], np.zeros(len(blocks)),
            window_s=window_s, sfreq=sfreq, step_s=_EEGLAB_SPLICE_S,
            band=(None, ARTIFACT_BANDS[kind][1]),
        )  # fmt: skip
        return SegmentBank(data, sfreq, g, kind, (dataset,))
    recs = [(x, fs) for x, fs, _ in recordings]
    data, g = _bank_from_recordings(
        kind, recs, np.arange(len(recs)), window_s=window_s, sfreq=sfreq
    )
    return SegmentBank(data, sfreq, g, kind, (dataset,))


@fill_doc
def make_artifact_bank(
    kind,
    *,
    sfreq=MODEL_SFREQ,
    window_s=2.0,
    sources="default",
    path=None,
    random_state=None,
):
    """Build a bank of EOG or EMG artifact segments from the shared data.

    Every real source goes through :func:`segment_signals`' pipeline
    (band-pass, resampling, non-overlapping windows, demeaning), then only
    windows that carry artifact activity are kept, because a quiet window
    scaled up to a target SNR would teach the network that amplifier noise
    or background EEG is the artifact:

    - EOG: band 0.3-10 Hz (see :func:`artifact_bank_from_mne` for why);
      a window is kept if its peak-to-peak amplitude is at least 2 times
      the 10th percentile of the same channel of the same recording (its
      quiet background).
    - EMG: band 20-120 Hz (EEGdenoiseNet's is 1-120 Hz, see
      :data:`mne_denoise._protocol.ARTIFACT_BANDS`); a window is kept if its RMS is
      at least 5 µV (in the units each loader assumes).

    Sources (``kind="eog"``; default ``klados, neurokit, eyetrack,
    eeglab``):

    - ``klados``: one group per record (the 54 records may come from fewer
      subjects; the source does not say).
    - ``neurokit``, ``eyetrack``, ``eeglab``: one group each. EEGLAB's EOG is
      cut at its 3-s splices (one window per block, detrended, low-pass
      only).
    - ``cosleep`` (not default): a consumer-grade sleep recording whose EOG
      is dominated by large slow excursions and noise.
    - ``simulated`` (not default): :func:`simulate_eog` segments.

    Sources (``kind="emg"``; default ``uci, biosppy, somach, simulated``):

    - ``uci``: leg surface EMG, one group per subject (3 tasks each).
    - ``biosppy``: both files, one group each (the activity threshold drops
      nearly all of ``emg.txt``, which is mostly rest).
    - ``somach``: real facial EMG but short (mostly ~1 s) and band-limited
      by its hardware to 0.5-40 Hz, so it covers the low part of muscle
      artifacts only. Used without filtering (besides removing each
      recording's offset): overt, whispered, mouthed and exaggerated speech
      of the four words (no covert speech, silence or noise classes), at
      least 1 s long, not clipped; each recording is resampled, its
      first ``window_s`` at most kept, tapered with 50-ms half-cosine
      ramps and placed at a random offset in an otherwise zero window (a
      muscle burst in a quiet window). One group per session folder.
    - ``simulated``: :func:`simulate_emg` bursts (20-120 Hz carrier) as
      filler, 20 %% of the final bank, in groups of 32 segments (distinct
      from the real groups). Alone, 1000 segments.
    - ``needle`` (not default): intramuscular needle EMG, spiky motor-unit
      potentials with most power above 250 Hz; not a scalp artifact.
    - ``cosleep`` (not default): chin EMG sampled at 125 Hz (nothing above
      62.5 Hz) and mostly quiet.

    Parameters
    ----------
    kind : ``"eog"`` | ``"emg"``
        The artifact.
    sfreq : float
        Sampling frequency of the segments in Hz.
    window_s : float
        Segment length in seconds.
    sources : ``"default"`` | ``"all"`` | str | list of str
        Sources to use, see above; ``"all"`` means every source of
        ``kind`` including ``"simulated"``.
    %(shared_path)s
    random_state : None | int | instance of RandomState
        Seed of the simulated filler and of the Somach burst offsets.

    Returns
    -------
    bank : SegmentBank
        Kind ``kind``; groups are distinct across sources. With the
        defaults about 1,100 EOG or 3,800 EMG segments (about 1 s).
    """
    _check_option("kind", kind, ("eog", "emg"))
    window_s, sfreq = _check_window(window_s, sfreq)
    allowed = (_EOG_SOURCES if kind == "eog" else _EMG_SOURCES) + ("simulated",)
    if isinstance(sources, str) and sources == "default":
        sources = _DEFAULT_SOURCES[kind]
    sources = _resolve_sources(sources, allowed, kind.upper())
    rng = check_random_state(random_state)
    banks = [
        _real_artifact_bank(kind, s, window_s=window_s, sfreq=sfreq, path=path, rng=rng)
        for s in sources
        if s != "simulated"
    ]
    if "simulated" in sources:
        n_real = sum(len(b) for b in banks)
        n_sim = (
            int(round(n_real * _SIM_SHARE / (1 - _SIM_SHARE))) if banks else _SIM_ALONE
        )
        n_times = int(round(window_s * sfreq))
        if n_sim:
            simulate = simulate_emg if kind == "emg" else simulate_eog
            data = simulate(n_sim, n_times, sfreq, random_state=rng)
            groups = np.arange(n_sim) // _SIM_GROUP_SIZE
            banks.append(SegmentBank(data, sfreq, groups, kind, ("simulated",)))
    return SegmentBank.concatenate(banks)


@fill_doc
def make_benchmark_pools(
    *,
    sfreq=MODEL_SFREQ,
    window_s=2.0,
    fractions=(0.8, 0.1, 0.1),
    random_state=0,
    path=None,
    max_segments=None,
):
    """Build the clean, EOG and EMG banks and split each by recording.

    Parameters
    ----------
    sfreq : float
        Sampling frequency of the segments in Hz.
    window_s : float
        Segment length in seconds.
    fractions : sequence of float
        Target fractions of the parts (train, validation, test by default),
        see :meth:`SegmentBank.split`.
    random_state : None | int | instance of RandomState
        Seed of the splits, the simulated EMG filler and the subsampling.
    %(shared_path)s
    max_segments : int | None
        If given, each part is subsampled (seeded, without replacement,
        order kept) to at most this many segments, for quick runs.

    Returns
    -------
    pools : dict
        ``{"eeg": parts, "eog": parts, "emg": parts}``, each ``parts`` a
        tuple of :class:`SegmentBank` (one per fraction) that share no
        group. Built from :func:`make_clean_bank` and
        :func:`make_artifact_bank` with their defaults.
    """
    if max_segments is not None:
        max_segments = _check_int(max_segments, "max_segments", minimum=1)
    rng = check_random_state(random_state)
    seeds = rng.randint(0, 2**31 - 1, size=(3, 3))  # (kind, [bank, split, subsample])
    banks = {
        "eeg": make_clean_bank(
            sfreq=sfreq, window_s=window_s, path=path, verbose=False
        ),
        "eog": make_artifact_bank(
            "eog", sfreq=sfreq, window_s=window_s, path=path, random_state=seeds[1, 0]
        ),
        "emg": make_artifact_bank(
            "emg", sfreq=sfreq, window_s=window_s, path=path, random_state=seeds[2, 0]
        ),
    }
    pools = {}
    for k, (kind, bank) in enumerate(banks.items()):
        parts = bank.split(fractions, random_state=seeds[k, 1])
        if max_segments is not None:
            sub = check_random_state(seeds[k, 2])
            parts = tuple(_at_most(p, max_segments, sub) for p in parts)
        pools[kind] = parts
    return pools


def _at_most(bank, n, rng):
    """A seeded subset of at most ``n`` segments, in the bank's order."""
    if len(bank) <= n:
        return bank
    return bank.subset(np.sort(rng.choice(len(bank), n, replace=False)))


def _unseen_eegmmidb_subjects(path=None):
    """The EEGMMIDB subjects present beyond the training subjects."""
    root = _dataset_dir("physionet_eegmmidb", path)
    subjects = [s for s in _eegmmidb_subjects_present(root)
                if s not in _TRAINING_SUBJECTS]
    if not subjects:
        raise FileNotFoundError(
            f"No EEGMMIDB subject beyond the training subjects 1-10 in {root}: "
            f"the unseen-source test needs at least one (subjects present: "
            f"{_eegmmidb_subjects_present(root)}).")
    return subjects


@fill_doc
def make_unseen_pools(*, sfreq=MODEL_SFREQ, window_s=2.0, random_state=0,
                      path=None, max_segments=None):
    """Build the unseen-source test pools (:data:`UNSEEN_SOURCES`).

    Whole sources that :func:`make_benchmark_pools`' splits never draw from:
    a model trained on any of its parts (the shipped weights included) has
    never seen these recordings, devices or subjects, so they measure how it
    does on a new lab's data.

    Parameters
    ----------
    sfreq : float
        Sampling frequency of the segments in Hz.
    window_s : float
        Segment length in seconds.
    random_state : None | int | instance of RandomState
        Seed of the EMG sources' windowing and of the subsampling.
    %(shared_path)s
    max_segments : int | None
        If given, each pool is subsampled (seeded, order kept) to at most
        this many segments.

    Returns
    -------
    pools : dict
        ``{"eeg": bank, "eeg_device": bank, "eog": bank, "emg": bank}`` of
        :class:`SegmentBank`. ``eeg`` holds the EEGMMIDB subjects present
        beyond the training subjects (preprocessed as
        :func:`make_clean_bank` does); ``eeg_device`` another device's clean
        EEG, the OpenBCI sample's quiet stretch (1-Hz high-pass, non-frontal
        channels, 20 %% most contaminated windows rejected; about 130
        segments).

    Raises
    ------
    FileNotFoundError
        If a source's recordings are not in the data folder.
    """
    if max_segments is not None:
        max_segments = _check_int(max_segments, "max_segments", minimum=1)
    rng = check_random_state(random_state)
    seeds = rng.randint(0, 2**31 - 1, size=4)
    subjects = _unseen_eegmmidb_subjects(path)
    raw = read_openbci_blinks(path=path, verbose=False)
    raw.crop(*_OPENBCI_QUIET_S)
    # Its mains (60 Hz and the harmonic) hold ~97 % of the power: removed,
    # as a user would before cleaning.
    raw.notch_filter([60.0, 120.0], verbose=False)
    device = clean_bank_from_mne(
        raw, picks=[c for c in raw.ch_names if not c.startswith("Fp")],
        window_s=window_s, sfreq=sfreq, l_freq=1.0, h_freq=None,
        reject_fraction=_CLEAN_REJECT, exclude_frontal=True)
    device.sources = ("openbci_blinks_jaw_alpha",)
    pools = {"eeg": make_clean_bank(subjects=subjects, sfreq=sfreq,
                                    window_s=window_s, include_eeglab=False,
                                    path=path, verbose=False),
             "eeg_device": device}
    for k, kind in enumerate(("eog", "emg"), start=1):
        pools[kind] = make_artifact_bank(kind, sources=list(UNSEEN_SOURCES[kind]),
                                         sfreq=sfreq, window_s=window_s,
                                         path=path, random_state=seeds[k])
    if max_segments is not None:
        sub = check_random_state(seeds[3])
        pools = {k: _at_most(b, max_segments, sub) for k, b in pools.items()}
    return pools

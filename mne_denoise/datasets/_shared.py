# License: BSD-3-Clause
"""Loaders for the real recordings kept next to the repository (shared data).

The recordings live in ``<shared>/data/<dataset>/`` (one folder per data set,
each with a ``PROVENANCE.md`` that states units, rates and caveats). They are
never copied into the package; :func:`get_shared_data_path` finds them.

Two layers:

- readers that return MNE objects or plain arrays in volts
  (:func:`read_eegmmidb`, :func:`load_motor_imagery`,
  :func:`read_eeglab_sample`, :func:`read_openbci_cosleep`,
  :func:`read_openbci_blinks`, :func:`load_eog_recordings`,
  :func:`load_emg_recordings`);
- bank builders that turn them into :class:`SegmentBank` objects for the
  semi-synthetic protocol (:func:`make_clean_bank`,
  :func:`make_artifact_bank`, :func:`make_benchmark_pools`).

Nothing is cached on disk; everything is rebuilt from the files in seconds.
"""

import os
import re
from pathlib import Path

import mne
import numpy as np
from scipy.io import loadmat
from scipy.signal import detrend, resample_poly
from sklearn.utils import check_random_state

from .._protocol import MODEL_SFREQ
from ._banks import (
    SegmentBank,
    _reject_most_contaminated,
    _resample_ratio,
    _segment,
    clean_bank_from_mne,
)
from ._simulate import simulate_emg, simulate_eog

__all__ = [
    "get_shared_data_path",
    "load_emg_recordings",
    "load_eog_recordings",
    "load_motor_imagery",
    "make_artifact_bank",
    "make_benchmark_pools",
    "make_clean_bank",
    "read_eeglab_sample",
    "read_eegmmidb",
    "read_openbci_blinks",
    "read_openbci_cosleep",
]

_ENV_VAR = "MNE_DENOISE_SHARED"
_DATASETS = (
    "abbrash_eyetrack_eog_250hz",
    "biosppy_emg_examples_1khz",
    "eeglab_sample",
    "klados_semisim_eog_refs",
    "neurokit_eog_200hz",
    "openbci_blinks_jaw_alpha",
    "openbci_cosleep_psg_eog_emg",
    "physionet_eegmmidb",
    "physionet_emgdb_needle_4khz",
    "somach_submental_semg_250hz",
    "uci_lower_limb_emg_1khz",
)

_EOG_SOURCES = ("klados", "neurokit", "eyetrack", "eeglab", "cosleep")
_EMG_SOURCES = ("uci", "biosppy", "somach", "needle", "cosleep")
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
    "uci": "uci_lower_limb_emg_1khz",
    "biosppy": "biosppy_emg_examples_1khz",
    "somach": "somach_submental_semg_250hz",
    "needle": "physionet_emgdb_needle_4khz",
    "simulated": "simulated",
}

#: Band (Hz) of the artifact banks built here (see make_artifact_bank).
_BANDS = {"eog": (0.3, 10.0), "emg": (1.0, 120.0)}
#: 10-20 positions (no Fp, plus Oz) used from the 64-channel EEGMMIDB cap.
_EEGMMIDB_CLEAN_CHANNELS = (
    "F7", "F3", "Fz", "F4", "F8", "T7", "C3", "Cz", "C4",
    "T8", "P7", "P3", "Pz", "P4", "P8", "O1", "Oz", "O2",
)  # fmt: skip
#: Runs used for the clean bank: baselines (1, 2) and the imagery runs.
_EEGMMIDB_CLEAN_RUNS = (1, 2, 4, 6, 8, 10, 12, 14)
#: The EEGLAB sample was built from 3-s epochs; windows must not cross them.
_EEGLAB_SPLICE_S = 3.0
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
#: Somach: nominal volts per ADC count (12-bit, 3.3 V, AD8232 module gain
#: 1100) -- uncalibrated, an assumption; the ADC rails; what is kept.
_SOMACH_V_PER_COUNT = 3.3 / 4096 / 1100
_SOMACH_RAILS = (0, 4095)
_SOMACH_LABELS = ("UP", "DOWN", "LEFT", "RIGHT")
_SOMACH_MIN_S = 1.0
_SOMACH_TAPER_S = 0.05


def _builtin_montage(kind):
    """Return the 10-20 or 10-05 template montage under its current name.

    MNE 1.13 renamed ``standard_1020``/``standard_1005`` to ``colin27_*``
    (the old names warn); older MNE only knows the old names.
    """
    name = f"colin27_{kind}"
    if name not in mne.channels.get_builtin_montages():
        name = f"standard_{kind}"
    return mne.channels.make_standard_montage(name)


def _looks_like_data_dir(p):
    return p.is_dir() and any((p / d).is_dir() for d in _DATASETS)


def get_shared_data_path(path=None):
    """Find the folder that holds the shared data sets.

    Parameters
    ----------
    path : path-like | None
        Explicit location: the folder that contains the data set folders
        (``.../shared/data``) or its parent (``.../shared``). When given,
        nothing else is tried.

    Returns
    -------
    path : pathlib.Path
        The resolved ``.../shared/data`` folder.

    Notes
    -----
    Without ``path``, these are tried in order:

    1. the environment variable ``MNE_DENOISE_SHARED`` (same meaning as
       ``path``);
    2. ``../shared/data`` relative to the current working directory;
    3. ``../shared/data`` relative to the repository that holds this
       package's source.
    """
    if path is not None:
        candidates = [("path", Path(path).expanduser())]
    else:
        candidates = []
        if os.environ.get(_ENV_VAR):
            candidates.append((_ENV_VAR, Path(os.environ[_ENV_VAR]).expanduser()))
        candidates.append(("working directory", Path.cwd() / ".." / "shared" / "data"))
        repo = Path(__file__).resolve().parents[2]
        candidates.append(("package repository", repo / ".." / "shared" / "data"))
    for _, cand in candidates:
        for p in (cand, cand / "data"):
            if _looks_like_data_dir(p):
                return p.resolve()
    tried = "; ".join(f"{how}: {p}" for how, p in candidates)
    raise FileNotFoundError(
        f"Could not find the shared data folder (tried {tried}). Point the "
        f"environment variable {_ENV_VAR} (or the path argument) at the "
        f"folder that contains the data set folders, e.g. .../shared/data."
    )


def _dataset_dir(name, path):
    root = get_shared_data_path(path)
    d = root / name
    if not d.is_dir():
        raise FileNotFoundError(
            f"The data set folder {name!r} is missing from {root}. Restore it "
            f"or point {_ENV_VAR} at a complete shared data folder."
        )
    return d


def _demean(x):
    x = np.asarray(x, dtype=np.float64)
    return x - x.mean(axis=-1, keepdims=True)


# ----------------------------------------------------------------------------
# MNE readers


def _eegmmidb_runs_present(root, subject):
    sub = root / f"S{subject:03d}"
    return sorted(
        int(m.group(1))
        for f in sub.glob(f"S{subject:03d}R*.edf")
        if (m := re.fullmatch(rf"S{subject:03d}R(\d\d)\.edf", f.name))
    )


def _eegmmidb_subjects_present(root):
    return sorted(int(d.name[1:]) for d in root.glob("S[0-9][0-9][0-9]") if d.is_dir())


def read_eegmmidb(subject=1, runs=(6, 10, 14), *, path=None, verbose=None):
    """Read PhysioNet EEGMMIDB (EEG Motor Movement/Imagery) runs.

    64 EEG channels at 160 Hz, in volts (Schalk et al. 2004; PhysioNet,
    ODC-By 1.0). Runs 4/8/12 are left- vs right-fist imagery, runs 6/10/14
    both-fists vs both-feet imagery, runs 1/2 one-minute baselines (eyes
    open/closed). The shared copy holds subjects 1-10, runs 4/8/12 for all,
    plus 1/2/6/10/14 for subject 1 and 6/10/14 for subject 4.

    Parameters
    ----------
    subject : int
        Subject number (1-109 in the full database).
    runs : int | sequence of int
        Runs to read, concatenated in this order.
    path : path-like | None
        Shared data folder, see :func:`get_shared_data_path`.
    verbose : bool | str | int | None
        MNE verbosity.

    Returns
    -------
    raw : instance of mne.io.Raw
        Preloaded; channel names standardized with
        :func:`mne.datasets.eegbci.standardize` (``Fc5.`` -> ``FC5``) and the
        10-05 template montage set. Concatenated runs are separated by
        ``BAD boundary``/``EDGE boundary`` annotations.
    """
    from mne.datasets import eegbci

    root = _dataset_dir("physionet_eegmmidb", path)
    runs = [runs] if isinstance(runs, int | np.integer) else list(runs)
    if not runs:
        raise ValueError("runs must name at least one run, got none.")
    present = _eegmmidb_runs_present(root, int(subject))
    missing = [r for r in runs if r not in present]
    if missing:
        raise FileNotFoundError(
            f"Subject {subject} has no run(s) {missing} in {root} (runs "
            f"present: {present or 'none'}; subjects present: "
            f"{_eegmmidb_subjects_present(root)}). Choose runs that exist."
        )
    fnames = [root / f"S{subject:03d}" / f"S{subject:03d}R{r:02d}.edf" for r in runs]
    raws = [mne.io.read_raw_edf(f, preload=True, verbose=verbose) for f in fnames]
    raw = raws[0] if len(raws) == 1 else mne.concatenate_raws(raws, verbose=verbose)
    eegbci.standardize(raw)
    raw.set_montage(_builtin_montage("1005"), verbose=verbose)
    return raw


_HANDS_FEET_RUNS = {5, 6, 9, 10, 13, 14}
_LEFT_RIGHT_RUNS = {3, 4, 7, 8, 11, 12}


def load_motor_imagery(
    subject=1,
    runs=(6, 10, 14),
    *,
    tmin=0.5,
    tmax=3.5,
    l_freq=7.0,
    h_freq=30.0,
    path=None,
    verbose=None,
):
    """Load EEGMMIDB motor-imagery epochs (two classes) for decoding.

    Parameters
    ----------
    subject : int
        Subject number. Subject 1 (runs 6/10/14) and subjects 2 and 7 (runs
        4/8/12) decode well with CSP + LDA; most others are near chance on
        left vs right (see the data's PROVENANCE.md).
    runs : sequence of int
        Task runs, all from one task family: 4/8/12 (and executed 3/7/11),
        left vs right fist, or 6/10/14 (and executed 5/9/13), both fists vs
        both feet.
    tmin, tmax : float
        Epoch window relative to the cue onsets, in seconds.
    l_freq, h_freq : float | None
        Band-pass applied to the continuous data before epoching (FIR,
        ``skip_by_annotation="edge"``); both ``None`` skips filtering.
    path : path-like | None
        Shared data folder, see :func:`get_shared_data_path`.
    verbose : bool | str | int | None
        MNE verbosity.

    Returns
    -------
    epochs : instance of mne.Epochs
        EEG channels only, preloaded, no baseline correction. Event ids are
        those of MNE's examples (``T1`` -> 2, ``T2`` -> 3) with meaningful
        names: ``{"hands": 2, "feet": 3}`` or ``{"left": 2, "right": 3}``.
    """
    runs = [runs] if isinstance(runs, int | np.integer) else list(runs)
    if set(runs) <= _HANDS_FEET_RUNS:
        event_id = {"hands": 2, "feet": 3}
    elif set(runs) <= _LEFT_RIGHT_RUNS:
        event_id = {"left": 2, "right": 3}
    else:
        raise ValueError(
            f"runs must all come from one task family, 3/4/7/8/11/12 (left vs "
            f"right fist) or 5/6/9/10/13/14 (hands vs feet), got {runs}."
        )
    raw = read_eegmmidb(subject, runs, path=path, verbose=verbose)
    if l_freq is not None or h_freq is not None:
        raw.filter(
            l_freq, h_freq, fir_design="firwin", skip_by_annotation="edge",
            verbose=verbose,
        )  # fmt: skip
    events, _ = mne.events_from_annotations(
        raw, event_id=dict(T1=2, T2=3), verbose=verbose
    )
    return mne.Epochs(
        raw,
        events,
        event_id,
        tmin=tmin,
        tmax=tmax,
        picks="eeg",
        baseline=None,
        preload=True,
        verbose=verbose,
    )


def read_eeglab_sample(*, path=None, verbose=None):
    """Read EEGLAB's tutorial sample data set (32 channels, 128 Hz, 238 s).

    Continuous EEG from a visual attention task (Makeig et al. 1999), common
    reference, with embedded channel locations. ``EOG1`` and ``EOG2`` are
    real EOG electrodes and are typed ``eog`` here. Caveat: the file was
    built by concatenating 3-s epochs, so there are small steps every 3 s
    (384 samples); :func:`make_clean_bank` cuts its windows inside them.

    Parameters
    ----------
    path : path-like | None
        Shared data folder, see :func:`get_shared_data_path`.
    verbose : bool | str | int | None
        MNE verbosity.

    Returns
    -------
    raw : instance of mne.io.Raw
        Preloaded, in volts, with 80 ``square`` and 74 ``rt`` annotations.
    """
    d = _dataset_dir("eeglab_sample", path)
    raw = mne.io.read_raw_eeglab(d / "eeglab_data.set", preload=True, verbose=verbose)
    raw.set_channel_types({"EOG1": "eog", "EOG2": "eog"}, verbose=verbose)
    return raw


def read_openbci_cosleep(*, path=None, verbose=None):
    """Read a short OpenBCI sleep (PSG-style) recording with EOG/EMG channels.

    MNE's test file ``multiple_annotation_chans.bdf``: 19 channels at 125 Hz,
    247 s, consumer-grade and noisy (frontal/parietal EEG channels carry
    large spikes). Channel types are set as stated in its PROVENANCE.md:
    ``EOG`` -> eog, ``EMG`` -> emg, ``ECG`` -> ecg, ``acc1-3`` -> misc,
    ``Trigger`` stays stim; the remaining channels (A1, A2, C3, C4, F3, Fz,
    F4, P3, Pz, P4, O1, O2) are EEG with the 10-20 template montage. The
    ECG channel is all zeros and is marked bad.

    Parameters
    ----------
    path : path-like | None
        Shared data folder, see :func:`get_shared_data_path`.
    verbose : bool | str | int | None
        MNE verbosity.

    Returns
    -------
    raw : instance of mne.io.Raw
        Preloaded, in volts.
    """
    d = _dataset_dir("openbci_cosleep_psg_eog_emg", path)
    raw = mne.io.read_raw_bdf(
        d / "multiple_annotation_chans.bdf", preload=True, verbose=verbose
    )
    raw.set_channel_types(
        {"EOG": "eog", "EMG": "emg", "ECG": "ecg", "acc1": "misc", "acc2": "misc",
         "acc3": "misc"},
        on_unit_change="ignore",  # acc* are not in volts: expected
        verbose=verbose,
    )  # fmt: skip
    raw.info["bads"] = ["ECG"]
    raw.set_montage(_builtin_montage("1020"), verbose=verbose)
    return raw


#: Assumed electrode sites of the OpenBCI GUI sample (the GUI's default).
_OPENBCI_BLINK_CHANNELS = ("Fp1", "Fp2", "C3", "C4", "P7", "P8", "O1", "O2")


def read_openbci_blinks(*, path=None, verbose=None):
    """Read the OpenBCI GUI sample with blinks, jaw clenches and alpha.

    8-channel Cyton recording at 250 Hz, about 90 s, no event markers. The
    file stores µV with DC offsets of up to ±60 mV; each channel's mean is
    removed here and the data are converted to volts. The file names no
    channels: the sites are **assumed** to be the OpenBCI GUI's default
    Cyton layout ``Fp1, Fp2, C3, C4, P7, P8, O1, O2``. By inspection (not
    annotated), blinks are at about 0-20 s and 75-90 s and jaw EMG
    (25-45 Hz bursts) at about 5-15 s and 80-90 s.

    Parameters
    ----------
    path : path-like | None
        Shared data folder, see :func:`get_shared_data_path`.
    verbose : bool | str | int | None
        MNE verbosity.

    Returns
    -------
    raw : instance of mne.io.Raw
        Eight EEG channels in volts, 10-20 template montage. High-pass it
        before use: removing the mean leaves slow drifts.
    """
    d = _dataset_dir("openbci_blinks_jaw_alpha", path)
    fname = d / "OpenBCI_GUI-v6-blinks-jawClench-alpha.txt"
    # Four '%' header lines and one row of column names precede the data;
    # columns 1-8 are "EXG Channel 0..7" in µV.
    data = np.loadtxt(fname, delimiter=",", skiprows=5, usecols=range(1, 9))
    data = _demean(data.T) * 1e-6
    info = mne.create_info(list(_OPENBCI_BLINK_CHANNELS), 250.0, "eeg")
    raw = mne.io.RawArray(data, info, verbose=verbose)
    raw.set_montage(_builtin_montage("1020"), verbose=verbose)
    return raw


# ----------------------------------------------------------------------------
# Artifact recordings as arrays


def _resolve_sources(source, allowed, what):
    if isinstance(source, str):
        source = list(allowed) if source == "all" else [source]
    source = list(source)
    for s in source:
        if s not in allowed:
            raise ValueError(
                f"source must be 'all' or among {list(allowed)} for {what} "
                f"recordings, got {s!r}."
            )
    if not source:
        raise ValueError(f"source must name at least one {what} source, got none.")
    return list(dict.fromkeys(source))


def _eog_klados(path):
    d = _dataset_dir("klados_semisim_eog_refs", path)
    h, v = loadmat(d / "HEOG.mat"), loadmat(d / "VEOG.mat")
    n = len([k for k in h if k.startswith("heog_")])
    out = []
    for k in range(1, n + 1):
        x = np.vstack([h[f"heog_{k}"].ravel(), v[f"veog_{k}"].ravel()])
        out.append((_demean(x) * 1e-6, 200.0, f"klados_semisim_eog_refs record {k}"))
    return out


def _eog_neurokit(path):
    d = _dataset_dir("neurokit_eog_200hz", path)
    x = np.loadtxt(d / "eog_200hz.csv", delimiter=",", skiprows=1).T
    # Units are not documented; the values fit volts (see PROVENANCE.md).
    return [(_demean(x), 200.0, "neurokit_eog_200hz")]


def _eog_eyetrack(path):
    d = _dataset_dir("abbrash_eyetrack_eog_250hz", path)
    m = loadmat(d / "test.mat")
    x = np.vstack([m["A"].ravel(), m["B"].ravel()])
    # Units are not documented; blink amplitudes fit mV (see PROVENANCE.md).
    return [(_demean(x) * 1e-3, 250.0, "abbrash_eyetrack_eog_250hz")]


def _eog_eeglab(path):
    raw = read_eeglab_sample(path=path, verbose=False)
    x = raw.get_data(picks=["EOG1", "EOG2"])
    return [(_demean(x), raw.info["sfreq"], "eeglab_sample EOG1/EOG2")]


def _cosleep(path, ch):
    raw = read_openbci_cosleep(path=path, verbose=False)
    x = raw.get_data(picks=[ch])
    return [(_demean(x), raw.info["sfreq"], f"openbci_cosleep_psg_eog_emg {ch}")]


def load_eog_recordings(source="all", *, path=None):
    """Load real EOG recordings as arrays in volts.

    Parameters
    ----------
    source : str | list of str
        ``"all"`` or any of:

        - ``"klados"``: Klados & Bamidis semi-simulated data set's reference
          EOG, 54 records of HEOG + VEOG (one 2-channel recording each),
          200 Hz, 27-42 s, µV (already band-limited below ~10 Hz).
        - ``"neurokit"``: NeuroKit2's example, hEOG + vEOG, 200 Hz, 300 s;
          units undocumented, values fit volts (DC offset removed).
        - ``"eyetrack"``: EyeTrack toolbox test file, horizontal (``A``) and
          vertical (``B``) EOG, 250 Hz, 52 s; units undocumented, blink
          amplitudes fit mV (converted as such).
        - ``"eeglab"``: EEGLAB sample's ``EOG1``/``EOG2`` (128 Hz, 238 s,
          common reference, so they also carry brain EEG; splices every
          3 s, see :func:`read_eeglab_sample`).
        - ``"cosleep"``: the OpenBCI sleep recording's ``EOG`` channel
          (125 Hz, 247 s, large slow eye movements).

    path : path-like | None
        Shared data folder, see :func:`get_shared_data_path`.

    Returns
    -------
    recordings : list of tuple
        ``(data, sfreq, name)`` per recording: ``data`` of shape
        ``(n_channels, n_times)`` in volts with each channel's mean removed,
        ``sfreq`` in Hz, and a descriptive name.
    """
    loaders = {
        "klados": _eog_klados,
        "neurokit": _eog_neurokit,
        "eyetrack": _eog_eyetrack,
        "eeglab": _eog_eeglab,
        "cosleep": lambda p: _cosleep(p, "EOG"),
    }
    out = []
    for s in _resolve_sources(source, _EOG_SOURCES, "EOG"):
        out.extend(loaders[s](path))
    return out


def _natural_key(key):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", key)]


def _uci_records(path):
    """Yield (key, subject, data (4, n) in V) for the 66 UCI recordings."""
    d = _dataset_dir("uci_lower_limb_emg_1khz", path)
    records = []
    for f in sorted(d.glob("uci_lowerlimb_*.npz")):
        with np.load(f) as z:
            for key in z.files:
                if not key.endswith("_emg"):
                    continue
                e = z[key]
                # -32768 marks missing values (rows at the end of some files).
                e = e[(e != -32768).all(axis=1)]
                name = key[: -len("_emg")]
                subject = re.match(r"\d+[AN]", name).group(0)
                # int16 in units of 1e-4 mV = 1e-7 V.
                records.append((name, subject, _demean(e.T.astype(float) * 1e-7)))
    return sorted(records, key=lambda r: _natural_key(r[0]))


def _emg_uci(path):
    return [
        (x, 1000.0, f"uci_lower_limb_emg_1khz {k}") for k, _, x in _uci_records(path)
    ]


def _emg_biosppy(path):
    d = _dataset_dir("biosppy_emg_examples_1khz", path)
    out = []
    for name in ("emg.txt", "emg_1.txt"):
        raw = np.loadtxt(d / name, comments="#")
        # Assumed 12-bit PLUX sensor: mV = raw * 3.0 / 4096 - 1.5 (the offset
        # disappears with the mean).
        mv = raw * 3.0 / 4096 - 1.5
        out.append(
            (
                _demean(mv[np.newaxis]) * 1e-3,
                1000.0,
                f"biosppy_emg_examples_1khz {name}",
            )
        )
    return out


def _somach_records(path):
    """Return list of dicts with data (2, n) in nominal V and metadata."""
    d = _dataset_dir("somach_submental_semg_250hz", path)
    with np.load(d / "somach_semg_250hz.npz") as z:
        ch1, ch2, off = z["ch1"], z["ch2"], z["offsets"]
        meta = {k: z[k] for k in ("label", "phase", "folder", "filename")}
        fs = float(z["fs"])
    out = []
    for i in range(len(off) - 1):
        a, b = off[i], off[i + 1]
        x = np.vstack([ch1[a:b], ch2[a:b]]).astype(float)
        out.append(
            dict(
                data=_demean(x) * _SOMACH_V_PER_COUNT,
                clipped=bool(np.isin(x, _SOMACH_RAILS).any()),
                sfreq=fs,
                **{k: str(v[i]) for k, v in meta.items()},
            )
        )
    return out


def _emg_somach(path):
    return [
        (
            r["data"],
            r["sfreq"],
            f"somach_submental_semg_250hz {r['folder']}/{r['filename']}",
        )
        for r in _somach_records(path)
        if not r["clipped"] and r["data"].shape[1] > 0
    ]


def _emg_needle(path):
    d = _dataset_dir("physionet_emgdb_needle_4khz", path)
    out = []
    with np.load(d / "emgdb_4khz_int_0.1uV.npz") as z:
        for name in ("emg_healthy", "emg_myopathy", "emg_neuropathy"):
            # int32 in units of 0.1 µV = 1e-7 V.
            x = z[name].astype(float)[np.newaxis] * 1e-7
            out.append(
                (_demean(x), float(z["fs"]), f"physionet_emgdb_needle_4khz {name}")
            )
    return out


def load_emg_recordings(source="all", *, path=None):
    """Load real EMG recordings as arrays in volts.

    Parameters
    ----------
    source : str | list of str
        ``"all"`` or any of:

        - ``"uci"``: UCI "EMG dataset in Lower Limb", 66 recordings (22
          subjects x 3 tasks) of 4 thigh muscles, raw surface EMG at
          1000 Hz, mV in the source; rows with missing values (-32768)
          dropped.
        - ``"biosppy"``: BioSPPy's two example recordings (``emg.txt``,
          mostly rest; ``emg_1.txt``, contractions), 1000 Hz; raw 12-bit
          counts converted with the **assumed** PLUX transfer
          ``mV = raw * 3 / 4096 - 1.5``.
        - ``"somach"``: Somach silent-speech chin/submental EMG, 3934
          two-channel recordings at 250 Hz, mostly about 1 s long (only 3
          reach 2 s), hardware band 0.5-40 Hz. Raw 12-bit counts are scaled
          with a **nominal, uncalibrated** 0.73 µV per count (3.3 V / 4096
          / gain 1100): treat the scale as arbitrary (the mixer rescales to
          the target SNR anyway). Recordings touching the ADC rails are
          dropped; each recording is returned as it is (short ones yield no
          2-s window in :func:`~mne_denoise.datasets.segment_signals`).
        - ``"needle"``: PhysioNet emgdb needle EMG (healthy, myopathy,
          neuropathy), 4000 Hz, intramuscular: not a scalp artifact.
        - ``"cosleep"``: the OpenBCI sleep recording's ``EMG`` channel
          (125 Hz, 247 s, mostly quiet).

    path : path-like | None
        Shared data folder, see :func:`get_shared_data_path`.

    Returns
    -------
    recordings : list of tuple
        ``(data, sfreq, name)`` per recording: ``data`` of shape
        ``(n_channels, n_times)`` in volts with each channel's mean removed,
        ``sfreq`` in Hz, and a descriptive name.
    """
    loaders = {
        "uci": _emg_uci,
        "biosppy": _emg_biosppy,
        "somach": _emg_somach,
        "needle": _emg_needle,
        "cosleep": lambda p: _cosleep(p, "EMG"),
    }
    out = []
    for s in _resolve_sources(source, _EMG_SOURCES, "EMG"):
        out.extend(loaders[s](path))
    return out


# ----------------------------------------------------------------------------
# Banks


def _check_window(window_s, sfreq):
    from ._banks import _check_positive

    window_s = _check_positive("window_s", window_s)
    sfreq = _check_positive("sfreq", sfreq)
    return window_s, sfreq


def _eeglab_blocks(x, sfreq):
    """Cut (n_ch, n_times) EEGLAB sample data at its 3-s splices, detrended."""
    n = int(round(_EEGLAB_SPLICE_S * sfreq))
    n_blocks = x.shape[1] // n
    # A linear detrend per block stands in for the 1-Hz high-pass: a 3-s
    # block is too short for that FIR filter.
    return [detrend(x[:, i * n : (i + 1) * n], axis=-1) for i in range(n_blocks)]


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
        high-pass (no low-pass), 20 % of the windows rejected as most
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
        first ``window_s`` of it), 20 % rejected as above. One group. It is
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
    path : path-like | None
        Shared data folder, see :func:`get_shared_data_path`.
    verbose : bool | str | int | None
        MNE verbosity.

    Returns
    -------
    bank : SegmentBank
        Kind ``"eeg"``; about 34,500 segments with the defaults (about 4 s
        to build on 2 CPU cores).
    """
    window_s, sfreq = _check_window(window_s, sfreq)
    root = _dataset_dir("physionet_eegmmidb", path)
    banks = []
    for subject in subjects:
        present = _eegmmidb_runs_present(root, int(subject))
        runs = [r for r in _EEGMMIDB_CLEAN_RUNS if r in present]
        if not runs:
            raise FileNotFoundError(
                f"No EEGMMIDB run of subject {subject} in {root} (subjects "
                f"present: {_eegmmidb_subjects_present(root)}). Pass subjects "
                f"that exist."
            )
        run_banks = []
        for run in runs:
            raw = read_eegmmidb(subject, (run,), path=path, verbose=verbose)
            run_banks.append(
                clean_bank_from_mne(
                    raw,
                    picks=list(_EEGMMIDB_CLEAN_CHANNELS),
                    window_s=window_s,
                    sfreq=sfreq,
                    l_freq=1.0,
                    h_freq=None,
                    reject_fraction=_CLEAN_REJECT,
                    exclude_frontal=True,
                )
            )
        bank = SegmentBank.concatenate(run_banks)
        bank.groups[:] = 0  # one group per subject, not per run
        bank.sources = (f"physionet_eegmmidb S{int(subject):03d}",)
        banks.append(bank)
    if include_eeglab:
        if window_s > _EEGLAB_SPLICE_S:
            raise ValueError(
                f"window_s must be at most {_EEGLAB_SPLICE_S:g} s to cut the "
                f"EEGLAB sample between its splices, got {window_s:g}. Pass "
                f"include_eeglab=False for longer windows."
            )
        raw = read_eeglab_sample(path=path, verbose=verbose)
        raw.pick("eeg", exclude="bads")
        from ._banks import _is_frontal

        raw.pick([ch for ch in raw.ch_names if not _is_frontal(ch)])
        blocks = _eeglab_blocks(raw.get_data(), raw.info["sfreq"])
        windows, _, ch = _segment(
            [(b, raw.info["sfreq"]) for b in blocks],
            window_s=window_s,
            sfreq_out=sfreq,
            l_freq=None,
            h_freq=None,
            step_s=_EEGLAB_SPLICE_S,
        )
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
    lo, hi = _BANDS[kind] if band is None else band
    windows, rec, ch = _segment(
        [(x, fs) for x, fs in recordings],
        window_s=window_s,
        sfreq_out=sfreq,
        l_freq=lo,
        h_freq=hi,
        step_s=step_s,
    )
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
    for r in records:
        up, down = _resample_ratio(r["sfreq"], sfreq)
        x = resample_poly(r["data"], up, down, axis=-1, padtype="line")
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
            band=(None, _BANDS[kind][1]),
        )  # fmt: skip
        return SegmentBank(data, sfreq, g, kind, (dataset,))
    recs = [(x, fs) for x, fs, _ in recordings]
    data, g = _bank_from_recordings(
        kind, recs, np.arange(len(recs)), window_s=window_s, sfreq=sfreq
    )
    return SegmentBank(data, sfreq, g, kind, (dataset,))


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
    - EMG: band 1-120 Hz (EEGdenoiseNet's); a window is kept if its RMS is
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
      filler, 20 % of the final bank, in groups of 32 segments (distinct
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
    path : path-like | None
        Shared data folder, see :func:`get_shared_data_path`.
    random_state : None | int | instance of RandomState
        Seed of the simulated filler and of the Somach burst offsets.

    Returns
    -------
    bank : SegmentBank
        Kind ``kind``; groups are distinct across sources. With the
        defaults about 1,100 EOG or 3,800 EMG segments (about 1 s).
    """
    from ._banks import _check_option

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
    path : path-like | None
        Shared data folder, see :func:`get_shared_data_path`.
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
        if isinstance(max_segments, bool) or not isinstance(
            max_segments, int | np.integer
        ):
            raise TypeError(
                f"max_segments must be an int or None, got "
                f"{type(max_segments).__name__}."
            )
        if max_segments < 1:
            raise ValueError(f"max_segments must be at least 1, got {max_segments}.")
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
            parts = tuple(
                p.subset(np.sort(sub.choice(len(p), max_segments, replace=False)))
                if len(p) > max_segments
                else p
                for p in parts
            )
        pools[kind] = parts
    return pools

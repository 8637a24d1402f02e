# License: BSD-3-Clause
"""Readers of the shared EEG recordings: MNE objects (or arrays) in volts.

:func:`read_eegmmidb` and the motor-imagery epochs built from it
(:func:`load_motor_imagery`), :func:`read_eeglab_sample`,
:func:`read_openbci_cosleep` and :func:`read_openbci_blinks`. Nothing is
cached on disk; everything is read from the files in seconds.
"""

import re

import mne
import numpy as np
from scipy.signal import detrend

from ..utils._docs import fill_doc
from ._montage import _builtin_montage
from ._paths import _dataset_dir

#: The EEGLAB sample was built from 3-s epochs; windows must not cross them.
_EEGLAB_SPLICE_S = 3.0

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


@fill_doc
def read_eegmmidb(subject=1, runs=(6, 10, 14), *, path=None, verbose=None):
    """Read PhysioNet EEGMMIDB (EEG Motor Movement/Imagery) runs.

    64 EEG channels at 160 Hz, in volts (Schalk et al. 2004; PhysioNet,
    ODC-By 1.0). Runs 4/8/12 are left- vs right-fist imagery, runs 6/10/14
    both-fists vs both-feet imagery, runs 1/2 one-minute baselines (eyes
    open/closed). The project's shared copy holds subjects 1-17, runs
    4/8/12 for all, plus 6/10/14 for subjects 1, 4 and 15 (see its
    PROVENANCE.md).

    Parameters
    ----------
    subject : int
        Subject number (1-109 in the full database).
    runs : int | sequence of int
        Runs to read, concatenated in this order.
    %(shared_path)s
    %(verbose_mne)s

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


@fill_doc
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
    %(shared_path)s
    %(verbose_mne)s

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


@fill_doc
def read_eeglab_sample(*, path=None, verbose=None):
    """Read EEGLAB's tutorial sample data set (32 channels, 128 Hz, 238 s).

    Continuous EEG from a visual attention task (Makeig et al. 1999), common
    reference, with embedded channel locations. ``EOG1`` and ``EOG2`` are
    real EOG electrodes and are typed ``eog`` here. Caveat: the file was
    built by concatenating 3-s epochs, so there are small steps every 3 s
    (384 samples); :func:`make_clean_bank` cuts its windows inside them.

    Parameters
    ----------
    %(shared_path)s
    %(verbose_mne)s

    Returns
    -------
    raw : instance of mne.io.Raw
        Preloaded, in volts, with 80 ``square`` and 74 ``rt`` annotations.
    """
    d = _dataset_dir("eeglab_sample", path)
    raw = mne.io.read_raw_eeglab(d / "eeglab_data.set", preload=True, verbose=verbose)
    raw.set_channel_types({"EOG1": "eog", "EOG2": "eog"}, verbose=verbose)
    return raw


@fill_doc
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
    %(shared_path)s
    %(verbose_mne)s

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


@fill_doc
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
    %(shared_path)s
    %(verbose_mne)s

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


def _eeglab_blocks(x, sfreq):
    """Cut (n_ch, n_times) EEGLAB sample data at its 3-s splices, detrended."""
    n = int(round(_EEGLAB_SPLICE_S * sfreq))
    n_blocks = x.shape[1] // n
    # A linear detrend per block stands in for the 1-Hz high-pass: a 3-s
    # block is too short for that FIR filter.
    return [detrend(x[:, i * n : (i + 1) * n], axis=-1) for i in range(n_blocks)]


# License: BSD-3-Clause
"""The real EOG and EMG recordings (artifact sources) as arrays in volts.

One private loader per source, each returning ``(data, sfreq, name)`` tuples
with the units stated (or assumed) in the source's ``PROVENANCE.md``;
:func:`load_eog_recordings` and :func:`load_emg_recordings` pick them by name.
"""

import re

import numpy as np
from scipy.io import loadmat

from ..utils._docs import fill_doc
from ._paths import _dataset_dir
from ._readers import _demean, read_eeglab_sample, read_openbci_cosleep

#: Somach: nominal volts per ADC count (12-bit, 3.3 V, AD8232 module gain
#: 1100) -- uncalibrated, an assumption; the ADC rails; what is kept.
_SOMACH_V_PER_COUNT = 3.3 / 4096 / 1100
_SOMACH_RAILS = (0, 4095)

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


def _eog_yasa(path):
    d = _dataset_dir("yasa_rem_loc_roc_256hz", path)
    with np.load(d / "data_EOGs_REM_256Hz.npz") as z:
        x, sfreq = np.asarray(z["data"], dtype=np.float64), float(z["sf"])
    # LOC/ROC in µV during REM sleep (see PROVENANCE.md).
    return [(_demean(x) * 1e-6, sfreq, "yasa_rem_loc_roc_256hz LOC/ROC")]


def _eog_eogert(path):
    d = _dataset_dir("eogert_hv_eog_492hz", path)
    m = loadmat(d / "test001.mat")
    x = np.vstack([m["EOGh"].ravel(), m["EOGv"].ravel()])
    # Units are not documented; the values fit µV, with a DC offset (see
    # PROVENANCE.md).
    return [(_demean(x) * 1e-6, float(m["fs"].item()), "eogert_hv_eog_492hz H/V")]


def _cosleep(path, ch):
    raw = read_openbci_cosleep(path=path, verbose=False)
    x = raw.get_data(picks=[ch])
    return [(_demean(x), raw.info["sfreq"], f"openbci_cosleep_psg_eog_emg {ch}")]


@fill_doc
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
        - ``"yasa"``: YASA's REM-sleep LOC/ROC (256 Hz, 859 s, µV; rapid
          eye movements, no blinks).
        - ``"eogert"``: EOGERT's horizontal and vertical EOG (491.7 Hz,
          360 s; units undocumented, values fit µV; about 42 blinks).

    %(shared_path)s

    Returns
    -------
    recordings : list of tuple
        ``(data, sfreq, name)`` per recording: ``data`` of shape
        ``(n_channels, n_times)`` in volts with each channel's mean removed,
        ``sfreq`` in Hz, and a descriptive name.
    """
    return _load(_EOG_LOADERS, "EOG", source, path)


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
        The shared data folder (:func:`get_shared_data_path` finds it).

    Returns
    -------
    recordings : list of tuple
        ``(data, sfreq, name)`` per recording, as in
        :func:`load_eog_recordings`.
    """
    return _load(_EMG_LOADERS, "EMG", source, path)


def _load(loaders, what, source, path):
    """Concatenate the recordings of the sources named by ``source``."""
    out = []
    for s in _resolve_sources(source, tuple(loaders), what):
        out.extend(loaders[s](path))
    return out


#: The loader of each source, in the order that ``source="all"`` loads them.
_EOG_LOADERS = {
    "klados": _eog_klados,
    "neurokit": _eog_neurokit,
    "eyetrack": _eog_eyetrack,
    "eeglab": _eog_eeglab,
    "cosleep": lambda p: _cosleep(p, "EOG"),
    "yasa": _eog_yasa,
    "eogert": _eog_eogert,
}
_EMG_LOADERS = {
    "uci": _emg_uci,
    "biosppy": _emg_biosppy,
    "somach": _emg_somach,
    "needle": _emg_needle,
    "cosleep": lambda p: _cosleep(p, "EMG"),
}
_EOG_SOURCES, _EMG_SOURCES = tuple(_EOG_LOADERS), tuple(_EMG_LOADERS)


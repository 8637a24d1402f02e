# License: BSD-3-Clause
"""Download and load the EEGdenoiseNet benchmark arrays.

EEGdenoiseNet (Zhang et al., J. Neural Eng. 18:056057, 2021) publishes
4514 clean EEG, 3400 EOG and 5598 EMG single-channel segments of 2 s at
256 Hz (512 samples) as NumPy arrays in the ``data/`` folder of
https://github.com/ncclabsustech/EEGdenoiseNet.
"""

import logging
from pathlib import Path

import mne
import numpy as np

from .._protocol import MODEL_N_TIMES, MODEL_SFREQ
from ._banks import SegmentBank

__all__ = ["fetch_eegdenoisenet"]

#: Commit of github.com/ncclabsustech/EEGdenoiseNet the URLs are pinned to
#: (the repository's HEAD when this loader was written).
EEGDENOISENET_COMMIT = "8d290661146c7189c98cc04812d37371d4b9426c"
_URL = (
    "https://raw.githubusercontent.com/ncclabsustech/EEGdenoiseNet/"
    f"{EEGDENOISENET_COMMIT}/data/{{name}}"
)
#: kind -> (file name, expected number of segments, SHA-256). The hashes are
#: not published by the authors; they were taken from manifests of public
#: third-party projects that downloaded these files (the EOG and EMG hashes
#: appear, identical, in two independent projects; the EEG hash in one).
EEGDENOISENET_FILES = {
    "eeg": (
        "EEG_all_epochs.npy",
        4514,
        "89350579007ab18daf918a26c9f730484ba3755e861bbf8a6f68d1657843a748",
    ),
    "eog": (
        "EOG_all_epochs.npy",
        3400,
        "fe31f2c22efce5da7488a1047b6f05d678e80f48d22e20a70972aaf13784fa0a",
    ),
    "emg": (
        "EMG_all_epochs.npy",
        5598,
        "8bb16dff87582823488dd2189dba9d8fa019a8cbc9af9a8a19acb421b3fcfb16",
    ),
}


def _default_folder():
    base = mne.get_config(
        "MNE_DENOISE_DATA",
        default=str(Path("~", "mne_data", "MNE-denoise-data").expanduser()),
    )
    return Path(base).expanduser() / "eegdenoisenet"


def _is_verbose(verbose):
    """Whether ``verbose`` (MNE's convention) asks for info-level messages."""
    if verbose is None:
        level = mne.utils.logger.getEffectiveLevel()
    elif isinstance(verbose, bool):
        level = logging.INFO if verbose else logging.WARNING
    elif isinstance(verbose, str):
        level = logging.getLevelName(verbose.upper())
        level = level if isinstance(level, int) else logging.WARNING
    else:
        level = int(verbose)
    return level <= logging.INFO


def _has_tqdm():
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return False
    return True


def _expected_hash(kind, name, known_hashes):
    """Return the hash to check ('sha256:...') or None to skip the check."""
    default = EEGDENOISENET_FILES[kind][2]
    if known_hashes is None:
        value = default
    elif name in known_hashes:
        value = known_hashes[name]
    elif kind in known_hashes:
        value = known_hashes[kind]
    else:
        value = default
    if value is None:
        return None
    value = str(value)
    return value if ":" in value else f"sha256:{value}"


def _check_hash(fname, expected):
    import pooch

    alg, _, digest = expected.partition(":")
    actual = pooch.file_hash(str(fname), alg=alg)
    if actual.lower() != digest.lower():
        raise ValueError(
            f"{alg.upper()} of {fname} is {actual}, expected {digest}. The file "
            f"is corrupt or a different release: delete it and fetch again "
            f"with download=True, or pass the hash you trust in known_hashes."
        )


def fetch_eegdenoisenet(path=None, *, download=True, known_hashes=None, verbose=None):
    """Fetch the EEGdenoiseNet segment arrays and return them as banks.

    Downloads (with :mod:`pooch`) ``EEG_all_epochs.npy`` (4514 x 512),
    ``EOG_all_epochs.npy`` (3400 x 512) and ``EMG_all_epochs.npy``
    (5598 x 512) from the authors' GitHub repository, pinned to commit
    ``8d29066`` (raw.githubusercontent.com), unless they are already in the
    folder, and checks their SHA-256.

    Parameters
    ----------
    path : path-like | None
        Folder for the files. ``None`` means the ``eegdenoisenet``
        sub-folder of the MNE config value ``MNE_DENOISE_DATA``, by default
        ``~/mne_data/MNE-denoise-data``.
    download : bool
        Whether to download missing files. With ``False``, missing files
        raise :class:`FileNotFoundError`.
    known_hashes : dict | None
        Overrides of the pinned SHA-256 hashes, keyed by file name (e.g.
        ``"EEG_all_epochs.npy"``) or kind (``"eeg"``); a value ``None``
        skips the check for that file. The pinned hashes are **not**
        published by the EEGdenoiseNet authors: they come from manifests of
        third-party projects that downloaded the same files (EOG and EMG
        confirmed by two independent projects, EEG by one).
    verbose : bool | str | int | None
        Verbosity of the download (pooch's log messages and progress bar
        appear at ``"info"`` and below).

    Returns
    -------
    banks : dict of str -> SegmentBank
        ``{"eeg": ..., "eog": ..., "emg": ...}`` at 256 Hz, each segment
        demeaned, in volts.

    Notes
    -----
    Units: the authors' preprocessing code (``code/preprocessing/lib/
    *_cut.m``) converts every segment to µV before saving, so the arrays
    are read as µV and multiplied by 1e-6.

    Groups: the arrays carry no recording or subject ids, so every segment
    is its own group and :meth:`SegmentBank.split` splits them per segment
    (as EEGdenoiseNet itself does). Segments of one recording can then land
    in both training and test sets, unlike the banks of
    :func:`make_clean_bank` / :func:`make_artifact_bank`, which split by
    recording.

    References
    ----------
    .. [1] Zhang H, Zhao M, Wei C, Mantini D, Li Z, Liu Q (2021).
           EEGdenoiseNet: a benchmark dataset for deep learning solutions of
           EEG denoising. J. Neural Eng. 18:056057.
    """
    folder = Path(path).expanduser() if path is not None else _default_folder()
    if known_hashes is not None and not isinstance(known_hashes, dict):
        raise TypeError(
            f"known_hashes must be a dict or None, got {type(known_hashes).__name__}."
        )
    show = _is_verbose(verbose)
    banks = {}
    for kind, (name, _, _) in EEGDENOISENET_FILES.items():
        fname = folder / name
        expected = _expected_hash(kind, name, known_hashes)
        if fname.is_file():
            if expected is not None:
                _check_hash(fname, expected)
        elif not download:
            raise FileNotFoundError(
                f"EEGdenoiseNet file {name} not found in {folder}. Pass "
                f"download=True to fetch it, or path= the folder that holds it."
            )
        else:
            import pooch

            pooch_logger = pooch.get_logger()
            old = pooch_logger.level
            pooch_logger.setLevel(logging.INFO if show else logging.WARNING)
            try:
                pooch.retrieve(
                    _URL.format(name=name),
                    known_hash=expected,
                    fname=name,
                    path=folder,
                    progressbar=show and _has_tqdm(),
                )
            finally:
                pooch_logger.setLevel(old)
        data = np.load(fname, allow_pickle=False)
        if data.ndim != 2 or data.shape[1] != MODEL_N_TIMES:
            raise ValueError(
                f"{fname} must hold a 2-D array of {MODEL_N_TIMES}-sample "
                f"segments, got shape {data.shape}. Delete it and fetch again."
            )
        data = data.astype(np.float64) * 1e-6  # µV -> V
        data -= data.mean(axis=1, keepdims=True)
        banks[kind] = SegmentBank(
            data=data,
            sfreq=MODEL_SFREQ,
            groups=np.arange(len(data)),
            kind=kind,
            sources=(f"EEGdenoiseNet {name}",),
        )
    return banks

# License: BSD-3-Clause
"""Where the shared recordings live: the data folder and one folder per data set.

The recordings live in ``<shared>/data/<dataset>/`` (one folder per data set,
each with a ``PROVENANCE.md`` that states units, rates and caveats). They are
never copied into the package; :func:`get_shared_data_path` finds them.
"""

import os
from pathlib import Path

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
    """The folder of data set ``name``: shared copy, download cache, download.

    An explicit ``path`` is the only place looked at. Otherwise the shared
    folder is a pre-filled cache: a data set it lacks is taken from the
    download folder, or downloaded there (unless MNE_DENOISE_DOWNLOAD=0).
    """
    from . import _fetch

    try:
        root = get_shared_data_path(path)
    except FileNotFoundError as err:
        if path is not None:
            raise
        root, missing = None, err
    if root is not None:
        d = root / name
        if d.is_dir():
            return d
        if path is not None:
            raise FileNotFoundError(
                f"The data set folder {name!r} is missing from {root}. Restore "
                f"it or point {_ENV_VAR} at a complete shared data folder."
            )
        missing = FileNotFoundError(f"The data set folder {name!r} is missing "
                                    f"from {root}.")
    local = _fetch.downloaded_dataset_dir(name)
    if local is not None:
        return local
    if not _fetch.downloads_allowed():
        raise FileNotFoundError(
            f"{missing} Downloads are off ({_fetch.ALLOW_ENV}=0): allow them, "
            f"or point {_ENV_VAR} at a shared data folder that holds {name!r}."
        )
    return _fetch.fetch_dataset(name)


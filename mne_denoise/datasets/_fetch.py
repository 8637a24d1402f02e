# License: BSD-3-Clause
"""Download the public recordings the training, benchmark and decoding use.

Each data set of the shared folder whose files are byte-for-byte copies of a
public file is listed in :data:`REMOTE` with the file's address (the
repository and commit named in the data set's ``PROVENANCE.md``), its
SHA-256 (computed from the shared copy: a download that differs is refused)
and its licence. PhysioNet's EEGMMIDB comes through
:func:`mne.datasets.eegbci.load_data` (MNE pins its hashes).

The shared folder, when present, is a pre-filled cache: nothing is
downloaded for a data set it holds. Downloads go to :func:`get_download_path`
(``MNE_DENOISE_DATA``, else ``MNE_DATA``/mne_denoise, else
``~/mne_data/mne_denoise``), one folder per data set, laid out as in the
shared folder.

This module imports neither the package's other data modules nor torch.
"""

import os
from pathlib import Path

_GITHUB = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"
#: Environment variable (or MNE config key) of the download folder.
DOWNLOAD_ENV = "MNE_DENOISE_DATA"
#: Set to 0/false/no to forbid downloads (the loaders then only read the
#: shared folder and the download folder).
ALLOW_ENV = "MNE_DENOISE_DOWNLOAD"


def _github(repo, commit, files):
    """``{local name: (url, sha256)}`` for files of one repository commit."""
    return {name: (_GITHUB.format(repo=repo, commit=commit, path=path), sha)
            for name, (path, sha) in files.items()}


#: The data sets that can be downloaded: where from, their hashes, licence.
REMOTE = {
    "klados_semisim_eog_refs": dict(
        licence="no licence file in the host repository; cite Klados & "
        "Bamidis (2016), Data in Brief 8:1004-1006",
        files=_github(
            "mattbit/wavelet-quantile-normalization",
            "2185196a4464dd7336b34e773a17ef6059918834",
            {"HEOG.mat": ("data/eog-data/HEOG.mat", "f4ea94385578b5d040239cf80aa2226e7906df5848f1003c00503559e281e9d8"),  # noqa: E501
             "VEOG.mat": ("data/eog-data/VEOG.mat", "bcc2ca0c577fc093ac4d09bbf3df5ba9147b715f0a7f44a80824c492b51b3b22")})),  # noqa: E501
    "neurokit_eog_200hz": dict(
        licence="MIT (NeuroKit2, (c) 2020 Dominique Makowski)",
        files=_github(
            "mixue-t/NeuroKit", "f2bb3452be5886170f4632a689805bfdefb93cc7",
            {"eog_200hz.csv": ("data/eog_200hz.csv", "2d43294838dfa416ab1fdb6311c71b5eee943307c93f83b59a184ea64468df85")})),  # noqa: E501
    "abbrash_eyetrack_eog_250hz": dict(
        licence="MIT ((c) 2024 Arash Abbasi Larki)",
        files=_github(
            "abbrash/Eye-Movement-Analysis-Algorithm-Using-EOG",
            "071a33e3263cefc9b5bb4061df5227ea1eb9ff7f",
            {"test.mat": ("test.mat", "3c11b2aa88a1b49229c809ab3d6e4ba1046b7e9affb2e78427fec3d5aceb8ca4")})),  # noqa: E501
    "eeglab_sample": dict(
        licence="BSD-2-Clause (EEGLAB, (c) Swartz Center for Computational "
        "Neuroscience)",
        files=_github(
            "sccn/eeglab", "94b8557aa27484c4e2cb4775315802d420b93f32",
            {"eeglab_data.set": ("sample_data/eeglab_data.set", "27594dc378685d25d5f5f762f4f8332e7a3d988b6d5d41832bb2252d93988718"),  # noqa: E501
             "eeglab_data.fdt": ("sample_data/eeglab_data.fdt", "3ec388b9a080c723c00cd380403d64cc754929d828375bbd53bd83b468136759")})),  # noqa: E501
    "biosppy_emg_examples_1khz": dict(
        licence="BSD-3-Clause (BioSPPy, (c) 2015 Instituto de "
        "Telecomunicacoes)",
        files=_github(
            "PIA-Group/BioSPPy", "77550221f77e024459840ece540b1e017ed99e57",
            {"emg.txt": ("examples/emg.txt", "e9a278c359b2e636049634e2c3ba25d187db828755cc2eeb62a9e89c40235fb5"),  # noqa: E501
             "emg_1.txt": ("examples/emg_1.txt", "c3c41791523a0a8f32ee66e82a852a041e45d07d696c0f0e7313518cc23ab7a5")})),  # noqa: E501
    "openbci_cosleep_psg_eog_emg": dict(
        licence="no licence file (MNE's testing data, mne-testing-data)",
        files=_github(
            "mne-tools/mne-testing-data",
            "e31ecb0ab137b3d89c938d0985d42f1d2ffb2bad",
            {"multiple_annotation_chans.bdf": ("BDF/multiple_annotation_chans.bdf", "27750d516cd821a14a580100664d7e454b10a4685736d131b84b26bafab05979")})),  # noqa: E501
    "yasa_rem_loc_roc_256hz": dict(
        licence="BSD-3-Clause (YASA, (c) 2018 Raphael Vallat)",
        files=_github(
            "raphaelvallat/yasa", "d5c663a8dd6c355abfe02159b21b4643eb607480",
            {"data_EOGs_REM_256Hz.npz": ("notebooks/data_EOGs_REM_256Hz.npz", "d36a023b0cf37e6f06bd582fc043cd7d36aead9b00d7387e6b6238bfd63b9df0")})),  # noqa: E501
    "eogert_hv_eog_492hz": dict(
        licence="MIT ((c) 2014 Brain Work Research Centre, Miika Toivanen)",
        files=_github(
            "bwrc/eogert", "df96e7491c6caabb8dfbd6f062ccc5b1b9bf6f7b",
            {"test001.mat": ("test001.mat", "1249603d917c07b82ebc31125c17c8cd049247449fc1b56bd91dc4cba4bceeb3")})),  # noqa: E501
    "openbci_blinks_jaw_alpha": dict(
        licence="MIT (OpenBCI GUI, (c) 2018 OpenBCI)",
        files=_github(
            "OpenBCI/OpenBCI_GUI", "41610b98e6ac0ebc731d278d99813fd6cc9f8c81",
            {"OpenBCI_GUI-v6-blinks-jawClench-alpha.txt": ("OpenBCI_GUI/data/EEG_Sample_Data/OpenBCI_GUI-v6-blinks-jawClench-alpha.txt", "cc5f303bba1270a9a236b42497dfec531c8a1e91d8540eab1e097848940395d3")})),  # noqa: E501
}

#: Data sets the shared folder holds in a repacked form (NumPy archives made
#: from hundreds of source files), with no single public file to download:
#: name -> where the originals are.
NOT_DOWNLOADABLE = {
    "uci_lower_limb_emg_1khz": "the 66 text files of the UCI 'EMG dataset in "
    "Lower Limb' (archive.ics.uci.edu), repacked as NumPy archives",
    "somach_submental_semg_250hz": "the 3934 CSV files of "
    "github.com/CarlKho-Minerva/Somach_sEMG-Silent-Speech (CC BY 4.0), "
    "repacked as a NumPy archive",
    "physionet_emgdb_needle_4khz": "PhysioNet's 'Examples of Electromyograms' "
    "(physionet.org/content/emgdb), repacked as a NumPy archive",
}

#: EEGMMIDB: the subjects and runs the shared folder holds (the training
#: pools use subjects 1-10, the decoding study every subject present).
EEGMMIDB_RUNS = {s: (4, 8, 12) for s in range(1, 18)}
EEGMMIDB_RUNS.update({1: (1, 2, 4, 6, 8, 10, 12, 14), 4: (4, 6, 8, 10, 12, 14),
                      15: (4, 6, 8, 10, 12, 14)})
EEGMMIDB = "physionet_eegmmidb"
#: Where mne.datasets.eegbci puts the files below its path.
_EEGBCI_SUBDIR = Path("MNE-eegbci-data") / "files" / "eegmmidb" / "1.0.0"


def downloads_allowed():
    """Whether the loaders may download (``MNE_DENOISE_DOWNLOAD``, default yes)."""
    return os.environ.get(ALLOW_ENV, "1").strip().lower() not in (
        "0", "false", "no", "off")


def get_download_path():
    """The folder that downloaded data sets go to (one sub-folder each).

    ``MNE_DENOISE_DATA`` (environment or MNE config), else
    ``<MNE_DATA>/mne_denoise``, else ``~/mne_data/mne_denoise``.

    Returns
    -------
    path : pathlib.Path
    """
    import mne

    value = os.environ.get(DOWNLOAD_ENV) or mne.get_config(DOWNLOAD_ENV)
    if value:
        return Path(value).expanduser()
    base = mne.get_config("MNE_DATA") or "~/mne_data"
    return Path(base).expanduser() / "mne_denoise"


def _local_eegmmidb(root):
    return Path(root) / EEGMMIDB / _EEGBCI_SUBDIR


def downloaded_dataset_dir(name, path=None):
    """The download folder of ``name`` if it is complete, else None."""
    root = Path(path) if path is not None else get_download_path()
    if name == EEGMMIDB:
        d = _local_eegmmidb(root)
        return d if any(d.glob("S[0-9][0-9][0-9]/*.edf")) else None
    d = root / name
    if name in REMOTE and all((d / f).is_file() for f in REMOTE[name]["files"]):
        return d
    return None


def fetch_dataset(name, *, path=None, downloader=None, verbose=None):
    """Download one data set (or find it downloaded) and return its folder.

    Parameters
    ----------
    name : str
        A key of :data:`REMOTE`, or ``'physionet_eegmmidb'``.
    path : path-like | None
        Download folder (default :func:`get_download_path`).
    downloader : callable | None
        ``pooch`` downloader (default: pooch's for the URL); tests pass one
        that copies local files.
    verbose : bool | str | int | None
        MNE-style verbosity of the EEGMMIDB download.

    Returns
    -------
    folder : pathlib.Path
        Holding the files under the names the shared folder uses.
    """
    root = Path(path) if path is not None else get_download_path()
    if name == EEGMMIDB:
        return fetch_eegmmidb(path=root, verbose=verbose)
    if name not in REMOTE:
        where = NOT_DOWNLOADABLE.get(name)
        why = (f"it is {where}, with no single public file to download"
               if where else "it is not a data set the package knows")
        raise FileNotFoundError(
            f"The data set {name!r} cannot be downloaded: {why}. Use the "
            "project's shared data folder (point MNE_DENOISE_SHARED at it), "
            "or choose sources that can be downloaded: "
            f"{', '.join(sorted(REMOTE))}, {EEGMMIDB}.")
    import pooch

    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    for fname, (url, sha) in REMOTE[name]["files"].items():
        pooch.retrieve(url, known_hash=f"sha256:{sha}", fname=fname,
                       path=folder, downloader=downloader, progressbar=False)
    source = folder / "SOURCE.txt"
    if not source.is_file():
        lines = [f"{name}: downloaded by mne_denoise.datasets.fetch_dataset",
                 f"Licence: {REMOTE[name]['licence']}"]
        lines += [f"{f}: {url} sha256 {sha}"
                  for f, (url, sha) in REMOTE[name]["files"].items()]
        source.write_text("\n".join(lines) + "\n")
    return folder


def fetch_eegmmidb(subjects=None, *, path=None, verbose=None):
    """Download PhysioNet EEGMMIDB runs through :mod:`mne.datasets.eegbci`.

    Parameters
    ----------
    subjects : dict | None
        ``{subject: runs}``; default :data:`EEGMMIDB_RUNS` (what the shared
        folder holds: subjects 1-17).
    path : path-like | None
        Download folder (default :func:`get_download_path`).
    verbose : bool | str | int | None
        MNE-style verbosity.

    Returns
    -------
    folder : pathlib.Path
        The folder of the ``SXXX/SXXXRYY.edf`` files (the shared folder's
        layout).
    """
    from mne.datasets import eegbci

    root = Path(path) if path is not None else get_download_path()
    base = root / EEGMMIDB
    base.mkdir(parents=True, exist_ok=True)
    for subject, runs in (subjects or EEGMMIDB_RUNS).items():
        eegbci.load_data(int(subject), list(runs), path=base,
                         update_path=False, verbose=verbose)
    return _local_eegmmidb(root)


def fetch_datasets(names=None, *, path=None, verbose=None):
    """Download every data set the package can download (or those named).

    Parameters
    ----------
    names : list of str | None
        Default: every key of :data:`REMOTE` and ``'physionet_eegmmidb'``.
    path : path-like | None
        Download folder (default :func:`get_download_path`).
    verbose : bool | str | int | None
        MNE-style verbosity.

    Returns
    -------
    folders : dict
        Name -> folder.
    """
    names = list(REMOTE) + [EEGMMIDB] if names is None else list(names)
    return {n: fetch_dataset(n, path=path, verbose=verbose) for n in names}

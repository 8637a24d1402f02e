# License: BSD-3-Clause
"""Which recordings ``mne-denoise clean`` cleans, and where each result goes.

Three kinds of input, as MNE's tools take them: files of any format
``mne.io.read_raw`` reads, folders of such files (searched recursively), and
BIDS roots (a folder with a ``dataset_description.json``), read and written
through ``mne-bids`` as a BIDS derivative.
"""

from dataclasses import dataclass
from pathlib import Path

#: FIF files that hold something other than continuous data (MNE's naming).
_NOT_RAW_FIF = ("-epo", "_epo", "-ave", "_ave", "-cov", "_cov", "-fwd", "_fwd",
                "-inv", "_inv", "-trans", "_trans", "-ica", "_ica", "-sol",
                "-proj", "_proj", "-annot", "_annot")
#: Endings a folder search skips: too common for other files (text, MATLAB,
#: binary dumps) or not EEG (eye tracking, NIRS); name such files directly.
_FOLDER_SKIP = (".txt", ".mat", ".dat", ".bin", ".data", ".asc", ".hdr",
                ".snirf")
#: Recordings that are folders (EGI MFF, CTF).
_FOLDER_FORMATS = (".mff", ".ds")
#: The suffix of the cleaned files and reports written for plain files.
OUT_SUFFIX = "_denoised"
#: The BIDS ``desc-`` entity of the cleaned recordings in a derivative.
BIDS_DESCRIPTION = "denoised"
#: Where a BIDS root's derivative goes by default, as mne_bids_pipeline does.
BIDS_DERIVATIVE = Path("derivatives") / "mne-denoise"


class CleanInputError(ValueError):
    """An input the clean command cannot use (a one-line message)."""


@dataclass(frozen=True)
class Recording:
    """One recording to clean and where its outputs go."""

    #: The file read (for BIDS, the data file).
    source: Path
    #: The cleaned FIF written.
    out_fif: Path
    #: The HTML report written.
    out_report: Path
    #: The ``mne_bids.BIDSPath`` of the source (None outside BIDS).
    bids_path: object = None
    #: The ``mne_bids.BIDSPath`` of the cleaned recording (None outside BIDS).
    out_bids_path: object = None


def readable_extensions():
    """File endings ``mne.io.read_raw`` reads (lower case, with the dot)."""
    from mne.io._read_raw import _get_supported

    return tuple(sorted(_get_supported(), key=len, reverse=True))


def _extension(path):
    name = path.name.lower()
    for ext in readable_extensions():
        if name.endswith(ext):
            return ext
    return None


def _is_recording(path, *, search=False):
    ext = _extension(path)
    if ext is None or not (path.is_file() or (path.is_dir()
                                             and ext in _FOLDER_FORMATS)):
        return False
    stem = path.name[: -len(ext)]
    if search:
        if ext in _FOLDER_SKIP or any(p.suffix in _FOLDER_FORMATS
                                      for p in path.parents):
            return False
        # A BrainVision data file (.eeg beside its .vhdr) is read via the .vhdr.
        if ext == ".eeg" and any(path.with_suffix(s).is_file()
                                 for s in (".vhdr", ".ahdr")):
            return False
    if ext in (".fif", ".fif.gz"):
        # Split continuation files (-1.fif) are read with their first part;
        # epochs, evoked, covariance... files are not recordings.
        if stem.rsplit("-", 1)[-1].isdigit() or stem.endswith(_NOT_RAW_FIF):
            return False
    return not stem.endswith((OUT_SUFFIX, OUT_SUFFIX + "_raw"))


def is_bids_root(path):
    """Whether ``path`` is a BIDS dataset's root folder."""
    path = Path(path)
    return path.is_dir() and (path / "dataset_description.json").is_file()


def _plain_stem(path):
    ext = _extension(path)
    stem = path.name[: -len(ext)]
    for tail in ("_raw", "-raw"):
        if stem.endswith(tail):
            stem = stem[: -len(tail)]
    return stem


def _plain_recording(source, folder, out):
    rel = source.parent.relative_to(folder) if folder is not None else Path()
    base = Path(out) / rel / (_plain_stem(source) + OUT_SUFFIX)
    return Recording(source, base.with_name(base.name + "_raw.fif"),
                     base.with_name(base.name + "_report.html"))


def _bids_recordings(root, out):
    try:
        import mne_bids
    except ImportError as err:
        raise CleanInputError(
            f"{root} is a BIDS root: reading it needs mne-bids (pip install "
            "mne-bids, or pip install 'mne-denoise[bids]').") from err

    out = Path(out) if out is not None else root / BIDS_DERIVATIVE
    exts = [e for e in readable_extensions() if e != ".fif.gz"]
    paths = mne_bids.find_matching_paths(root, datatypes=["eeg", "meg"],
                                         suffixes=["eeg", "meg"],
                                         extensions=exts)
    recs = []
    for bp in paths:
        if "derivatives" in bp.fpath.relative_to(root).parts:
            continue
        if bp.extension == ".fif" and bp.split is not None and bp.split != 1:
            continue
        if bp.extension == ".eeg" or bp.extension == ".vmrk":
            continue  # BrainVision's data/marker files: read via the .vhdr
        outp = bp.copy().update(root=out, description=BIDS_DESCRIPTION,
                                extension=".fif", split=None, check=False)
        report = outp.copy().update(suffix="report", extension=".html",
                                    check=False)
        recs.append(Recording(bp.fpath, outp.fpath, report.fpath, bp, outp))
    return recs, out


def find_recordings(inputs, out=None):
    """The recordings named by ``inputs`` and their output paths.

    Parameters
    ----------
    inputs : list of path-like
        Files, folders (searched recursively) or one BIDS root.
    out : path-like | None
        Output folder. Default: ``derivatives/mne-denoise`` inside a BIDS
        root; for files and folders it must be given.

    Returns
    -------
    recordings : list of Recording
        In a stable (sorted) order.
    out : Path
        The output folder.
    bids_root : Path | None
        The BIDS root (None for files and folders).
    """
    inputs = [Path(p) for p in inputs]
    if not inputs:
        raise CleanInputError("Name at least one file, folder or BIDS root to "
                              "clean.")
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        raise CleanInputError(f"No such file or folder: {', '.join(missing)}.")
    roots = [p for p in inputs if is_bids_root(p)]
    if roots:
        if len(inputs) > 1:
            raise CleanInputError(
                f"{roots[0]} is a BIDS root: clean one BIDS root at a time, "
                "without other inputs.")
        recs, out = _bids_recordings(roots[0].resolve(), out)
        if not recs:
            raise CleanInputError(
                f"The BIDS root {roots[0]} has no EEG/MEG recording that "
                "mne-bids finds.")
        return recs, out, roots[0].resolve()
    if out is None:
        raise CleanInputError("Name the output folder with --out (e.g. --out "
                              "cleaned/).")
    out = Path(out)
    recs, seen = [], set()
    for p in inputs:
        if p.is_dir():
            found = sorted(f for f in p.rglob("*")
                           if _is_recording(f, search=True)
                           and out.resolve() not in f.resolve().parents)
            recs += [_plain_recording(f, p, out) for f in found]
        elif _extension(p) is None:
            raise CleanInputError(
                f"{p} is not a file type that mne.io.read_raw reads (its "
                f"endings: {', '.join(sorted(readable_extensions()))}).")
        else:
            recs.append(_plain_recording(p, None, out))
    unique = []
    for rec in recs:
        if rec.out_fif in seen:
            raise CleanInputError(
                f"Two inputs would both be written to {rec.out_fif}; clean "
                "them into different --out folders.")
        seen.add(rec.out_fif)
        unique.append(rec)
    if not unique:
        names = ", ".join(map(str, inputs))
        raise CleanInputError(
            f"No recording that mne.io.read_raw reads in {names}.")
    return unique, out, None

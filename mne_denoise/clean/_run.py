# License: BSD-3-Clause
"""Clean recordings: one at a time, in parallel with joblib, or on Dask."""

import contextlib
import inspect
import os
import shutil
import uuid
from pathlib import Path

import mne

from ..utils._checks import _check_int, _check_option
from ._discover import (
    BIDS_DESCRIPTION,
    CleanInputError,
    Recording,
    find_recordings,
)

#: The methods of ``mne-denoise clean``, by name: the denoiser class.
METHODS = {
    "freq_domain": "FreqDomainDenoiser",
    "low_rank_unfolded": "LowRankUnfoldedDenoiser",
    "unet": "UNetDenoiser",
    "spatial": "SpatialDenoiser",
    "regression": "RegressionDenoiser",
    "frequency_regression": "RegressionDenoiser",
    "iclabel": "ICLabelDenoiser",
    "ica": "ICADenoiser",
    "bandpass": "BandpassDenoiser",
}
#: Parameters a method sets beyond its class's defaults: the shipped U-Net
#: weights applied as they are, the regression in the frequency domain.
_METHOD_PARAMS = {
    "unet": {"weights": "pretrained", "max_epochs": 0},
    "frequency_regression": {"domain": "frequency"},
}
#: How the EOG/EMG channels are used, for the methods whose class has no
#: ``noise_estimate`` choice: ``'needs'`` (a regression on them), ``'reads'``
#: (whenever present: the spatial network's inputs, the EOG channels that
#: ICA's ``find_bads_eog`` correlates with) or, for the others, ``'ignores'``.
_REFERENCE_USE = {"regression": "needs", "frequency_regression": "needs",
                  "spatial": "reads", "ica": "reads"}
#: How the EOG/EMG channels are used (FreqDomainDenoiser's noise_estimate).
MODES = ("auto", "reference", "blind")


def make_denoiser(method="freq_domain", *, mode="auto", weights=None,
                  device="cpu", random_state=0):
    """The denoiser that ``clean`` fits on each recording.

    Parameters
    ----------
    method : str
        A key of :data:`METHODS`, or the path of a saved denoiser
        (:func:`mne_denoise.read_denoiser`), which is applied as saved.
        ``unet`` applies the shipped U-Net weights; ``frequency_regression``
        is :class:`~mne_denoise.RegressionDenoiser` with
        ``domain='frequency'``.
    mode : ``'auto'`` | ``'reference'`` | ``'blind'``
        How the EOG/EMG channels are used, for the methods that offer the
        choice (``freq_domain``). The regressions need them (``'blind'`` is
        an error), ``spatial`` and ``ica`` read them whenever present
        (``'blind'`` is an error) and the other methods ignore them
        (``'reference'`` is an error).
    weights : path-like | None
        Weights file of a deep method (default: the shipped weights).
    device : str
        Torch device of the deep methods.
    random_state : int
        Seed of the methods that draw random numbers.

    Returns
    -------
    denoiser : BaseDenoiser
        Unfitted (fitted, for a saved denoiser).
    """
    from .. import denoisers

    _check_option("mode", mode, MODES)
    if method not in METHODS:
        path = Path(str(method))
        if path.suffix == ".pt" and path.is_file():
            return denoisers.read_denoiser(path, device=device)
        raise CleanInputError(
            f"Unknown method {method!r}: use one of {', '.join(METHODS)}, or the "
            "path of a denoiser saved with den.save('file.pt').")
    cls = getattr(denoisers, METHODS[method])
    params = inspect.signature(cls).parameters
    kwargs = dict(_METHOD_PARAMS.get(method, {}))
    use = _REFERENCE_USE.get(method, "ignores")
    if "noise_estimate" in params:
        kwargs["noise_estimate"] = mode
    elif mode == "reference" and use == "ignores":
        raise CleanInputError(f"The {method} method has no reference mode; use "
                              "--blind or the default.")
    elif mode == "blind" and use == "needs":
        raise CleanInputError(f"The {method} method needs its EOG/EMG "
                              "references; drop --blind.")
    elif mode == "blind" and use == "reads":
        raise CleanInputError(
            f"The {method} method reads the EOG/EMG channels whenever they are "
            "present and has no blind mode; drop --blind, or drop the "
            "channels from the recording (raw.drop_channels) before cleaning.")
    if weights is not None:
        if "weights" not in params:
            raise CleanInputError(f"The {method} method takes no weights.")
        kwargs["weights"] = str(weights)
    for name, value in (("device", device), ("random_state", random_state)):
        if name in params:
            kwargs[name] = value
    return cls(**kwargs)


def _read(rec):
    if rec.bids_path is not None:
        import mne_bids

        return mne_bids.read_raw_bids(rec.bids_path, verbose=False)
    return mne.io.read_raw(rec.source, verbose=False)


def clean_raw(raw, denoiser, *, picks=None, progress=False):
    """Clean one Raw as the Python API does; return the cleaned copy and the fit.

    ``denoiser.fit(raw).apply(raw)`` on the picked channels (the EOG/EMG
    references always come along); the channels not picked are copied
    unchanged. A fitted denoiser read from a file is applied as it is.

    Parameters
    ----------
    raw : Raw
        The recording (loaded).
    denoiser : BaseDenoiser
        From :func:`make_denoiser`.
    picks : str | list of str | None
        Channels to clean (names or types, as MNE's ``picks``); default every
        channel the denoiser cleans.
    progress : bool
        A progress bar over the recording's blocks of windows (``apply``'s).

    Returns
    -------
    raw_clean : Raw
    denoiser : BaseDenoiser
        Fitted on this recording.
    sub : Raw
        What the denoiser was given (for the report's gate scores).
    """
    from sklearn.base import clone

    raw = raw.load_data(verbose=False)
    if picks is None:
        sub, use = raw, None
    else:
        names = set(raw.copy().pick(picks).ch_names)
        refs = set(raw.copy().pick(["eog", "emg"]).ch_names) if any(
            t in ("eog", "emg") for t in raw.get_channel_types()) else set()
        use = [i for i, ch in enumerate(raw.ch_names) if ch in names | refs]
        sub = raw.copy().pick(use)
    fitted = getattr(denoiser, "info_", None) is not None
    den = denoiser if fitted else clone(denoiser).fit(sub)
    cleaned = den.apply(sub, verbose=True if progress else None)
    if use is None:
        return cleaned, den, sub
    out = raw.copy()
    out._data[use] = cleaned.get_data()
    return out, den, sub


def _temporary(path):
    # Same folder (a rename within one file system is atomic), a name that
    # keeps MNE's ending, and a leading dot so folder listings skip it.
    return path.with_name(f".{uuid.uuid4().hex[:8]}-{path.name}")


@contextlib.contextmanager
def _atomic(path):
    """Write to a temporary file, then rename: no half-written ``path``."""
    tmp = _temporary(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _copy_bids_sidecars(rec):
    """The source's channels.tsv and eeg.json beside the derivative."""
    for suffix, ext in (("channels", ".tsv"), (rec.bids_path.suffix, ".json")):
        src = rec.bids_path.copy().update(suffix=suffix, extension=ext,
                                          split=None, check=False).fpath
        if src.is_file():
            dst = rec.out_bids_path.copy().update(suffix=suffix, extension=ext,
                                                  check=False)
            shutil.copyfile(src, dst.fpath)


def clean_one(rec, denoiser, *, picks=None, report=True, overwrite=False,
              progress=False):
    """Clean one recording and write its FIF and report.

    Returns
    -------
    written : list of Path
        The files written (cleaned FIF first).
    """
    from ._report import make_report

    for path in (rec.out_fif, rec.out_report if report else None):
        if path is not None and path.exists() and not overwrite:
            raise FileExistsError(f"{path} exists; pass --overwrite to replace it.")
    raw = _read(rec)
    cleaned, den, sub = clean_raw(raw, denoiser, picks=picks, progress=progress)
    rec.out_fif.parent.mkdir(parents=True, exist_ok=True)
    with _atomic(rec.out_fif) as tmp:
        cleaned.save(tmp, overwrite=True, verbose=False)
    written = [rec.out_fif]
    if rec.out_bids_path is not None:
        _copy_bids_sidecars(rec)
    if report:
        rep = make_report(raw, cleaned, den, sub, title=rec.source.name)
        with _atomic(rec.out_report) as tmp:
            rep.save(tmp, open_browser=False, overwrite=True, verbose=False)
        written.append(rec.out_report)
    return written


def _write_bids_description(out, bids_root):
    import mne_bids

    from .. import __version__

    mne_bids.make_dataset_description(
        path=out, name=f"{bids_root.name} cleaned by mne-denoise",
        dataset_type="derivative", overwrite=True, verbose=False,
        generated_by=[{"Name": "mne-denoise", "Version": __version__}],
        source_datasets=[{"URL": bids_root.as_uri()}])
    written = [Path(out) / "dataset_description.json"]
    # The participants table travels with the data (mne-bids reads it).
    for name in ("participants.tsv", "participants.json"):
        if (bids_root / name).is_file():
            shutil.copyfile(bids_root / name, Path(out) / name)
            written.append(Path(out) / name)
    return written


def _worker(rec, denoiser, picks, report, overwrite, threads, progress):
    if threads is not None:
        import torch

        torch.set_num_threads(threads)
    return clean_one(rec, denoiser, picks=picks, report=report,
                     overwrite=overwrite, progress=progress)


def clean_recordings(inputs, *, out=None, method="freq_domain", mode="auto",
                     weights=None, picks=None, n_jobs=1, scheduler=None,
                     report=True, overwrite=False, device="cpu", threads=None,
                     random_state=0, progress=True):
    """Clean recordings: files, folders or a BIDS root (``mne-denoise clean``).

    Each recording is read with :func:`mne.io.read_raw` (or
    :func:`mne_bids.read_raw_bids`), cleaned as
    ``make_denoiser(...).fit(raw).apply(raw)`` would clean it, and written as
    FIF (for a BIDS root, a BIDS derivative with ``desc-denoised``) with one
    HTML report (:class:`mne.Report`). Files are written under a temporary
    name and renamed when complete.

    Parameters
    ----------
    inputs : list of path-like
        Files, folders or one BIDS root.
    out : path-like | None
        Output folder (default for a BIDS root: its
        ``derivatives/mne-denoise``).
    method, mode, weights : str, str, path-like | None
        See :func:`make_denoiser`.
    picks : str | list of str | None
        Channels to clean (default: every channel the method cleans).
    n_jobs : int
        Recordings cleaned in parallel (joblib; -1: one per CPU core).
    scheduler : str | None
        Address of a Dask scheduler (``tcp://host:8786``): the recordings are
        cleaned on its workers through joblib's Dask backend.
    report : bool
        Write one HTML report per recording.
    overwrite : bool
        Replace existing outputs (otherwise an existing output is an error,
        raised before anything is cleaned).
    device : str
        Torch device of the deep methods.
    threads : int | None
        Torch CPU threads per recording.
    random_state : int
        Seed.
    progress : bool
        A progress bar over the recordings (tqdm), and with ``n_jobs=1`` over
        each recording's windows.

    Returns
    -------
    written : list of Path
        Every file written.
    """
    from joblib import Parallel, delayed, parallel_config
    from tqdm.auto import tqdm

    n_jobs = _check_int(n_jobs, "n_jobs")
    recs, out, bids_root = find_recordings(inputs, out)
    if not overwrite:
        existing = [p for r in recs for p in (r.out_fif, r.out_report if report
                                              else None)
                    if p is not None and p.exists()]
        if existing:
            raise FileExistsError(
                f"{existing[0]} exists ({len(existing)} outputs exist); pass "
                "--overwrite to replace them, or choose another --out.")
    denoiser = make_denoiser(method, mode=mode, weights=weights, device=device,
                             random_state=random_state)
    written = []
    if bids_root is not None:
        out.mkdir(parents=True, exist_ok=True)
        written += _write_bids_description(out, bids_root)
    # A bar over each recording's windows too, when recordings run one at a
    # time here (bars of parallel workers would interleave).
    windows_bar = bool(progress) and n_jobs == 1 and scheduler is None
    jobs = (delayed(_worker)(r, denoiser, picks, report, overwrite, threads,
                             windows_bar)
            for r in recs)
    if scheduler is not None:
        from distributed import Client

        client = Client(scheduler)
        config = parallel_config(backend="dask", n_jobs=-1)
    else:
        client, config = None, contextlib.nullcontext()
    bar = tqdm(total=len(recs), desc="Cleaning", unit="recording",
               disable=not progress or None)
    try:
        with config:
            results = Parallel(n_jobs=n_jobs, return_as="generator")(jobs)
            for files in results:
                written += files
                bar.update()
    finally:
        bar.close()
        if client is not None:
            client.close()
    return written


__all__ = ["BIDS_DESCRIPTION", "METHODS", "MODES", "Recording", "clean_one",
           "clean_raw", "clean_recordings", "make_denoiser"]

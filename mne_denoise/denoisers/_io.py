# License: BSD-3-Clause
"""Save and read denoisers: the file format and the registry of classes.

A saved denoiser is one ``torch.save`` file that ``torch.load(...,
weights_only=True)`` reads back: the class name, the constructor parameters
(``info`` as a plain dict), and the fitted state as names, numbers and
tensors. The class is found again by name in :data:`_REGISTRY`, which every
subclass of :class:`~mne_denoise.denoisers.BaseDenoiser` joins when it is
defined.
"""

from pathlib import Path

import mne
from sklearn.utils.validation import check_is_fitted

#: Version of the file layout written by :func:`save`.
_FORMAT = 1

#: Denoiser classes by name, for read_denoiser.
_REGISTRY = {}


def register(cls):
    """Make ``cls`` readable by :func:`read_denoiser` (by its class name)."""
    _REGISTRY[cls.__name__] = cls
    return cls


def registered():
    """The registered denoiser classes, by name (a copy)."""
    return dict(_REGISTRY)


def info_to_dict(info):
    """An ``mne.Info`` as the plain dict stored in files, or None."""
    if info is None:
        return None
    return {
        "ch_names": list(info.ch_names),
        "ch_types": list(info.get_channel_types()),
        "sfreq": float(info["sfreq"]),
    }


def info_from_dict(d):
    """The ``mne.Info`` of :func:`info_to_dict`, or None."""
    if d is None:
        return None
    return mne.create_info(d["ch_names"], d["sfreq"], d["ch_types"], verbose=False)


def save(est, fname, *, overwrite=False):
    """Write the fitted denoiser ``est`` to ``fname`` (see ``BaseDenoiser.save``)."""
    import torch

    check_is_fitted(est, "info_")
    fname = Path(fname)
    if fname.exists() and not overwrite:
        raise FileExistsError(f"{fname} exists; pass overwrite=True to replace it.")
    params = est.get_params(deep=False)
    params["info"] = info_to_dict(params["info"])
    state = {
        "format": _FORMAT,
        "class": type(est).__name__,
        "params": params,
        "fitted": est._fitted_state(),
    }
    torch.save(state, fname)


def read_denoiser(fname, *, device="auto"):
    """Read a denoiser written by ``denoiser.save(fname)``.

    Parameters
    ----------
    fname : path-like
        The file.
    device : str
        Where to put a network (``"auto"``: CUDA when present, else CPU);
        ignored by denoisers without one.

    Returns
    -------
    denoiser : instance of a denoiser class
        Fitted, ready to ``transform``.
    """
    import torch

    bundle = torch.load(fname, map_location="cpu", weights_only=True)
    name = bundle.get("class")
    if name not in _REGISTRY:
        raise ValueError(
            f"{fname} holds a {name!r}, which is not a denoiser of this version "
            f"of mne_denoise (known: {sorted(_REGISTRY)})."
        )
    params = dict(bundle["params"])
    params["info"] = info_from_dict(params["info"])
    est = _REGISTRY[name](**params)
    return est._restore(bundle["fitted"], device)

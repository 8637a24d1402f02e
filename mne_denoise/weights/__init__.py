# License: BSD-3-Clause
"""Pretrained weights shipped with the package, and their model cards.

Each model ``<name>`` ships ``<name>.pt`` (a dict holding ``state_dict``,
``module_params`` and ``meta``, loadable with ``torch.load(...,
weights_only=True)``) and ``<name>.md``, its model card. Both are written by
``mne-denoise train``.
"""

from pathlib import Path

__all__ = ["list_pretrained", "load_pretrained", "pretrained_path"]

_HERE = Path(__file__).parent


def list_pretrained():
    """Names of the pretrained models shipped with the package."""
    return sorted(p.stem for p in _HERE.glob("*.pt"))


def pretrained_path(name):
    """Path of the shipped weights ``name``; raises if they are missing.

    Parameters
    ----------
    name : str
        A name of :func:`list_pretrained`, e.g. ``'freq_domain'``.

    Returns
    -------
    path : pathlib.Path
        The ``.pt`` file.
    """
    path = _HERE / f"{name}.pt"
    if not path.is_file():
        raise FileNotFoundError(
            f"No pretrained weights named {name!r} in {_HERE} (shipped: "
            f"{list_pretrained()}). Train them with 'mne-denoise train {name}', "
            "or pass weights=None to start from random weights."
        )
    return path


def load_pretrained(name_or_path):
    """Load shipped weights by name, or a weights file by path.

    Parameters
    ----------
    name_or_path : str | path-like
        A name of :func:`list_pretrained` or the path of a ``.pt`` weights
        file (as ``mne-denoise train`` writes).

    Returns
    -------
    bundle : dict
        ``state_dict``, ``module_params`` and ``meta`` (training details).
    """
    import torch

    path = Path(name_or_path)
    if path.suffix != ".pt" or not path.is_file():
        path = pretrained_path(str(name_or_path))
    bundle = torch.load(path, map_location="cpu", weights_only=True)
    for key in ("state_dict", "module_params"):
        if key not in bundle:
            raise ValueError(
                f"{path} is not a weights file written by mne-denoise (no "
                f"{key!r} entry)."
            )
    bundle.setdefault("meta", {})
    return bundle

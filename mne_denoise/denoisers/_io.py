# License: BSD-3-Clause
"""Save and read denoisers: the file format and the registry of classes.

A saved denoiser is one ``torch.save`` file that ``torch.load(...,
weights_only=True)`` reads back, and :func:`read_denoiser` reads it no other
way: nothing in the file is unpickled as an arbitrary Python object. The file
is a dict of plain values (tensors, numbers, strings, lists, tuples, dicts)::

    {"format": 2, "mne_denoise_version": "0.1.0", "class": "UNetDenoiser",
     "params": {...}, "left_out": {name: reason}, "fitted": {...},
     "checksum": "<sha256 of class, params and fitted state>"}

The checksum catches what torch does not: damaged bytes inside the weights
load without error, and would denoise with wrong weights.

Parameters that are objects are stored as *descriptions*, dicts tagged with
the key :data:`_TAG`: an ``mne.Info`` (its channel names, types and rate), a
path, a numpy scalar or array, a class (its import path, restored only when it
subclasses one of :data:`_CLASS_BASES`), a skorch callback (its class and the
parameters it does not leave at their defaults). A parameter that cannot be
described (a function, a random generator, a class defined in ``__main__``...)
is left out with a warning at save, and the read estimator gets its default.

The class of the denoiser is found again by name in :data:`_REGISTRY`, which
every subclass of :class:`~mne_denoise.denoisers.BaseDenoiser` joins when it is
defined.
"""

import hashlib
import importlib
import inspect
import io
import os
import pickle
import re
import sys
import warnings
from pathlib import Path, PurePath

import mne
import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._version import __version__

#: Version of the file layout written by :func:`save`. Format 1 (mne_denoise
#: 0.1.0 before the descriptions, no package version recorded) is still read.
_FORMAT = 2
_READABLE_FORMATS = (1, 2)

#: The key that marks a dict of the file as a description of an object.
_TAG = "__mne_denoise__"

#: The only classes a file may name (by import path), by the name of the base
#: they must subclass: networks and losses, skorch callbacks, optimizers and
#: learning-rate schedulers. read_denoiser refuses any other class.
_CLASS_BASES = {
    "torch.nn.Module": ("torch.nn", "Module"),
    "skorch.callbacks.Callback": ("skorch.callbacks", "Callback"),
    "torch.optim.Optimizer": ("torch.optim", "Optimizer"),
    "torch.optim.lr_scheduler.LRScheduler": ("torch.optim.lr_scheduler",
                                             "LRScheduler"),
}

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


# ----------------------------------------------------------------------
# Classes by import path
class _Undescribable(Exception):
    """A value that the file cannot hold (the message says why)."""


def _base_class(base):
    module, name = _CLASS_BASES[base]
    return getattr(importlib.import_module(module), name)


def _resolve(module, qualname):
    obj = sys.modules.get(module) or importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


def _class_path(cls):
    """``'package.module:Qual.Name'`` of ``cls``; _Undescribable if it has none."""
    module, qualname = getattr(cls, "__module__", None), cls.__qualname__
    if module == "__main__":
        raise _Undescribable(
            f"the class {qualname} is defined in __main__ (a script or a "
            "notebook), which another session cannot import")
    if "<locals>" in qualname:
        raise _Undescribable(
            f"the class {cls.__name__} is defined inside the function "
            f"{qualname.rsplit('.<locals>', 1)[0]}, so it has no import path")
    try:
        found = _resolve(module, qualname)
    except (ImportError, AttributeError):
        found = None
    if found is not cls:
        raise _Undescribable(
            f"the class {qualname} is not found at its import path "
            f"{module}.{qualname}")
    return f"{module}:{qualname}"


def class_base(cls):
    """The name in :data:`_CLASS_BASES` of the base ``cls`` subclasses, or None."""
    for base in _CLASS_BASES:
        try:
            if issubclass(cls, _base_class(base)):
                return base
        except ImportError:  # pragma: no cover - torch and skorch are required
            continue
    return None


def check_class_savable(cls, name):
    """Raise a TypeError that says how to fix it when ``cls`` cannot be saved.

    ``name`` is the parameter that holds the class. A class cannot be saved
    without an import path, or when it subclasses none of the allowed bases.
    """
    try:
        _encode_class(cls)
    except _Undescribable as err:
        raise TypeError(
            f"{name}={cls.__name__} cannot be saved: {err}. Define the class "
            "at the top level of a module of your own (importable, e.g. "
            "mypackage.nets), or register it with mne_denoise.nn.zoo."
            "register_module('name', cls), build the denoiser with "
            f"{name}='name', and register it again before read_denoiser."
        ) from None


def _encode_class(cls):
    base = class_base(cls)
    if base is None:
        raise _Undescribable(
            f"the class {cls.__qualname__} is not a subclass of "
            f"{' or '.join(_CLASS_BASES)}, the only classes a file may name")
    return {_TAG: "class", "path": _class_path(cls), "base": base}


def _decode_class(desc):
    path, base = desc.get("path"), desc.get("base")
    if base not in _CLASS_BASES or not isinstance(path, str) or ":" not in path:
        raise ValueError(
            f"The file names a class {path!r} of base {base!r}; read_denoiser "
            f"only imports subclasses of {', '.join(_CLASS_BASES)}.")
    module, qualname = path.split(":", 1)
    try:
        cls = _resolve(module, qualname)
    except (ImportError, AttributeError) as err:
        raise ImportError(
            f"The file needs the class {qualname} of the module {module}, which "
            f"cannot be imported here ({type(err).__name__}: {err}). Install or "
            "put on sys.path the module that defines it; for a network, "
            "mne_denoise.nn.zoo.register_module('name', cls) with "
            "DeepDenoiser(module='name') saves a name instead of a path."
        ) from err
    if not (isinstance(cls, type) and issubclass(cls, _base_class(base))):
        raise ValueError(
            f"The file names {module}.{qualname} as a {base} subclass, and it is "
            "not one: read_denoiser refuses it.")
    return cls


# ----------------------------------------------------------------------
# Values: plain ones as they are, objects as tagged descriptions
_PLAIN = (type(None), bool, int, float, complex, str, bytes)


def _is_default(value, default):
    if value is default:
        return True
    try:
        return type(value) is type(default) and bool(value == default)
    except Exception:  # e.g. arrays: an ambiguous truth value
        return False


def _encode_callback(cb):
    cls = type(cb)
    desc = _encode_class(cls)
    sig = inspect.signature(cls.__init__).parameters
    params = {}
    for key, value in cb.get_params(deep=False).items():
        # Defaults are not stored (EarlyStopping's sink=print is no value).
        if key in sig and _is_default(value, sig[key].default):
            continue
        try:
            params[key] = _encode(value)
        except _Undescribable as err:
            raise _Undescribable(
                f"the callback {cls.__name__} has {key}={value!r}: {err}") from None
    return {_TAG: "callback", "class": desc, "params": params}


def _encode(value):
    """``value`` as what ``torch.load(weights_only=True)`` reads back."""
    import torch
    from skorch.callbacks import Callback

    if type(value) in _PLAIN or isinstance(value, torch.Tensor | torch.dtype
                                           | torch.device | torch.Size):
        return value
    if isinstance(value, mne.Info):  # before dict: an Info is one
        return {_TAG: "info", **info_to_dict(value)}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if type(value) is tuple:
        return tuple(_encode(v) for v in value)
    if isinstance(value, set | frozenset):
        return {_TAG: type(value).__name__, "items": [_encode(v) for v in value]}
    if isinstance(value, dict):
        if value and all(type(k) is str and isinstance(v, torch.Tensor)
                         for k, v in value.items()):
            return value  # a state dict, kept as torch saves it (_metadata)
        if all(type(k) in _PLAIN for k in value) and _TAG not in value:
            return {k: _encode(v) for k, v in value.items()}
        return {_TAG: "dict", "items": [[_encode(k), _encode(v)]
                                        for k, v in value.items()]}
    if isinstance(value, PurePath):
        return {_TAG: "path", "value": str(value)}
    if isinstance(value, np.generic) and value.dtype.kind in "biufc":
        return {_TAG: "numpy", "dtype": value.dtype.str, "value": value.item()}
    if isinstance(value, np.ndarray) and value.dtype.kind in "biufc":
        return {_TAG: "ndarray", "dtype": value.dtype.str,
                "data": torch.from_numpy(np.ascontiguousarray(value))}
    if isinstance(value, type):
        return _encode_class(value)
    if isinstance(value, Callback):
        return _encode_callback(value)
    what = ("a function" if callable(value)
            else f"an object of type {type(value).__name__}")
    raise _Undescribable(f"{what}, which a file of plain values cannot hold")


def _decode(value):
    """The inverse of :func:`_encode`."""
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if type(value) is tuple:
        return tuple(_decode(v) for v in value)
    if not isinstance(value, dict):
        return value
    kind = value.get(_TAG)
    if kind is None:
        return {k: _decode(v) for k, v in value.items()}
    if kind == "dict":
        return {_decode(k): _decode(v) for k, v in value["items"]}
    if kind in ("set", "frozenset"):
        return {"set": set, "frozenset": frozenset}[kind](
            _decode(v) for v in value["items"])
    if kind == "info":
        return info_from_dict(value)
    if kind == "path":
        return Path(value["value"])
    if kind in ("numpy", "ndarray"):
        dtype = np.dtype(value["dtype"])
        if dtype.kind not in "biufc":
            raise ValueError(f"The file holds a numpy value of dtype {dtype}; "
                             "only numeric ones are read.")
        if kind == "numpy":
            return dtype.type(value["value"])
        return value["data"].numpy().astype(dtype, copy=True)
    if kind == "class":
        return _decode_class(value)
    if kind == "callback":
        cls = _decode_class(value["class"])
        if value["class"]["base"] != "skorch.callbacks.Callback":
            raise ValueError(f"The file describes {cls.__name__} as a callback, "
                             "and it is not one: read_denoiser refuses it.")
        params = _decode(value["params"])
        try:
            return cls(**params)
        except Exception as err:
            raise ValueError(
                f"The callback {cls.__name__}(**{params!r}) of the file cannot be "
                f"built with this version of its package ({err}).") from err
    raise ValueError(f"The file holds an object of unknown kind {kind!r}: it was "
                     "written by a newer mne_denoise, or is corrupted.")


# ----------------------------------------------------------------------
# Save and read
def _checked(bundle):
    """The entries of a format-2 file that its checksum covers."""
    return [bundle.get(key) for key in ("class", "mne_denoise_version", "params",
                                        "left_out", "fitted")]


def _checksum(*contents):
    """SHA-256 of file contents (tensors by their bytes, the rest by repr)."""
    import torch

    digest = hashlib.sha256()

    def feed(value):
        if isinstance(value, torch.Tensor):
            t = value.detach().cpu().contiguous().reshape(-1)
            digest.update(f"<tensor {t.dtype} {tuple(value.shape)}>".encode())
            digest.update(t.view(torch.uint8).numpy().tobytes())
        elif isinstance(value, dict):
            digest.update(b"{")
            for key, item in value.items():
                feed(key)
                feed(item)
            digest.update(b"}")
        elif isinstance(value, list | tuple):
            digest.update(b"(" if isinstance(value, tuple) else b"[")
            for item in value:
                feed(item)
            digest.update(b")")
        else:
            digest.update(repr(value).encode() + b";")

    for content in contents:
        feed(content)
    return digest.hexdigest()


def _default(cls, name):
    param = inspect.signature(cls.__init__).parameters.get(name)
    if param is None or param.default is inspect.Parameter.empty:
        return "the network's or loss's own default" if "__" in name else \
            "no value"
    return f"the default, {param.default!r}"


def save(est, fname, *, overwrite=False):
    """Write the fitted denoiser ``est`` to ``fname`` (see ``BaseDenoiser.save``)."""
    import torch

    check_is_fitted(est, "info_")
    fname = Path(fname)
    if fname.exists() and not overwrite:
        raise FileExistsError(f"{fname} exists; pass overwrite=True to replace it.")
    cls = type(est)
    try:
        fitted = _encode(est._fitted_state())
    except _Undescribable as err:
        raise TypeError(
            f"{cls.__name__} cannot be saved: its fitted state holds {err}. "
            "A module__ argument must be a plain value or an importable class."
        ) from None
    params, left_out = {}, {}
    for name, value in est.get_params(deep=False).items():
        try:
            params[name] = _encode(value)
        except _Undescribable as err:
            left_out[name] = str(err)
            warnings.warn(
                f"{cls.__name__}.save leaves the parameter {name!r} out of the "
                f"file: it holds {err}. read_denoiser gives it "
                f"{_default(cls, name)}; set it again with set_params if needed.",
                UserWarning, stacklevel=3)
    bundle = {
        "format": _FORMAT,
        "mne_denoise_version": __version__,
        "class": cls.__name__,
        "params": params,
        "left_out": left_out,
        "fitted": fitted,
    }
    bundle["checksum"] = _checksum(*_checked(bundle))
    buffer = io.BytesIO()
    torch.save(bundle, buffer)
    # Written to a neighbour then renamed: an interrupted save never leaves a
    # truncated file under the name.
    tmp = fname.with_name(f".{fname.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(buffer.getvalue())
        os.replace(tmp, fname)
    finally:
        tmp.unlink(missing_ok=True)


def _not_a_denoiser(fname, why):
    return ValueError(
        f"{fname} is not a denoiser file: {why}. read_denoiser reads the files "
        "written by denoiser.save(fname).")


def _reason(err):
    """The informative line of torch's (long) UnpicklingError."""
    found = re.search(r"Unpickler error:\s*(.+)", str(err))
    return f"{type(err).__name__}: " + (found[1] if found else str(err))[:200]


def _load(fname):
    """torch.load(weights_only=True), with errors that say what the file is."""
    import torch

    if fname.is_dir():
        raise IsADirectoryError(f"{fname} is a folder, not a denoiser file.")
    if not fname.exists():
        raise FileNotFoundError(f"No such denoiser file: {fname}.")
    if fname.stat().st_size == 0:
        raise _not_a_denoiser(fname, "it is empty")
    try:
        with warnings.catch_warnings():
            # torch warns about the pickle protocol of non-torch files.
            warnings.simplefilter("ignore")
            return torch.load(fname, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as err:
        # A name that is no dotted identifier is damage, not an object.
        found = re.findall(r"Unsupported global: GLOBAL ([A-Za-z_][\w.]*) was",
                           str(err))
        if found:
            raise ValueError(
                f"{fname} holds a Python object ({found[0]}) that read_denoiser "
                "does not load: unpickling it could run arbitrary code. Files "
                "written by mne_denoise 0.1.0 before format 2 hold such objects "
                "when the denoiser had callbacks. If you trust the file, read it "
                "with torch.load(fname, weights_only=False), rebuild the "
                "denoiser from its 'params' and save it again."
            ) from None
        raise _not_a_denoiser(
            fname, "torch cannot read it (truncated, corrupted, or another kind "
            f"of file: {_reason(err)})") from err
    except (RuntimeError, EOFError, KeyError, OSError, ValueError,
            UnicodeDecodeError, AttributeError, IndexError, TypeError) as err:
        raise _not_a_denoiser(
            fname, "torch cannot read it (truncated, corrupted, or another kind "
            f"of file: {type(err).__name__}: {str(err)[:200]})") from err


def read_denoiser(fname, *, device="auto"):
    """Read a denoiser written by ``denoiser.save(fname)``.

    The file is read with ``torch.load(..., weights_only=True)``: no Python
    object of the file is unpickled. Classes (a network class given as
    ``module``, skorch callbacks) are imported by the import path the file
    records, and only when they subclass :class:`torch.nn.Module`,
    :class:`skorch.callbacks.Callback`, :class:`torch.optim.Optimizer` or
    :class:`torch.optim.lr_scheduler.LRScheduler`; a module named by the file
    is imported as an ``import`` statement would.

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

    Raises
    ------
    ValueError
        When the file is not a denoiser file (empty, truncated, corrupted,
        another torch file), holds unsafe Python objects, or comes from an
        incompatible version of the format.
    ImportError
        When a class the file names cannot be imported.
    """
    fname = Path(fname)
    bundle = _load(fname)
    if not (isinstance(bundle, dict) and "format" in bundle and "class" in bundle):
        what = (f"a dict with the keys {sorted(map(str, bundle))[:6]}"
                if isinstance(bundle, dict) else f"a {type(bundle).__name__}")
        raise _not_a_denoiser(fname, f"it holds {what}, without the 'format' and "
                              "'class' entries that save writes")
    fmt, version = bundle["format"], bundle.get("mne_denoise_version",
                                            "(version not recorded)")
    if fmt not in _READABLE_FORMATS:
        raise ValueError(
            f"{fname} has the file format {fmt!r} (written by mne_denoise "
            f"{version}), and this mne_denoise ({__version__}) reads the formats "
            f"{list(_READABLE_FORMATS)}. Install a version that reads it (pip "
            "install -U mne-denoise), or save the denoiser again from the "
            "version that wrote it.")
    name = bundle["class"]
    if name not in _REGISTRY:
        raise ValueError(
            f"{fname} holds a {name!r}, which is not a denoiser of this version "
            f"of mne_denoise (known: {sorted(_REGISTRY)})."
        )
    cls = _REGISTRY[name]
    if not (isinstance(bundle.get("params"), dict)
            and isinstance(bundle.get("fitted"), dict)):
        raise _not_a_denoiser(fname, "its 'params' or 'fitted' entry is missing")
    if fmt >= 2 and bundle.get("checksum") != _checksum(*_checked(bundle)):
        raise ValueError(
            f"{fname} is corrupted: its contents (parameters or weights) do not "
            "match the checksum recorded when it was saved. Save the denoiser "
            "again, or copy the file again from its source.")
    try:
        params = _decode(bundle["params"])
    except (KeyError, TypeError, AttributeError, IndexError) as err:
        raise ValueError(
            f"{fname} holds damaged parameters for {name} ({type(err).__name__}: "
            f"{err}). Save the denoiser again.") from err
    if fmt == 1 and isinstance(params.get("info"), dict):
        params["info"] = info_from_dict(params["info"])
    # Routed network/loss arguments (module__depth) are any name with '__'.
    known = set(cls._get_param_names()) | set(getattr(cls, "_extra_params", ()))
    unknown = sorted(k for k in params if k not in known and "__" not in k)
    if unknown:
        raise ValueError(
            f"{fname} (written by mne_denoise {version}) gives {name} the "
            f"parameters {unknown}, which this version ({__version__}) does not "
            "have. Install the version that wrote it (or a newer one).")
    est = cls(**params)
    try:
        return est._restore(_decode(bundle["fitted"]), device)
    except (KeyError, TypeError, AttributeError, IndexError) as err:
        raise ValueError(
            f"{fname} holds an incomplete or damaged fitted state for {name} "
            f"({type(err).__name__}: {err}). Save the denoiser again."
        ) from err

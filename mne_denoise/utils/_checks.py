# License: BSD-3-Clause
"""Argument validation with MNE's wording, used by every module of the package.

Pure Python and NumPy (no MNE, scikit-learn or torch import), so that the
torch-only :mod:`mne_denoise.nn` can use it too. Each message names the
parameter, what is allowed and what was received.
"""

import numbers

import numpy as np


def _check_option(name, value, allowed):
    """Raise a ValueError unless ``value`` is one of ``allowed``.

    Parameters
    ----------
    name : str
        The parameter's name, as the user wrote it.
    value : object
        What was received.
    allowed : sequence
        The allowed values.

    Returns
    -------
    value : object
        ``value`` itself.
    """
    if value not in allowed:
        allowed_txt = ", ".join(repr(a) for a in allowed)
        raise ValueError(
            f"Invalid value for the {name!r} parameter. Allowed values are "
            f"{allowed_txt}, but got {value!r} instead."
        )
    return value


def _validate_type(value, types, name, type_name):
    """Raise a TypeError unless ``isinstance(value, types)``.

    ``type_name`` says in words what is expected (``"an int"``).
    """
    if not isinstance(value, types):
        raise TypeError(
            f"{name} must be {type_name}, got {type(value).__name__} "
            f"({value!r}) instead."
        )
    return value


def _check_int(value, name, *, minimum=None):
    """An integer (not a bool), at least ``minimum``; returned as ``int``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer, got {type(value).__name__} ({value!r}) "
            "instead."
        )
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}.")
    return int(value)


def _check_positive(value, name, *, integer=False, allow_zero=False):
    """A finite number > 0 (>= 0 with ``allow_zero``); an int with ``integer``.

    Returns the value as ``int`` (``integer=True``) or ``float``.
    """
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        what = "an integer" if integer else "a number"
        raise TypeError(
            f"{name} must be {what}, got {type(value).__name__} ({value!r}) "
            "instead."
        )
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    if value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be {bound}, got {value!r}.")
    return int(value) if integer else float(value)


def _check_fraction(value, name, *, closed_right=False):
    """A number in [0, 1) (or [0, 1] with ``closed_right``), returned as float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a number, got {type(value).__name__} ({value!r}) "
            "instead."
        )
    high_ok = value <= 1.0 if closed_right else value < 1.0
    if not (0.0 <= value and high_ok):
        interval = "[0, 1]" if closed_right else "[0, 1)"
        raise ValueError(f"{name} must be in {interval}, got {value!r}.")
    return float(value)

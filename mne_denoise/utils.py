# License: BSD-3-Clause
"""Validation helpers and scikit-learn check bookkeeping."""

import numbers

__all__ = ["expected_failed_checks"]


def _check_option(name, value, allowed):
    """Raise a ValueError naming the parameter, the allowed values and the value."""
    if value not in allowed:
        allowed_txt = ", ".join(repr(a) for a in allowed)
        raise ValueError(
            f"Invalid value for the {name!r} parameter. Allowed values are "
            f"{allowed_txt}, but got {value!r} instead."
        )
    return value


def _validate_type(value, types, name, type_name):
    """Raise a TypeError naming the parameter, the expected and the given type."""
    if not isinstance(value, types):
        raise TypeError(
            f"{name} must be {type_name}, got {type(value).__name__} "
            f"({value!r}) instead."
        )
    return value


def _check_positive(value, name, *, integer=False, allow_zero=False):
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        what = "an integer" if integer else "a number"
        raise TypeError(f"{name} must be {what}, got {value!r}.")
    if value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be {bound}, got {value!r}.")
    return value


# Checks of scikit-learn's suite that cannot apply to a denoiser, with why.
# Keep this list short and honest: every entry is a real limitation.
_EXPECTED_FAILED_CHECKS = {
    # The deep zoo: the signatures end in **kwargs, through which the
    # network's and the loss's arguments are routed skorch-style
    # (module__depth=3). The check passes a parameter literally named
    # "kwargs", which __init__ rejects with a TypeError suggesting the valid
    # names, as Python does for any unknown keyword.
    **{name: {"check_do_not_raise_errors_in_init_or_set_params": (
        "The signature ends in **kwargs for skorch-style module__*/criterion__* "
        "arguments; the check passes one literally named 'kwargs', which is "
        "rejected as an unknown argument. Named parameters are stored "
        "unvalidated.")}
       for name in ("DeepDenoiser", "BGAttentionDenoiser", "FCNNDenoiser",
                    "SimpleCNNDenoiser", "ComplexCNNDenoiser", "LSTMDenoiser",
                    "UNetDenoiser", "BiLSTMAEDenoiser", "DVAEDenoiser")},
}


def expected_failed_checks(estimator):
    """Checks of scikit-learn's suite that cannot apply to ``estimator``.

    Use it as ``parametrize_with_checks([est], expected_failed_checks=
    expected_failed_checks)`` or ``check_estimator(est,
    expected_failed_checks=expected_failed_checks(est))``.

    Parameters
    ----------
    estimator : estimator instance
        A denoiser of this package.

    Returns
    -------
    checks : dict
        Check name -> reason. Empty when every check applies.
    """
    return dict(_EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {}))

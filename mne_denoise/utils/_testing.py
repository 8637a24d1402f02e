# License: BSD-3-Clause
"""scikit-learn check bookkeeping."""

__all__ = ["expected_failed_checks"]


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

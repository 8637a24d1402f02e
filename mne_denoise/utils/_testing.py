# License: BSD-3-Clause
"""scikit-learn check bookkeeping, read off the estimators themselves."""

__all__ = ["expected_failed_checks"]


def expected_failed_checks(estimator):
    """Checks of scikit-learn's suite that cannot apply to ``estimator``.

    Each denoiser class states its own, with why, in its
    ``_expected_failed_checks`` class attribute (a new denoiser inherits
    none); every class of the package's registry has none today. Use it as
    ``parametrize_with_checks([est], expected_failed_checks=
    expected_failed_checks)`` or ``check_estimator(est,
    expected_failed_checks=expected_failed_checks(est))``.

    Parameters
    ----------
    estimator : estimator instance
        A denoiser of this package (any other estimator has none).

    Returns
    -------
    checks : dict
        Check name -> reason. Empty when every check applies.
    """
    return dict(getattr(type(estimator), "_expected_failed_checks", None) or {})

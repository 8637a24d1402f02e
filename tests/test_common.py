"""scikit-learn's own estimator checks, on every denoiser."""

import pytest
from sklearn.utils.estimator_checks import check_estimator, parametrize_with_checks

from mne_denoise import FreqDomainDenoiser, LowRankDenoiser, LowRankUnfoldedDenoiser
from mne_denoise.utils import expected_failed_checks

ESTIMATORS = [
    FreqDomainDenoiser(sfreq=256.0),
    LowRankDenoiser(sfreq=256.0),
    LowRankUnfoldedDenoiser(sfreq=256.0),
]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_enough_checks_really_run(estimator):
    # An estimator that tags itself out of the checks has not passed them.
    results = check_estimator(
        estimator, expected_failed_checks=expected_failed_checks(estimator),
        on_fail=None, on_skip=None,
    )
    ran = [r for r in results if r["status"] == "passed"]
    failed = [r for r in results if r["status"] == "failed"]
    assert not failed, failed
    assert len(ran) >= 30, len(ran)

"""scikit-learn's own estimator checks, on every exported denoiser."""

import inspect

import pytest
from sklearn.utils.estimator_checks import check_estimator, parametrize_with_checks

import mne_denoise
from mne_denoise.denoisers import BaseDeepDenoiser, BaseDenoiser
from mne_denoise.utils import expected_failed_checks
from tests._tiny import TINY_ZOO

#: Tiny networks and one epoch of training keep each check to a fraction of
#: a second. Keyed by class name; a deep denoiser without an entry is checked
#: with its default network (slow, but never skipped).
TINY = {
    "DeepDenoiser": dict(module="unet", module__depth=2, module__channels=2),
    **TINY_ZOO,
    # The flagship denoisers are checked with their shipped weights.
    "FreqDomainDenoiser": {},
    "LowRankUnfoldedDenoiser": {},
    "RegressionDenoiser": dict(on_missing="ignore"),
    # Trained from scratch with a tiny network (its weights are checked in
    # tests/denoisers/test_spatial.py).
    "SpatialDenoiser": dict(weights=None, max_epochs=1, batch_size=8,
                            pairs_per_epoch=8, module__hidden=8, module__n_heads=2,
                            module__n_layers=1, module__n_frequencies=4),
}
#: Training settings of the zoo (no shipped weights, so fit trains).
_FAST = dict(max_epochs=1, batch_size=8)


def _exported():
    """Every estimator class of the public API (abstract bases left out)."""
    classes = [getattr(mne_denoise, name) for name in mne_denoise.__all__]
    return [c for c in classes if inspect.isclass(c) and issubclass(c, BaseDenoiser)
            and c not in (BaseDenoiser, BaseDeepDenoiser)]


def _instance(cls):
    params = dict(sfreq=256.0, **TINY.get(cls.__name__, {}))
    weights = inspect.signature(cls).parameters["weights"].default \
        if issubclass(cls, BaseDeepDenoiser) else None
    if issubclass(cls, BaseDeepDenoiser) and weights != "pretrained":
        params.update(_FAST)
    return cls(**params)


ESTIMATORS = [_instance(cls) for cls in _exported()]


def test_registry_is_covered():
    names = {type(e).__name__ for e in ESTIMATORS}
    # The four classical baselines (ICA + ICLabel among them), the low-rank
    # solver, two flagship, nine zoo and the multichannel denoisers.
    assert len(names) == 17, sorted(names)
    assert set(TINY) <= names, set(TINY) - names


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_no_expected_failures_and_enough_checks_run(estimator):
    # An estimator that tags itself out of the checks has not passed them.
    assert expected_failed_checks(estimator) == {}
    results = check_estimator(
        estimator, expected_failed_checks=expected_failed_checks(estimator),
        on_fail=None, on_skip=None,
    )
    ran = [r for r in results if r["status"] == "passed"]
    failed = [r for r in results if r["status"] == "failed"]
    assert not failed, failed
    assert len(ran) >= 30, len(ran)

"""scikit-learn's estimator checks on the zoo and the classical baselines."""

import pytest
from sklearn.utils.estimator_checks import check_estimator, parametrize_with_checks

from mne_denoise.denoisers._classical import (
    BandpassDenoiser,
    ICADenoiser,
    RegressionDenoiser,
)
from mne_denoise.denoisers._deep import (
    BGAttentionDenoiser,
    BiLSTMAEDenoiser,
    ComplexCNNDenoiser,
    DeepDenoiser,
    DVAEDenoiser,
    FCNNDenoiser,
    LSTMDenoiser,
    SimpleCNNDenoiser,
    UNetDenoiser,
)
from mne_denoise.utils import expected_failed_checks

#: One epoch of training on tiny networks keeps each check to a fraction of a
#: second.
_FAST = dict(sfreq=256.0, max_epochs=1, batch_size=8)

ESTIMATORS = [
    DeepDenoiser("unet", module__depth=2, module__channels=2, **_FAST),
    BGAttentionDenoiser(module__hidden=4, module__n_heads=2, module__frame=16,
                        **_FAST),
    FCNNDenoiser(module__hidden=8, module__n_hidden_layers=1, **_FAST),
    SimpleCNNDenoiser(module__channels=2, module__n_layers=1, module__head="conv",
                      **_FAST),
    ComplexCNNDenoiser(module__channels=2, module__bottleneck=2, module__n_blocks=1,
                       module__head="conv", **_FAST),
    LSTMDenoiser(module__dense=8, module__n_dense=1, **_FAST),
    UNetDenoiser(module__depth=1, module__channels=2, **_FAST),
    BiLSTMAEDenoiser(module__frame=32, module__hidden=4, module__latent=2, **_FAST),
    DVAEDenoiser(module__channels=(2,), module__latent_channels=1, **_FAST),
    BandpassDenoiser(sfreq=256.0),
    RegressionDenoiser(sfreq=256.0, on_missing="ignore"),
    ICADenoiser(sfreq=256.0),
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

"""The card's use: denoiser + CSP + LDA on real EEGMMIDB motor imagery."""

import numpy as np
import pytest
from mne.decoding import CSP
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis as LDA
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline

from mne_denoise import FreqDomainDenoiser
from mne_denoise.datasets import get_shared_data_path, load_motor_imagery

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def mi_epochs():
    try:
        get_shared_data_path()
    except FileNotFoundError as err:
        pytest.skip(str(err))
    epochs = load_motor_imagery(subject=1, runs=(6, 10, 14), verbose=False)
    return epochs


def _pipe(den):
    return make_pipeline(den, CSP(n_components=6, log=True), LDA())


def test_cross_val_with_epochs_and_arrays(mi_epochs):
    y = mi_epochs.events[:, 2]
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    with_epochs = cross_val_score(_pipe(FreqDomainDenoiser()), mi_epochs, y, cv=cv)
    with_arrays = cross_val_score(
        _pipe(FreqDomainDenoiser(info=mi_epochs.info)), mi_epochs.get_data(), y,
        cv=cv)
    np.testing.assert_allclose(with_epochs, with_arrays)
    baseline = cross_val_score(
        make_pipeline(CSP(n_components=6, log=True), LDA()), mi_epochs.get_data(),
        y, cv=cv)
    # S001 hands vs feet decodes well; the denoiser must not wreck it.
    assert baseline.mean() > 0.8
    assert with_epochs.mean() > 0.8


def test_grid_search_over_denoiser_params(mi_epochs):
    y = mi_epochs.events[:, 2]
    pipe = _pipe(FreqDomainDenoiser())
    grid = GridSearchCV(
        pipe, {"freqdomaindenoiser__overlap": [0.0, 0.5]},
        cv=StratifiedKFold(3, shuffle=True, random_state=0))
    grid.fit(mi_epochs, y)
    assert set(grid.cv_results_["param_freqdomaindenoiser__overlap"]) == {0.0, 0.5}
    assert grid.best_score_ > 0.7


def test_low_rank_unfolded_pipeline_and_grid(mi_epochs):
    from mne_denoise import LowRankUnfoldedDenoiser

    # The sensorimotor channels keep the fine-tuning inside the grid quick.
    epochs = mi_epochs.copy().pick(
        ["FC3", "FCz", "FC4", "C5", "C3", "C1", "Cz", "C2", "C4", "C6", "CP3",
         "CPz", "CP4"])
    y = epochs.events[:, 2]
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    by_epochs = cross_val_score(_pipe_small(LowRankUnfoldedDenoiser()), epochs, y,
                                cv=cv)
    by_arrays = cross_val_score(
        _pipe_small(LowRankUnfoldedDenoiser(info=epochs.info)), epochs.get_data(),
        y, cv=cv)
    np.testing.assert_allclose(by_epochs, by_arrays)
    assert by_epochs.mean() > 0.7
    grid = GridSearchCV(
        _pipe_small(LowRankUnfoldedDenoiser(batch_size=32, random_state=0)),
        {"lowrankunfoldeddenoiser__n_stages": [2, 4],
         "lowrankunfoldeddenoiser__max_epochs": [0, 1]},
        cv=StratifiedKFold(2, shuffle=True, random_state=0))
    grid.fit(epochs, y)
    assert len(grid.cv_results_["params"]) == 4
    assert np.all(np.isfinite(grid.cv_results_["mean_test_score"]))


def _pipe_small(den):
    return make_pipeline(den, CSP(n_components=4, log=True), LDA())

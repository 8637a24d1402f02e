# License: BSD-3-Clause
"""Fine-tuning on epochs shorter than the networks' 2-s window (down to 1 s)."""

import numpy as np
import pytest
import torch
from mne.decoding import CSP
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis as LDA
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from mne_denoise.denoisers._deep import UNetDenoiser
from mne_denoise.denoisers._freq_domain import FreqDomainDenoiser
from mne_denoise.denoisers._low_rank_unfolded import LowRankUnfoldedDenoiser
from mne_denoise.utils._windowing import Windowing

from ..conftest import _make_epochs
from .test_zoo import UNET

MODEL_SFREQ, N_WINDOW = 256.0, 512


@pytest.fixture(scope="module")
def one_second():
    """12 epochs of exactly 1 s at 160 Hz: 6 EEG, one EOG, one EMG channel."""
    return _make_epochs(n_times=160)


@pytest.fixture(scope="module")
def tiny_unet_weights(one_second, tmp_path_factory):
    """A weights file of a tiny U-Net, trained for one epoch on 1-s epochs."""
    den = UNetDenoiser(weights=None, max_epochs=1, batch_size=16, random_state=0,
                       **UNET).fit(one_second)
    path = tmp_path_factory.mktemp("weights") / "tiny_unet.pt"
    torch.save({"state_dict": den.net_.module_.state_dict(),
                "module_params": dict(den.module_params_)}, path)
    return path


def _make(kind, weights, **kw):
    if kind == "freq_domain":
        return FreqDomainDenoiser(random_state=0, **kw)
    if kind == "low_rank_unfolded":
        return LowRankUnfoldedDenoiser(random_state=0, **kw)
    return UNetDenoiser(weights=str(weights), batch_size=16, random_state=0, **kw)


@pytest.mark.parametrize("as_array", [False, True], ids=["epochs", "array"])
@pytest.mark.parametrize("kind", ["freq_domain", "low_rank_unfolded", "unet"])
def test_one_second_epochs_fine_tune_in_grid_search(one_second, tiny_unet_weights,
                                                    kind, as_array):
    y = one_second.events[:, 2]
    X = one_second.get_data() if as_array else one_second
    kw = {"info": one_second.info} if as_array else {}
    pipe = make_pipeline(_make(kind, tiny_unet_weights, **kw), CSP(2, log=True),
                         LDA())
    step = pipe.steps[0][0]
    grid = GridSearchCV(pipe, {f"{step}__max_epochs": [0, 1]}, cv=3,
                        error_score="raise").fit(X, y)
    assert np.isfinite(grid.cv_results_["mean_test_score"]).all()
    # One epoch of fine-tuning on 1-s epochs moves the weights.
    loaded = _make(kind, tiny_unet_weights, max_epochs=0, **kw).fit(X[:8])
    tuned = _make(kind, tiny_unet_weights, max_epochs=1, **kw).fit(X[:8])
    before = loaded.net_.module_.state_dict()
    after = tuned.net_.module_.state_dict()
    assert any(not torch.equal(before[k], after[k]) for k in before)


class _Stop(Exception):
    """Raised by the spy once the training pools are seen."""


def _training_pools_of(den, X, monkeypatch):
    seen = {}

    def spy(self, module_params, clean, artifacts, **kwargs):
        seen.update(clean=clean, valid=kwargs["clean_valid"], artifacts=artifacts)
        raise _Stop

    monkeypatch.setattr(type(den), "_fit_network", spy)
    with pytest.raises(_Stop):
        den.fit(X)
    return seen


def test_short_training_windows_are_padded_as_transform_pads(one_second,
                                                             monkeypatch):
    den = FreqDomainDenoiser(max_epochs=1, random_state=0)
    seen = _training_pools_of(den, one_second, monkeypatch)
    windows = np.concatenate([seen["clean"], seen["valid"]])
    assert windows.shape[1] == N_WINDOW and len(windows) >= 30
    # The windows transform cuts from the same (non-frontal EEG) channels.
    data = one_second.get_data(picks=["C3", "Cz", "C4", "O1"])
    sig = data.reshape(-1, data.shape[-1])
    sig = sig - sig.mean(axis=1, keepdims=True)
    w = Windowing(sig, one_second.info["sfreq"], MODEL_SFREQ, N_WINDOW, 0.5)
    assert w.windows.shape[1] == 1  # one padded window per epoch and channel
    expected = w.windows[:, 0] - w.windows[:, 0].mean(axis=1, keepdims=True)
    dist = np.abs(windows[:, None] - expected[None]).max(axis=-1)
    np.testing.assert_array_less(dist.min(axis=1), 1e-9 * np.abs(expected).max())


def test_reference_channels_of_short_epochs_give_artifact_segments(one_second,
                                                                   monkeypatch):
    den = FreqDomainDenoiser(max_epochs=1, random_state=0)
    artifacts = _training_pools_of(den, one_second, monkeypatch)["artifacts"]
    # One segment per epoch from the EOG and one from the EMG channel, not
    # the simulators' (at least 64 of each).
    assert [a.shape for a in artifacts] == [(len(one_second), N_WINDOW)] * 2
    eog = artifacts[0]
    blink = eog[:, :N_WINDOW // 2].std(axis=1)
    assert (blink > 0).all()
    # The second second mirrors the first, as transform pads a 1-s epoch.
    n = N_WINDOW // 2
    np.testing.assert_allclose(eog[:, n:2 * n - 1], eog[:, n - 2::-1],
                               rtol=0, atol=1e-12 * np.abs(eog).max())


@pytest.mark.parametrize("cls", [FreqDomainDenoiser, LowRankUnfoldedDenoiser])
def test_epochs_below_one_second_say_the_minimum(cls):
    half = _make_epochs(n_epochs=4, n_times=80)
    with pytest.raises(ValueError, match=r"at least 1 s .*got 0\.5 s"):
        cls(max_epochs=1).fit(half)
    # Loading the weights (no training) still works on them.
    out = cls().fit(half).transform(half)
    assert out.get_data().shape == half.get_data().shape

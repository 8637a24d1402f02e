import pickle

import mne
import numpy as np
import pytest
import torch
from mne.decoding import CSP
from sklearn.base import clone
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis as LDA
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline

from mne_denoise import read_denoiser
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
from mne_denoise.nn.zoo import MODULES, DVAELoss

#: Tiny networks: every test trains in well under a second.
NAMED = {
    BGAttentionDenoiser: dict(module__hidden=4, module__n_heads=2, module__frame=8),
    FCNNDenoiser: dict(module__hidden=16, module__n_hidden_layers=1),
    SimpleCNNDenoiser: dict(module__channels=2, module__n_layers=1),
    ComplexCNNDenoiser: dict(module__channels=2, module__bottleneck=2,
                             module__n_blocks=1),
    LSTMDenoiser: dict(module__dense=16, module__n_dense=1),
    UNetDenoiser: dict(module__depth=2, module__channels=2),
    BiLSTMAEDenoiser: dict(module__frame=16, module__hidden=4, module__latent=2),
    DVAEDenoiser: dict(module__channels=(2, 4), module__latent_channels=2),
}
FAST = dict(max_epochs=1, batch_size=16, random_state=0)
UNET = dict(module__depth=2, module__channels=2)


def _changed(a, b):
    return np.abs(a - b).max() > 0.01 * np.abs(b).max()


@pytest.mark.parametrize("cls", list(NAMED), ids=lambda c: c.__name__)
def test_named_denoisers_train_and_denoise(cls, epochs):
    before = epochs.get_data().copy()
    den = cls(**NAMED[cls], **FAST).fit(epochs)
    assert len(den.net_.history) == 1
    assert np.isfinite(den.net_.history[-1, "train_loss"])
    assert isinstance(den.net_.module_, MODULES[cls._fixed_module])
    out = den.transform(epochs)
    assert isinstance(out, mne.BaseEpochs)
    got = out.get_data()
    np.testing.assert_array_equal(epochs.get_data(), before)
    np.testing.assert_array_equal(got[:, 6:], before[:, 6:])  # references
    assert _changed(got[:, :6], before[:, :6]) and np.all(np.isfinite(got))
    np.testing.assert_array_equal(out.events, epochs.events)
    # Arrays with an info give the same as Epochs; 2-D arrays are segments.
    np.testing.assert_allclose(
        cls(info=epochs.info, **NAMED[cls], **FAST).fit(before).transform(before),
        got, atol=1e-12)
    seg = before[:, 2]
    assert den.transform(epochs.get_data()).shape == before.shape
    two_d = cls(sfreq=160.0, **NAMED[cls], **FAST).fit(seg)
    assert two_d.transform(seg).shape == seg.shape


def test_named_is_deepdenoiser_with_that_module(epochs):
    a = UNetDenoiser(**UNET, **FAST).fit(epochs).transform(epochs).get_data()
    b = DeepDenoiser("unet", **UNET, **FAST).fit(epochs).transform(epochs).get_data()
    np.testing.assert_allclose(a, b)
    assert "module" not in UNetDenoiser().get_params()


class _MyNet(torch.nn.Module):
    """A user's network: a learned FIR filter."""

    def __init__(self, n_times, *, width=9):
        super().__init__()
        self.conv = torch.nn.Conv1d(1, 1, width, padding="same")

    def forward(self, x):
        return self.conv(x), x.mean()  # extra outputs are allowed


def test_user_module_class(epochs, tmp_path):
    den = DeepDenoiser(_MyNet, module__width=5, **FAST).fit(epochs)
    assert isinstance(den.net_.module_, _MyNet)
    assert den.net_.module_.conv.kernel_size == (5,)
    assert np.all(np.isfinite(den.transform(epochs).get_data()))
    # A class at the top level of a module is saved by its import path
    # (tests/denoisers/test_io.py covers the classes that have none).
    den.save(tmp_path / "mine.pt")
    assert read_denoiser(tmp_path / "mine.pt").module is _MyNet
    with pytest.raises(TypeError, match="has no argument 'widht'.*module__width"):
        DeepDenoiser(_MyNet, module__widht=5, **FAST).fit(epochs)

    class NoLength(torch.nn.Module):
        def __init__(self, width=3):
            super().__init__()

    with pytest.raises(TypeError, match="must take an n_times argument"):
        DeepDenoiser(NoLength, **FAST).fit(epochs)
    with pytest.raises(TypeError, match="Pass the class, not an instance"):
        DeepDenoiser(_MyNet(512), **FAST).fit(epochs)


def test_module_params_routing_clone_and_grid_search(epochs):
    den = DeepDenoiser("unet", module__depth=3, criterion__sfreq=256.0)
    params = den.get_params()
    assert params["module__depth"] == 3 and params["criterion__sfreq"] == 256.0
    den.set_params(module__depth=2, module__channels=2, max_epochs=1)
    assert den.get_params()["module__depth"] == 2
    c = clone(den)
    assert c.get_params() == den.get_params()
    c.set_params(module__depth=1)
    assert den.get_params()["module__depth"] == 2  # clones share nothing
    assert "module__depth=2" in repr(den)
    fitted = den.set_params(batch_size=16, random_state=0).fit(epochs)
    assert fitted.module_params_ == {"depth": 2, "channels": 2}
    assert fitted.net_.module_.depth == 2
    y = epochs.events[:, 2]
    pipe = make_pipeline(DeepDenoiser("unet", module__channels=2, **FAST),
                         CSP(n_components=2), LDA())
    grid = GridSearchCV(pipe, {"deepdenoiser__module__depth": [1, 2]}, cv=2)
    grid.fit(epochs, y)
    assert grid.best_params_["deepdenoiser__module__depth"] in (1, 2)
    assert grid.best_estimator_[0].net_.module_.depth \
        == grid.best_params_["deepdenoiser__module__depth"]


def test_routed_params_are_the_module_params(epochs):
    den = DeepDenoiser("unet", module__channels=2, module__depth=1,
                       **FAST).fit(epochs)
    assert den.module_params_ == {"channels": 2, "depth": 1}
    # module_params is no longer a parameter: module__<name> is the one way.
    assert "module_params" not in den.get_params()
    with pytest.raises(TypeError, match="unexpected keyword argument "
                                        "'module_params'"):
        DeepDenoiser("unet", module_params={"depth": 2}, **FAST).fit(epochs)
    with pytest.raises(ValueError, match="n_times is set by the denoiser"):
        DeepDenoiser("unet", module__n_times=256, **FAST).fit(epochs)


def test_dvae_criterion_params_are_routed(epochs):
    den = DVAEDenoiser(**NAMED[DVAEDenoiser], criterion__beta=0.5, **FAST)
    den.fit(epochs)
    assert isinstance(den.net_.criterion_, DVAELoss)
    assert den.net_.criterion_.beta == 0.5


def test_adversarial_training(epochs):
    den = DeepDenoiser("unet", adversarial=True, **UNET, **FAST).fit(epochs)
    batch = den.net_.history[-1, "batches", 0]
    assert "d_loss" in batch and "adv_loss" in batch
    assert np.all(np.isfinite(den.transform(epochs).get_data()))
    # Any generator, including one returning a tuple.
    gen = DeepDenoiser(_MyNet, adversarial=0.1, **FAST).fit(epochs)
    assert gen.net_.adversarial_weight == 0.1
    plain = DeepDenoiser("unet", **UNET, **FAST).fit(epochs)
    assert "d_loss" not in plain.net_.history[-1, "batches", 0]


def test_training_is_reproducible_and_short_epochs_train(epochs):
    a = DeepDenoiser("unet", **UNET, **FAST).fit(epochs).transform(epochs)
    b = DeepDenoiser("unet", **UNET, **FAST).fit(epochs).transform(epochs)
    np.testing.assert_allclose(a.get_data(), b.get_data())
    # Epochs shorter than the 2-s window are padded for training as for
    # transform.
    short = epochs.copy().crop(0, 0.5)
    out = DeepDenoiser("unet", **UNET, **FAST).fit(short).transform(short)
    assert out.get_data().shape == short.get_data().shape


def test_callbacks_and_time_budget(epochs):
    from mne_denoise.nn.zoo import TimeBudget

    budget = TimeBudget(0.0)
    den = DeepDenoiser("unet", **UNET, max_epochs=50, batch_size=8,
                       callbacks=[("budget", budget)]).fit(epochs)
    # Stopped after the first batch of the first epoch...
    assert len(den.net_.history) == 1 and len(den.net_.history[-1, "batches"]) == 1
    assert dict(den.net_.callbacks_)["budget"].stopped_
    assert not hasattr(budget, "start_")  # ...by a copy: params are not mutated
    assert np.all(np.isfinite(den.transform(epochs).get_data()))
    with pytest.raises(TypeError, match="callbacks must be a list"):
        UNetDenoiser(callbacks=budget, **FAST).fit(epochs)


def test_save_read_pickle(epochs, tmp_path):
    den = BiLSTMAEDenoiser(**NAMED[BiLSTMAEDenoiser], overlap=0.25, **FAST)
    ref = den.fit(epochs).transform(epochs).get_data()
    den.save(tmp_path / "den.pt")
    back = read_denoiser(tmp_path / "den.pt")
    assert type(back) is BiLSTMAEDenoiser
    assert back.get_params() == den.get_params()
    np.testing.assert_allclose(back.transform(epochs).get_data(), ref, atol=1e-12)
    again = pickle.loads(pickle.dumps(den))
    np.testing.assert_allclose(again.transform(epochs).get_data(), ref, atol=1e-12)
    # The network alone, as a weights file, is a starting point for others.
    torch.save({"state_dict": den.net_.module_.state_dict(),
                "module_params": den.module_params_}, tmp_path / "w.pt")
    loaded = BiLSTMAEDenoiser(weights=tmp_path / "w.pt", max_epochs=0,
                              overlap=0.25).fit(epochs)
    np.testing.assert_allclose(loaded.transform(epochs).get_data(), ref, atol=1e-12)
    gen = DeepDenoiser("complex_cnn", module__channels=2, module__n_blocks=1,
                       module__kernel_sizes=(3, 5), **FAST).fit(epochs)
    gen.save(tmp_path / "gen.pt")
    back = read_denoiser(tmp_path / "gen.pt")
    assert back.module_params_["kernel_sizes"] == (3, 5)
    np.testing.assert_allclose(back.transform(epochs).get_data(),
                               gen.transform(epochs).get_data(), atol=1e-12)


def test_pipeline_cross_validates(epochs):
    y = epochs.events[:, 2]
    pipe = make_pipeline(LSTMDenoiser(**NAMED[LSTMDenoiser], **FAST),
                         CSP(n_components=2), LDA())
    assert cross_val_score(pipe, epochs, y, cv=2).shape == (2,)


def test_errors(epochs):
    # Unknown names are stored by __init__ (scikit-learn's rule) and
    # rejected by fit.
    for make in (lambda: DeepDenoiser("unet", max_epoch=3),
                 lambda: UNetDenoiser(module_depth=3),
                 lambda: DeepDenoiser("unet", module__=3)):
        make()
    with pytest.raises(TypeError, match="'max_epoch'.*Did you mean 'max_epochs'"):
        DeepDenoiser("unet", max_epoch=3).fit(epochs)
    with pytest.raises(TypeError, match="Did you mean 'module__depth'"):
        UNetDenoiser(module_depth=3).fit(epochs)
    with pytest.raises(TypeError, match="unexpected keyword argument 'module__'"):
        DeepDenoiser("unet", module__=3).fit(epochs)
    with pytest.raises(TypeError, match="DVAELoss has no argument 'bta'.*"
                                        "criterion__beta"):
        DVAEDenoiser(criterion__bta=0.5, **FAST).fit(epochs)
    with pytest.raises(ValueError, match="Unknown module 'unte'.*Did you mean 'unet'"):
        DeepDenoiser("unte", **FAST).fit(epochs)
    with pytest.raises(TypeError, match="registered network.*or a torch.nn.Module"):
        DeepDenoiser(3, **FAST).fit(epochs)
    with pytest.raises(TypeError, match="UNet1d has no argument 'dept'.*"
                                        "module__depth"):
        UNetDenoiser(module__dept=2, **FAST).fit(epochs)
    with pytest.raises(ValueError, match="No pretrained weights ship for "
                                         "LSTMDenoiser with LSTMNet.*UNetDenoiser"):
        LSTMDenoiser(weights="pretrained").fit(epochs)
    with pytest.raises(ValueError, match="for DeepDenoiser with UNet1d.*named class"):
        DeepDenoiser("unet", weights="pretrained").fit(epochs)
    with pytest.raises(ValueError, match="untrained random weights"):
        UNetDenoiser(max_epochs=0).fit(epochs)
    with pytest.raises(ValueError, match="adversarial must be False, True or"):
        UNetDenoiser(adversarial="yes", **FAST).fit(epochs)
    with pytest.raises(ValueError, match="n_features = 1"):
        UNetDenoiser(sfreq=256.0, **FAST).fit(np.ones((5, 1)))
    with pytest.raises(ValueError, match="Invalid parameter 'module__'"):
        UNetDenoiser().set_params(module__=1)
    with pytest.raises(ValueError, match="clean_probability must be in"):
        UNetDenoiser(clean_probability=1.5, **FAST).fit(epochs)
    with pytest.raises(ValueError, match="pairs_per_epoch must be > 0"):
        UNetDenoiser(pairs_per_epoch=0, **FAST).fit(epochs)


def test_training_knobs_reach_the_training(epochs, monkeypatch):
    from mne_denoise.datasets import simulate_eeg, simulate_eog
    from mne_denoise.nn import _skorch

    seen = {}
    real = _skorch.SemiSyntheticDataset

    def spy(clean, artifacts, snr_range, **kw):
        seen.setdefault("train" if not kw.get("fixed") else "valid",
                        (len(clean), kw, [len(a) for a in artifacts]))
        return real(clean, artifacts, snr_range, **kw)

    monkeypatch.setattr(_skorch, "SemiSyntheticDataset", spy)
    valid_clean = simulate_eeg(24, random_state=0)
    valid_eog = simulate_eog(12, random_state=1)
    den = UNetDenoiser(**UNET, **FAST, pairs_per_epoch=40, clean_probability=0.25)
    den.fit(epochs, valid_clean_bank=valid_clean, valid_artifact_bank=valid_eog)
    n_train, kw, _ = seen["train"]
    assert kw["n_items"] == 40 and kw["clean_probability"] == 0.25
    n_valid, kw, n_art = seen["valid"]
    assert n_valid == 24 and n_art == [12]  # the given pools, not a tenth
    assert np.isfinite(den.net_.history[-1, "valid_loss"])

def test_max_epochs_auto_trains_random_weights_and_keeps_given_ones(tmp_path):
    X = np.random.default_rng(0).normal(size=(4, 2, 512)) * 1e-5
    tiny = NAMED[UNetDenoiser]
    assert UNetDenoiser().max_epochs == "auto"
    assert UNetDenoiser()._n_epochs == 10
    trained = UNetDenoiser(sfreq=256.0, max_epochs=1, random_state=0,
                           verbose=False, **tiny).fit(X)
    fname = tmp_path / "unet.pt"
    torch.save({"state_dict": trained.net_.module_.state_dict(),
                "module_params": dict(trained.module_params_), "meta": {}}, fname)
    # A weights file with the default max_epochs='auto': used as it is.
    loaded = UNetDenoiser(sfreq=256.0, weights=fname).fit(X)
    assert loaded._n_epochs == 0
    for key, value in trained.net_.module_.state_dict().items():
        torch.testing.assert_close(loaded.net_.module_.state_dict()[key], value)
    with pytest.raises(ValueError, match="integer >= 0 or 'auto'"):
        UNetDenoiser(sfreq=256.0, max_epochs="many").fit(X)

import mne
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from mne_denoise import SpatialDenoiser, read_denoiser
from mne_denoise.datasets import simulate_epochs
from mne_denoise.datasets._montage import _builtin_montage
from mne_denoise.weights import list_pretrained

#: A tiny network trained for one short epoch: fits take a fraction of a second.
TINY = dict(weights=None, max_epochs=1, batch_size=8, pairs_per_epoch=8,
            module__hidden=8, module__n_heads=2, module__n_layers=1,
            module__n_frequencies=4, random_state=0)


@pytest.fixture(scope="module")
def sim():
    return simulate_epochs(8, n_eeg=12, snr_db=-3.0, random_state=0)


@pytest.fixture(scope="module")
def fitted(sim):
    return SpatialDenoiser(**TINY).fit(sim[0])


def _montage_epochs(names, n_epochs=2, seed=0):
    pos = _builtin_montage("1005").get_positions()["ch_pos"]
    info = mne.create_info(list(names), 256.0, "eeg")
    info.set_montage(mne.channels.make_dig_montage(
        {n: pos[n] for n in names}, coord_frame="head"))
    x = np.random.default_rng(seed).normal(size=(n_epochs, len(names), 512)) * 1e-5
    return mne.EpochsArray(x, info, verbose=False)


def test_epochs_in_epochs_out(sim, fitted):
    noisy = sim[0]
    out = fitted.transform(noisy)
    assert isinstance(out, mne.BaseEpochs)
    got, x = out.get_data(), noisy.get_data()
    assert got.shape == x.shape and np.isfinite(got).all()
    # References are inputs and pass unchanged; EEG channels whose gate is
    # shut pass unchanged too (a one-epoch network rarely helps).
    np.testing.assert_array_equal(got[:, fitted.ref_idx_], x[:, fitted.ref_idx_])
    shut = fitted.artifact_scores(noisy)["gate"][..., 0] == 0
    eeg = fitted.clean_idx_
    np.testing.assert_allclose(got[:, eeg][shut], x[:, eeg][shut], rtol=0,
                               atol=1e-12)
    assert list(fitted.kinds_) == [0] * 12 + [2, 3]
    np.testing.assert_allclose(np.linalg.norm(fitted.directions_[:12], axis=1), 1)
    scores = fitted.artifact_scores(noisy)
    assert scores["probability"].shape == (8, 12, 1) == scores["gate"].shape
    assert scores["ch_names"] == noisy.ch_names[:12]
    assert len(fitted.history_) >= 1
    # Raw through apply (overlap-add over windows), and reproducible fits.
    raw = mne.io.RawArray(np.concatenate(list(x), axis=-1), noisy.info,
                          verbose=False)
    assert fitted.apply(raw).get_data().shape == raw.get_data().shape
    again = SpatialDenoiser(**TINY).fit(noisy)
    np.testing.assert_array_equal(again.transform(noisy).get_data(), got)


def test_gate_off_corrects_everything(sim):
    noisy = sim[0]
    den = SpatialDenoiser(**{**TINY, "threshold": None}).fit(noisy)
    assert den.detector_ is None
    assert np.all(den.artifact_scores(noisy)["gate"] == 1)


@pytest.mark.parametrize("names", [("Fp1", "Cz", "O2"), None])
def test_three_to_128_channels(names):
    if names is None:  # 128 sites of the 10-05 template
        every = [n for n in _builtin_montage("1005").ch_names
                 if not n.startswith(("Nz", "LPA", "RPA", "T9", "T10"))]
        names = every[:128]
    epochs = _montage_epochs(names)
    # (The gate at 128 channels costs seconds; tested at 12 above.)
    den = SpatialDenoiser(**{**TINY, "threshold": None}).fit(epochs)
    assert den.transform(epochs).get_data().shape == (2, len(names), 512)


def test_custom_montage_and_other_rates():
    # Positions of one's own (a 4-electrode cap at 500 Hz, 3-s epochs).
    ch_pos = {"a": (0.07, 0.0, 0.05), "b": (-0.07, 0.0, 0.05),
              "c": (0.0, 0.07, 0.05), "d": (0.0, -0.07, 0.05)}
    info = mne.create_info(list(ch_pos), 500.0, "eeg")
    info.set_montage(mne.channels.make_dig_montage(ch_pos, coord_frame="head"))
    x = np.random.default_rng(1).normal(size=(3, 4, 1500)) * 1e-5
    den = SpatialDenoiser(info=info, **TINY).fit(x)
    assert den.transform(x).shape == x.shape


def test_bad_input(sim):
    noisy = sim[0]
    with pytest.raises(ValueError, match=r"set_montage\('colin27_1020'\)"):
        SpatialDenoiser(**TINY).fit(noisy.copy().set_montage(None))
    with pytest.raises(ValueError, match="montage"):  # arrays without info
        SpatialDenoiser(sfreq=256.0, **TINY).fit(noisy.get_data(picks="eeg"))
    dup = noisy.copy()
    dup.info["chs"][3]["loc"][:3] = dup.info["chs"][2]["loc"][:3]
    with pytest.raises(ValueError, match="share a position"):
        SpatialDenoiser(**TINY).fit(dup)
    den = SpatialDenoiser(**TINY).fit(noisy.copy().pick(noisy.ch_names[:6]))
    with pytest.raises(ValueError, match="differ from those seen at fit"):
        den.transform(noisy)  # channels added
    with pytest.raises(ValueError, match="differ from those seen at fit"):
        den.transform(noisy.copy().pick(noisy.ch_names[:5]))  # removed
    for bad, err in [(dict(criterion__foo=1), TypeError),
                     (dict(module__n_times=512), ValueError),
                     (dict(module__depth=3), TypeError),
                     (dict(threshold=2.0), ValueError)]:
        with pytest.raises(err):
            SpatialDenoiser(**{**TINY, **bad}).fit(noisy)


def test_single_channel_needs_no_position():
    x = np.random.default_rng(0).normal(size=(6, 512)) * 1e-5
    den = SpatialDenoiser(sfreq=256.0, **TINY).fit(x)
    assert list(den.kinds_) == [1]
    assert den.transform(x).shape == x.shape
    # One EEG channel of a montage keeps its position.
    epochs = _montage_epochs(["Cz"])
    assert list(SpatialDenoiser(**TINY).fit(epochs).kinds_) == [0]


def test_save_read_clone(sim, fitted, tmp_path):
    noisy = sim[0]
    fname = tmp_path / "spatial.pt"
    fitted.save(fname)
    back = read_denoiser(fname)
    assert isinstance(back, SpatialDenoiser)
    np.testing.assert_array_equal(back.transform(noisy).get_data(),
                                  fitted.transform(noisy).get_data())
    assert clone(fitted).get_params()["module__hidden"] == 8


def test_pipeline_and_grid_search(sim):
    noisy = sim[0]
    y = noisy.events[:, 2]
    # Arrays with the info that describes them, as mne.decoding takes them.
    pipe = make_pipeline(SpatialDenoiser(info=noisy.info, **TINY),
                         FunctionTransformer(lambda x: np.log(x.var(axis=-1))),
                         LogisticRegression())
    grid = GridSearchCV(pipe, {"spatialdenoiser__threshold": [0.5, None]}, cv=2)
    grid.fit(noisy.get_data(), y)
    assert set(grid.cv_results_["param_spatialdenoiser__threshold"]) == {0.5, None}


@pytest.mark.skipif("spatial" not in list_pretrained(),
                    reason="the spatial weights are not shipped")
def test_pretrained_removes_artifacts(sim):
    from mne_denoise.metrics import rrmse_temporal

    noisy, clean = sim
    for threshold in (None, 0.5):  # ungated, and the default gate
        den = SpatialDenoiser(threshold=threshold).fit(noisy)
        eeg = den.clean_idx_
        x, c = noisy.get_data()[:, eeg], clean.get_data()[:, eeg]
        out = den.transform(noisy).get_data()[:, eeg]
        assert rrmse_temporal(out, c).mean() < rrmse_temporal(x, c).mean()

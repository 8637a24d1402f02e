import pickle

import mne
import numpy as np
import pytest
from mne.decoding import CSP
from sklearn.base import clone
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis as LDA
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline

from mne_denoise import read_denoiser
from mne_denoise.denoisers._low_rank import LowRankDenoiser
from mne_denoise.denoisers._low_rank_unfolded import LowRankUnfoldedDenoiser
from mne_denoise.denoisers._rpca import default_lam, diagonal_average, hankel, pcp

#: A network small enough that a training test runs in seconds.
_UNFOLDED_NET = {"embed_dim": 16, "rank": 4, "hidden": 2, "depth": 1}
#: A tiny unfolded network, as the denoiser's module__* parameters.
TINY_UNFOLDED = {f"module__{k}": v for k, v in _UNFOLDED_NET.items()}
#: A classical solver cheap enough for the contract tests.
FAST = {"embed_dim": 32, "n_iter": 8}


def _changed(a, b):
    """True when ``a`` differs from ``b`` by more than 1 % of b's range."""
    return np.abs(a - b).max() > 0.01 * np.abs(b).max()


def _make(kind, **kw):
    if kind == "classical":
        return LowRankDenoiser(**{**FAST, **kw})
    return LowRankUnfoldedDenoiser(**kw)


KINDS = ["classical", "unfolded"]


@pytest.fixture
def small(epochs):
    """Four of the twelve epochs: enough for the contract, quick to solve."""
    return epochs[:4]


# ---------------------------------------------------------------------------
# The maths of the classical solver
def test_hankel_and_diagonal_average_are_inverse():
    x = np.random.default_rng(0).normal(size=(3, 100))
    H = hankel(x, 10)
    assert H.shape == (3, 10, 91)
    np.testing.assert_array_equal(H[:, 2, 5], x[:, 7])
    np.testing.assert_allclose(diagonal_average(H, 100), x)
    # Averaging the anti-diagonals is the least-squares projection onto
    # trajectory matrices: a perturbation orthogonal to them averages out.
    noise = np.random.default_rng(1).normal(size=H.shape)
    proj = hankel(diagonal_average(noise, 100), 10)
    assert abs(np.sum((noise - proj) * proj)) < 1e-8


def test_pcp_recovers_low_rank_plus_sparse():
    rng = np.random.default_rng(0)
    low = rng.normal(size=(2, 100, 2)) @ rng.normal(size=(2, 2, 100))
    sparse = np.zeros_like(low)
    mask = rng.random(low.shape) < 0.05
    sparse[mask] = rng.normal(scale=5, size=mask.sum())
    M = low + sparse
    L, S, info = pcp(M, default_lam(M.shape), n_iter=200, tol=1e-7)
    assert np.all(info["residual"] < 1e-7)
    np.testing.assert_allclose(L, low, atol=1e-3 * np.abs(low).max())
    np.testing.assert_allclose(S, sparse, atol=1e-3 * np.abs(low).max())
    assert np.linalg.matrix_rank(L[0], tol=1e-6) == 2


def test_pcp_records_iterates_and_handles_flat_matrices():
    rng = np.random.default_rng(0)
    M = rng.normal(size=(3, 8, 20))
    M[1] = 0.0
    L, S, info = pcp(M, 0.2, n_iter=5, tol=1e-12,
                     record=lambda L, S: (L.copy(), S.copy()))
    assert len(info["history"]) == 5
    np.testing.assert_array_equal(info["history"][-1][0], L)
    assert info["n_iter"][1] == 0 and np.all(L[1] == 0) and np.all(S[1] == 0)


# ---------------------------------------------------------------------------
# The contract, for both estimators
@pytest.mark.parametrize("kind", KINDS)
def test_epochs_in_epochs_out(small, kind):
    before = small.get_data().copy()
    # The fixture's "EEG" is white noise, which the unfolded network's
    # correction does not improve, so its gate rightly stays shut; without
    # the gate the contract is checked on a network that changes the data.
    den = _make(kind, **({"threshold": None} if kind == "unfolded" else {}))
    den = den.fit(small)
    out = den.transform(small)
    assert isinstance(out, mne.BaseEpochs) and out is not small
    np.testing.assert_array_equal(small.get_data(), before)
    np.testing.assert_array_equal(out.events, small.events)
    got = out.get_data()
    np.testing.assert_array_equal(got[:, 6:], before[:, 6:])  # references
    assert _changed(got[:, :6], before[:, :6])
    assert np.all(np.isfinite(got)) and np.abs(got).max() < 1e-2


@pytest.mark.parametrize("kind", KINDS)
def test_array_inputs_match_epochs(small, kind):
    X = small.get_data()
    by_epochs = _make(kind).fit(small).transform(small).get_data()
    by_info = _make(kind, info=small.info).fit(X).transform(X)
    np.testing.assert_allclose(by_info, by_epochs)
    lst = [small[i] for i in range(len(small))]
    by_list = _make(kind).fit(lst).transform(lst)
    assert isinstance(by_list, np.ndarray)
    np.testing.assert_allclose(by_list, by_epochs)
    # 2-D arrays are single-channel segments. (The unfolded network's gate
    # is calibrated on what fit is given, here one channel instead of all:
    # compare the networks without it.)
    seg = X[:, 2]
    ungated = {"threshold": None} if kind == "unfolded" else {}
    out = _make(kind, sfreq=160.0, **ungated).fit(seg).transform(seg)
    assert out.shape == seg.shape
    ref = _make(kind, **ungated).fit(small).transform(small).get_data()
    # float32 networks differ in the last bits with the batch composition.
    np.testing.assert_allclose(out, ref[:, 2], rtol=1e-5,
                               atol=1e-5 * np.abs(seg).max())


@pytest.mark.parametrize("kind", KINDS)
def test_apply_raw_and_evoked(small, kind):
    raw = mne.io.RawArray(np.concatenate(list(small.get_data()), axis=1),
                          small.info, verbose=False)
    with pytest.raises(NotFittedError, match="fit"):
        _make(kind).apply(raw)
    den = _make(kind).fit(small)
    raw_c = den.apply(raw)
    assert isinstance(raw_c, mne.io.BaseRaw) and raw_c.n_times == raw.n_times
    assert _changed(raw_c.get_data(picks="eeg"), raw.get_data(picks="eeg"))
    assert isinstance(den.apply(small.average(picks="all")), mne.Evoked)


@pytest.mark.parametrize("sfreq,seconds", [(100.0, 1.0), (256.0, 3.3)])
def test_any_rate_and_length_and_flat_channels(sfreq, seconds):
    n = int(sfreq * seconds)
    X = np.random.default_rng(0).normal(size=(2, 3, n)) * 1e-5
    X[:, 1] = 0.0
    for den in (LowRankDenoiser(sfreq=sfreq, **FAST),
                LowRankDenoiser(sfreq=sfreq, embedding="channels", n_iter=5),
                LowRankUnfoldedDenoiser(sfreq=sfreq)):
        out = den.fit(X).transform(X)
        assert out.shape == X.shape and np.all(np.isfinite(out))
        np.testing.assert_array_equal(out[:, 1], 0.0)
        # All-flat input: nothing to decompose, nothing removed.
        low, sparse, stages = den.decompose(np.zeros_like(X), return_stages=True)
        assert len(stages) == 1 and not np.any(low) and not np.any(sparse)


# ---------------------------------------------------------------------------
# Decomposition
@pytest.mark.parametrize("kind,clean_part", [("classical", "sparse"),
                                             ("classical", "low_rank"),
                                             ("unfolded", None)])
def test_decompose_is_consistent_with_transform(small, kind, clean_part):
    kw = {"clean_part": clean_part} if clean_part else {}
    den = _make(kind, **kw).fit(small)
    cleaned = den.transform(small).get_data()
    low, sparse = den.decompose(small)
    assert isinstance(low, mne.BaseEpochs) and isinstance(sparse, mne.BaseEpochs)
    kept = low if den._clean_part_name() == "low_rank" else sparse
    removed = sparse if kept is low else low
    np.testing.assert_array_equal(kept.get_data(), cleaned)
    # The parts add up to the input; the removed part is zero off the EEG.
    np.testing.assert_allclose(low.get_data() + sparse.get_data(),
                               small.get_data(), rtol=0, atol=1e-18)
    np.testing.assert_array_equal(removed.get_data()[:, 6:], 0.0)
    # Arrays in, arrays out.
    X = small.get_data()
    low_a, sparse_a = den.decompose(X)
    np.testing.assert_allclose(low_a, low.get_data())
    np.testing.assert_allclose(sparse_a, sparse.get_data())


def test_classical_stages_are_the_solver_iterations(small):
    den = LowRankDenoiser(embed_dim=32, n_iter=6, tol=1e-12).fit(small)
    low, sparse, stages = den.decompose(small, return_stages=True)
    assert len(stages) == 6
    np.testing.assert_array_equal(stages[-1][0].get_data(), low.get_data())
    np.testing.assert_array_equal(stages[-1][1].get_data(), sparse.get_data())
    # The iterations move the split; every stage still adds up to the input.
    assert _changed(stages[0][1].get_data(), sparse.get_data())
    for lo, sp in stages:
        np.testing.assert_allclose(lo.get_data() + sp.get_data(),
                                   small.get_data(), atol=1e-18)
    # With a loose tolerance the solver stops early, and so do the stages.
    den = LowRankDenoiser(embed_dim=32, n_iter=50, tol=1e-2).fit(small)
    assert 1 <= len(den.decompose(small, return_stages=True)[2]) < 50


def test_window_decomposition_reconstructs_the_standardized_input():
    # One 2-s window at the model rate: the solver's parts, brought back to
    # signals, add up to the standardized window within the tolerance.
    rng = np.random.default_rng(0)
    t = np.arange(512) / 256.0
    x = np.sin(2 * np.pi * 10 * t) + 0.3 * rng.normal(size=512)
    x[200:260] += 8 * np.hanning(60)
    z = (x - x.mean()) / x.std()
    den = LowRankDenoiser(sfreq=256.0, tol=1e-6, n_iter=200).fit(z[None])
    M = hankel(z[None], den.embed_dim)
    L, S, info = pcp(M, den.lam_, n_iter=200, tol=1e-6)
    assert info["residual"][0] < 1e-6
    recon = diagonal_average(L, 512) + diagonal_average(S, 512)
    assert np.linalg.norm(recon - z) / np.linalg.norm(z) < 1e-5
    # And the estimator's sparse part is that solver's.
    sparse = den.decompose(z[None])[1][0]
    np.testing.assert_allclose(sparse, diagonal_average(S, 512)[0], atol=1e-8)


def test_unfolded_stages_and_truncation(small):
    # Without the gate (which each network calibrates on its own output).
    full = LowRankUnfoldedDenoiser(threshold=None).fit(small)
    assert full.module_params_["n_stages"] == 4
    low, sparse, stages = full.decompose(small, return_stages=True)
    assert len(stages) == 4
    np.testing.assert_array_equal(stages[-1][0].get_data(), low.get_data())
    # A stage depends only on the earlier ones: the first two stages of the
    # pretrained network are a working 2-stage network.
    two = LowRankUnfoldedDenoiser(n_stages=2, threshold=None).fit(small)
    assert len(two.net_.module_.stages) == 2
    assert len(two.decompose(small, return_stages=True)[2]) == 2
    np.testing.assert_allclose(two.transform(small).get_data(),
                               stages[1][0].get_data(), rtol=1e-5, atol=1e-12)


def test_channels_embedding(small):
    den = LowRankDenoiser(embedding="channels", n_iter=20).fit(small)
    assert den.lam_ == pytest.approx(0.5 / np.sqrt(512))  # clean_part="sparse"
    low, sparse = den.decompose(small)
    np.testing.assert_array_equal(sparse.get_data(),
                                  den.transform(small).get_data())
    np.testing.assert_allclose(low.get_data() + sparse.get_data(),
                               small.get_data(), atol=1e-18)
    with pytest.raises(ValueError, match="at least 2"):
        LowRankDenoiser(embedding="channels").fit(small.copy().pick(["Cz", "EOG"]))


def test_sparse_part_removes_a_blink():
    # Ocular artifacts are the low-rank part: the default keeps the sparse one.
    rng = np.random.default_rng(0)
    t = np.arange(512) / 256.0
    eeg = rng.normal(size=(6, 512))
    eeg = np.cumsum(eeg, axis=1) * 0.05 + 0.5 * np.sin(2 * np.pi * 10 * t)
    eeg -= eeg.mean(axis=1, keepdims=True)
    blink = 10 * np.exp(-0.5 * ((t[None] - rng.uniform(0.5, 1.5, (6, 1))) / 0.12) ** 2)
    X = eeg + blink
    out = LowRankDenoiser(sfreq=256.0).fit(X).transform(X)
    err_before = np.linalg.norm(X - eeg - (X - eeg).mean(1, keepdims=True))
    err_after = np.linalg.norm(out - eeg - (out - eeg).mean(1, keepdims=True))
    assert err_after < 0.5 * err_before


# ---------------------------------------------------------------------------
# Errors
def test_errors(small):
    X = small.get_data()
    with pytest.raises(ValueError, match="'embedding'.*'hankel', 'channels'"):
        LowRankDenoiser(embedding="wavelet").fit(small)
    with pytest.raises(ValueError, match="'clean_part'.*'low_rank', 'sparse'"):
        LowRankDenoiser(clean_part="both").fit(small)
    with pytest.raises(ValueError, match="embed_dim must be between 2 and 256"):
        LowRankDenoiser(embed_dim=300).fit(small)
    with pytest.raises(TypeError, match="embed_dim must be an integer"):
        LowRankDenoiser(embed_dim=32.5).fit(small)
    with pytest.raises(ValueError, match="lam must be > 0"):
        LowRankDenoiser(lam=-1.0).fit(small)
    with pytest.raises(ValueError, match="n_iter must be > 0"):
        LowRankDenoiser(n_iter=0).fit(small)
    with pytest.raises(ValueError, match="tol must be > 0"):
        LowRankDenoiser(tol=0.0).fit(small)
    with pytest.raises(ValueError, match="overlap must be"):
        LowRankDenoiser(overlap=1.0).fit(small)
    with pytest.raises(ValueError, match="info=<mne.Info>.*sfreq=<Hz>"):
        LowRankDenoiser().fit(X)
    with pytest.raises(ValueError, match="NaN or inf"):
        bad = X.copy()
        bad[0, 0, 0] = np.nan
        LowRankDenoiser(info=small.info).fit(bad)
    den = LowRankDenoiser(**FAST).fit(small)
    with pytest.raises(ValueError, match="differ from those seen at fit"):
        den.decompose(small.copy().drop_channels(["C3"]))
    with pytest.raises(NotFittedError):
        LowRankDenoiser().decompose(small)
    with pytest.raises(ValueError, match="No EEG channel"):
        LowRankDenoiser().fit(small.copy().pick(["EOG", "EMG"]))
    with pytest.raises(TypeError, match="unexpected parameters"):
        LowRankDenoiser().fit(small, clean_bank=X)
    with pytest.raises(ValueError, match="n_stages=6 but the weights"):
        LowRankUnfoldedDenoiser(n_stages=6).fit(small)
    with pytest.raises(TypeError, match="n_stages must be an integer"):
        LowRankUnfoldedDenoiser(n_stages=2.0).fit(small)
    with pytest.raises(ValueError, match="contradicts module__n_stages"):
        LowRankUnfoldedDenoiser(n_stages=2, module__n_stages=3).fit(small)
    with pytest.raises(ValueError, match="do not match the weights"):
        LowRankUnfoldedDenoiser(module__rank=3).fit(small)
    with pytest.raises(ValueError, match="untrained random weights"):
        LowRankUnfoldedDenoiser(weights=None).fit(small)


# ---------------------------------------------------------------------------
# Persistence, cloning, pipelines
@pytest.mark.parametrize("kind", KINDS)
def test_save_read_pickle_clone(small, kind, tmp_path):
    den = _make(kind, overlap=0.25).fit(small)
    ref = den.transform(small).get_data()
    fname = tmp_path / "den.pt"
    den.save(fname)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        den.save(fname)
    back = read_denoiser(fname)
    assert type(back) is type(den)
    assert back.get_params()["overlap"] == 0.25
    np.testing.assert_allclose(back.transform(small).get_data(), ref, atol=1e-12)
    again = pickle.loads(pickle.dumps(den))
    np.testing.assert_allclose(again.transform(small).get_data(), ref, atol=1e-12)
    c = clone(den)
    assert not hasattr(c, "info_") and c.get_params() == den.get_params()


def test_read_keeps_fitted_values(small, tmp_path):
    den = LowRankDenoiser(lam=0.02, clean_part="low_rank", **FAST).fit(small)
    den.save(tmp_path / "c.pt")
    back = read_denoiser(tmp_path / "c.pt")
    assert back.lam_ == 0.02 and back.clean_part == "low_rank"
    two = LowRankUnfoldedDenoiser(n_stages=2, threshold=None).fit(small)
    two.save(tmp_path / "u.pt")
    back = read_denoiser(tmp_path / "u.pt", device="cpu")
    assert back.module_params_["n_stages"] == 2 and back.device_ == "cpu"


def test_pipeline_and_grid_search(epochs):
    y = epochs.events[:, 2]
    pipe = make_pipeline(LowRankDenoiser(**FAST), CSP(n_components=2), LDA())
    assert cross_val_score(pipe, epochs, y, cv=2).shape == (2,)
    pipe = make_pipeline(LowRankUnfoldedDenoiser(), CSP(n_components=2), LDA())
    grid = GridSearchCV(pipe, {"lowrankunfoldeddenoiser__n_stages": [1, 4]}, cv=2)
    grid.fit(epochs, y)
    assert grid.best_params_["lowrankunfoldeddenoiser__n_stages"] in (1, 4)


def test_device(small, device):
    den = LowRankUnfoldedDenoiser(device=device).fit(small)
    assert den.device_ == device
    assert np.all(np.isfinite(den.transform(small).get_data()))


# ---------------------------------------------------------------------------
# Training
def test_tiny_training_in_fit(small):
    kw = dict(weights=None, n_stages=2, **TINY_UNFOLDED, batch_size=16,
              random_state=0)
    den = LowRankUnfoldedDenoiser(max_epochs=2, **kw).fit(small)
    assert len(den.net_.history) == 2
    assert np.isfinite(den.net_.history[-1, "train_loss"])
    assert len(den.decompose(small, return_stages=True)[2]) == 2
    a = den.transform(small).get_data()
    b = LowRankUnfoldedDenoiser(max_epochs=2, **kw).fit(small).transform(small)
    np.testing.assert_allclose(a, b.get_data())  # reproducible

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

from mne_denoise import FreqDomainDenoiser, read_denoiser

#: A network small enough that a training test runs in seconds.
TINY = dict(module__channels=(2,), module__n_bases=2, module__hidden=4,
            module__n_layers=2, module__estimator_hidden=4)


def _changed(a, b):
    """True when ``a`` differs from ``b`` by more than 1 % of b's range."""
    return np.abs(a - b).max() > 0.01 * np.abs(b).max()


def test_epochs_in_epochs_out(epochs):
    before = epochs.get_data().copy()
    den = FreqDomainDenoiser().fit(epochs)
    out = den.transform(epochs)
    assert isinstance(out, mne.BaseEpochs) and out is not epochs
    np.testing.assert_array_equal(epochs.get_data(), before)  # caller untouched
    np.testing.assert_array_equal(out.events, epochs.events)
    assert out.event_id == epochs.event_id
    assert out.ch_names == epochs.ch_names
    got = out.get_data()
    # References pass unchanged; EEG is changed but stays finite and in volts.
    np.testing.assert_array_equal(got[:, 6:], before[:, 6:])
    assert _changed(got[:, :6], before[:, :6])
    assert np.all(np.isfinite(got))
    assert np.abs(got).max() < 1e-2
    assert den.noise_estimate_ == "reference"
    assert den.reference_coef_.shape == (6, 2)


def test_annotations_kept(epochs):
    epochs.set_annotations(mne.Annotations([0.5], [0.2], ["blink"]))
    out = FreqDomainDenoiser().fit(epochs).transform(epochs)
    assert list(out.annotations.description) == ["blink"]


def test_array_inputs_match_epochs(epochs):
    X = epochs.get_data()
    by_epochs = FreqDomainDenoiser().fit(epochs).transform(epochs).get_data()
    by_info = FreqDomainDenoiser(info=epochs.info).fit(X).transform(X)
    np.testing.assert_allclose(by_info, by_epochs)
    # A list of one-epoch Epochs (scikit-learn's indexing) gives an array.
    lst = [epochs[i] for i in range(len(epochs))]
    by_list = FreqDomainDenoiser().fit(lst).transform(lst)
    assert isinstance(by_list, np.ndarray)
    np.testing.assert_allclose(by_list, by_epochs)
    # sfreq only: every channel is EEG, so all 8 are cleaned, blindly.
    den = FreqDomainDenoiser(sfreq=160.0).fit(X)
    assert den.noise_estimate_ == "blind" and len(den.clean_idx_) == 8


def test_2d_arrays_are_single_channel_segments(epochs):
    X = epochs.get_data()[:, 2]
    den = FreqDomainDenoiser(sfreq=160.0).fit(X)
    out = den.transform(X)
    assert out.shape == X.shape
    ref = FreqDomainDenoiser(sfreq=160.0).fit(X[:, None]).transform(X[:, None])
    np.testing.assert_allclose(out, ref[:, 0])


def test_blind_mode_ignores_references(epochs):
    den = FreqDomainDenoiser(noise_estimate="blind").fit(epochs)
    assert den.noise_estimate_ == "blind" and den.reference_coef_ is None
    ref = FreqDomainDenoiser(noise_estimate="reference").fit(epochs)
    a = den.transform(epochs).get_data()
    b = ref.transform(epochs).get_data()
    assert _changed(a, b)


@pytest.mark.parametrize("sfreq,seconds", [(100.0, 1.0), (160.0, 1.5), (500.0, 1.0),
                                           (256.0, 7.3), (1000.0, 3.0)])
def test_any_rate_and_length(sfreq, seconds):
    n = int(sfreq * seconds)
    X = np.random.default_rng(0).normal(size=(3, 2, n)) * 1e-5
    out = FreqDomainDenoiser(sfreq=sfreq).fit(X).transform(X)
    assert out.shape == X.shape and np.all(np.isfinite(out))


def test_short_epochs_are_padded_and_flat_channels_finite():
    X = np.random.default_rng(0).normal(size=(2, 3, 40)) * 1e-5
    X[:, 1] = 0.0
    X[:, 2] = 3e-6
    out = FreqDomainDenoiser(sfreq=160.0).fit(X).transform(X)
    assert out.shape == X.shape
    assert np.all(np.isfinite(out))
    # A flat (constant) channel has nothing to remove.
    np.testing.assert_allclose(out[:, 1:], X[:, 1:], atol=1e-12)


def test_transform_only_uses_what_fit_learned(epochs):
    den = FreqDomainDenoiser().fit(epochs[:6])
    coef = den.reference_coef_.copy()
    den.transform(epochs[6:])
    np.testing.assert_array_equal(den.reference_coef_, coef)
    other = FreqDomainDenoiser().fit(epochs[6:])
    assert not np.allclose(other.reference_coef_, coef)


def test_apply_raw_evoked_epochs(epochs):
    raw = mne.io.RawArray(np.concatenate(list(epochs.get_data()), axis=1),
                          epochs.info, verbose=False)
    den = FreqDomainDenoiser().fit(epochs)
    with pytest.raises(NotFittedError, match="only loads the pretrained"):
        FreqDomainDenoiser().apply(raw)
    raw_c = den.apply(raw)
    assert isinstance(raw_c, mne.io.BaseRaw)
    assert raw_c.n_times == raw.n_times
    np.testing.assert_array_equal(raw_c.get_data(picks=["EOG", "EMG"]),
                                  raw.get_data(picks=["EOG", "EMG"]))
    assert _changed(raw_c.get_data(picks="eeg"), raw.get_data(picks="eeg"))
    evk = den.apply(epochs.average(picks="all"))
    assert isinstance(evk, mne.Evoked)
    assert isinstance(den.apply(epochs), mne.BaseEpochs)
    with pytest.raises(TypeError, match="use transform for arrays"):
        den.apply(epochs.get_data())


def test_overlap_add_is_identity_on_untouched_windows():
    from mne_denoise.utils._windowing import denoise_signals

    x = np.random.default_rng(0).normal(size=(3, 1999))
    out = denoise_signals(x, 160.0, model_sfreq=256.0, n_window=512, overlap=0.5,
                          run=lambda z, n: z)
    np.testing.assert_allclose(out, x, atol=1e-10)


def test_errors(epochs):
    X = epochs.get_data()
    den = FreqDomainDenoiser().fit(epochs)
    with pytest.raises(ValueError, match="NaN or inf.*drop_bad"):
        bad = X.copy()
        bad[0, 0, 0] = np.nan
        FreqDomainDenoiser(info=epochs.info).fit(bad)
    with pytest.raises(ValueError, match="NaN or inf"):
        bad = epochs.copy()
        bad._data[0, 0, 0] = np.inf
        den.transform(bad)
    with pytest.raises(ValueError, match="differ from those seen at fit.*missing"):
        den.transform(epochs.copy().drop_channels(["C3"]))
    with pytest.raises(ValueError, match="expecting 8 features"):
        den.transform(X[:, :5])
    with pytest.raises(ValueError, match="channels-last.*transpose"):
        FreqDomainDenoiser(info=epochs.info).fit(
            np.random.default_rng(0).normal(size=(3, 20, 8)))
    with pytest.raises(ValueError, match="info=<mne.Info>.*sfreq=<Hz>"):
        FreqDomainDenoiser().fit(X)
    with pytest.raises(ValueError, match="noise_estimate.*'auto', 'reference'"):
        FreqDomainDenoiser(noise_estimate="magic").fit(epochs)
    with pytest.raises(ValueError, match="needs EOG or EMG channels"):
        FreqDomainDenoiser(noise_estimate="reference").fit(
            epochs.copy().pick("eeg"))
    with pytest.raises(ValueError, match="untrained random weights"):
        FreqDomainDenoiser(weights=None).fit(epochs)
    with pytest.raises(ValueError, match="contradicts"):
        FreqDomainDenoiser(info=epochs.info, sfreq=100.0).fit(X)
    with pytest.raises(ValueError, match="2-D.*3-D array"):
        FreqDomainDenoiser(info=epochs.info).fit(X[:, 0])
    with pytest.raises(ValueError, match="No EEG channel"):
        FreqDomainDenoiser().fit(epochs.copy().pick(["EOG", "EMG"]))
    with pytest.raises(ValueError, match="do not match the weights"):
        FreqDomainDenoiser(module__hidden=3).fit(epochs)
    with pytest.raises(ValueError, match="overlap must be"):
        FreqDomainDenoiser(overlap=1.0).fit(epochs)
    with pytest.raises(TypeError, match="must be an mne.Epochs"):
        den.transform("not data")


def test_save_read_pickle_clone(epochs, tmp_path):
    den = FreqDomainDenoiser(overlap=0.25).fit(epochs)
    ref = den.transform(epochs).get_data()
    fname = tmp_path / "den.pt"
    den.save(fname)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        den.save(fname)
    back = read_denoiser(fname)
    assert back.get_params()["overlap"] == 0.25
    np.testing.assert_allclose(back.transform(epochs).get_data(), ref, atol=1e-12)
    np.testing.assert_allclose(back.reference_coef_, den.reference_coef_)
    again = pickle.loads(pickle.dumps(den))
    np.testing.assert_allclose(again.transform(epochs).get_data(), ref, atol=1e-12)
    c = clone(den)
    assert not hasattr(c, "net_") and c.get_params() == den.get_params()


def test_device(epochs, device):
    den = FreqDomainDenoiser(device=device).fit(epochs)
    assert den.device_ == device
    assert np.all(np.isfinite(den.transform(epochs).get_data()))


def test_pipeline_cross_validates_with_epochs_and_arrays(epochs):
    y = epochs.events[:, 2]
    pipe = make_pipeline(FreqDomainDenoiser(), CSP(n_components=2), LDA())
    scores = cross_val_score(pipe, epochs, y, cv=2)
    assert scores.shape == (2,)
    pipe = make_pipeline(FreqDomainDenoiser(info=epochs.info), CSP(n_components=2),
                         LDA())
    scores = cross_val_score(pipe, epochs.get_data(), y, cv=2)
    assert scores.shape == (2,)


def test_training_in_fit_and_grid_search(epochs):
    y = epochs.events[:, 2]
    tiny = dict(weights=None, **TINY, batch_size=16, random_state=0)
    den = FreqDomainDenoiser(max_epochs=2, **tiny).fit(epochs)
    assert len(den.net_.history) == 2
    assert np.isfinite(den.net_.history[-1, "train_loss"])
    pipe = make_pipeline(FreqDomainDenoiser(**tiny), CSP(n_components=2), LDA())
    grid = GridSearchCV(pipe, {"freqdomaindenoiser__max_epochs": [1, 2]}, cv=2)
    grid.fit(epochs, y)
    assert grid.best_params_["freqdomaindenoiser__max_epochs"] in (1, 2)


def test_training_is_reproducible(epochs):
    kw = dict(weights=None, **TINY, batch_size=16, max_epochs=1,
              random_state=3, noise_estimate="blind")
    a = FreqDomainDenoiser(**kw).fit(epochs).transform(epochs).get_data()
    b = FreqDomainDenoiser(**kw).fit(epochs).transform(epochs).get_data()
    np.testing.assert_allclose(a, b)


def test_fine_tuning_starts_from_pretrained(epochs):
    den = FreqDomainDenoiser(max_epochs=1, batch_size=16, random_state=0).fit(epochs)
    base = FreqDomainDenoiser().fit(epochs)
    w0 = base.net_.module_.evaluators[0].combine.weight.detach()
    w1 = den.net_.module_.evaluators[0].combine.weight.detach()
    # Moved by one epoch of training, but still near the pretrained values.
    assert not np.allclose(w0, w1)
    assert float((w1 - w0).abs().max()) < 0.1


def test_training_with_user_banks(epochs):
    from mne_denoise.datasets import simulate_eeg, simulate_emg

    clean = simulate_eeg(40, random_state=0)
    emg = simulate_emg(20, random_state=1)
    den = FreqDomainDenoiser(weights=None, **TINY, max_epochs=1,
                             batch_size=16, random_state=0)
    den.fit(epochs, clean_bank=clean, artifact_bank=emg)
    assert len(den.net_.history) == 1
    with pytest.raises(ValueError, match="512 samples at 256.0 Hz"):
        den.fit(epochs, clean_bank=clean[:, :100])


def test_callbacks_time_budget_and_validation(epochs):
    from mne_denoise import LowRankUnfoldedDenoiser
    from mne_denoise.nn.zoo import TimeBudget

    from .test_low_rank import TINY_UNFOLDED

    budget = TimeBudget(0.0)
    den = FreqDomainDenoiser(weights=None, **TINY, max_epochs=20,
                             batch_size=8, random_state=0,
                             callbacks=[("budget", budget)]).fit(epochs)
    # Stopped after one batch, by a copy of the callback.
    assert len(den.net_.history) == 1
    assert len(den.net_.history[-1, "batches"]) == 1
    assert not hasattr(budget, "start_")
    lr = LowRankUnfoldedDenoiser(weights=None, max_epochs=20, batch_size=8,
                                 n_stages=2, **TINY_UNFOLDED,
                                 callbacks=[("budget", TimeBudget(0.0))],
                                 random_state=0).fit(epochs)
    assert len(lr.net_.history[-1, "batches"]) == 1
    with pytest.raises(TypeError, match="callbacks must be a list"):
        FreqDomainDenoiser(callbacks=budget).fit(epochs)


def test_filter_responses_describe_the_filters_of_transform(epochs):
    den = FreqDomainDenoiser().fit(epochs)
    resp = den.filter_responses(epochs, picks="C3", epoch=1)
    assert resp["channel"] == "C3" and resp["epoch"] == 1
    # 2-s epochs at 160 Hz: one window at the model rate.
    assert resp["n_windows"] == 1 and resp["freqs"][-1] == 128.0
    n_freqs = len(resp["freqs"])
    assert all(r.shape[-1] == n_freqs and np.all(r >= 0)
               for r in resp["responses"])
    # Reference mode regresses the references out first and runs the network
    # blind on what remains, as transform does.
    assert resp["log_psd_noise_reference"] is None
    regressed = epochs.get_data()[1:2].copy()
    regressed[:, den.clean_idx_] -= den._references(regressed)
    blind = FreqDomainDenoiser(noise_estimate="blind").fit(epochs)
    same = blind.filter_responses(regressed, picks="C3")
    np.testing.assert_allclose(same["log_psd_noisy"], resp["log_psd_noisy"])
    with pytest.raises(ValueError, match="picks must name an EEG channel"):
        den.filter_responses(epochs, picks="EOG")
    with pytest.raises(ValueError, match=r"epoch must be in \[0, 12\)"):
        den.filter_responses(epochs, epoch=12)


def test_time_local_filters_train_and_transform(epochs):
    den = FreqDomainDenoiser(weights=None, module__frame=64, **TINY, max_epochs=1,
                             batch_size=16, random_state=0).fit(epochs)
    out = den.transform(epochs.get_data())
    assert out.shape == epochs.get_data().shape and np.all(np.isfinite(out))
    resp = den.filter_responses(epochs, picks="C3")
    # One response per 64-sample frame: 33 bins up to the model's Nyquist.
    assert len(resp["freqs"]) == 33 and resp["freqs"][-1] == 128.0
    assert all(r.shape[-1] == 33 for r in resp["responses"])


def test_weights_file_keeps_its_own_network(epochs, tmp_path):
    # A file written before `frame` existed (whole-window filters) is read
    # as such, not with the estimator's current default of 0.5-s frames.
    import torch

    den = FreqDomainDenoiser(weights=None, **TINY, module__frame=None,
                             max_epochs=1, batch_size=16, random_state=0).fit(epochs)
    params = {k: v for k, v in den.module_params_.items() if k != "frame"}
    path = tmp_path / "old.pt"
    torch.save({"state_dict": den.net_.module_.state_dict(),
                "module_params": params, "meta": {}}, path)
    again = FreqDomainDenoiser(weights=str(path)).fit(epochs)
    assert again.net_.module_.frame is None and "frame" not in again.module_params_
    assert FreqDomainDenoiser(weights=None, **TINY, max_epochs=1, batch_size=16,
                              random_state=0).fit(epochs).net_.module_.frame == 128

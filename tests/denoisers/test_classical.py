import pickle

import mne
import numpy as np
import pytest
from mne.decoding import CSP
from sklearn.base import clone
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis as LDA
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from mne_denoise import read_denoiser
from mne_denoise.denoisers._classical import (
    BandpassDenoiser,
    ICADenoiser,
    RegressionDenoiser,
)

#: Few components: correlation (z-scores over 6 components never reach 3).
ICA_KW = dict(method="infomax", eog_measure="correlation", eog_threshold=0.5,
              random_state=0)


def _ref_unchanged(out, before):
    np.testing.assert_array_equal(out[:, 6:], before[:, 6:])


def test_bandpass(epochs):
    before = epochs.get_data().copy()
    den = BandpassDenoiser(1.0, 40.0).fit(epochs)
    out = den.transform(epochs)
    assert isinstance(out, mne.BaseEpochs)
    got = out.get_data()
    _ref_unchanged(got, before)
    want = mne.filter.filter_data(before[:, :6], 160.0, 1.0, 40.0, method="iir",
                                  verbose=False)
    np.testing.assert_allclose(got[:, :6], want)
    # Arrays with sfreq; a low-pass above the Nyquist frequency is skipped.
    seg = before[:, 2]
    np.testing.assert_allclose(
        BandpassDenoiser(1.0, 100.0, sfreq=160.0).fit_transform(seg),
        mne.filter.filter_data(seg, 160.0, 1.0, None, method="iir", verbose=False))
    hp = BandpassDenoiser(None, 30.0, info=epochs.info).fit_transform(before)
    _ref_unchanged(hp, before)


def test_regression_removes_the_reference_shares(epochs):
    before = epochs.get_data().copy()
    den = RegressionDenoiser().fit(epochs)
    # The fixture adds 0.5 EOG + 0.2 EMG to every EEG channel.
    np.testing.assert_allclose(den.coef_, [[0.5, 0.2]] * 6, atol=0.02)
    assert den.artifact_names_ == ["EOG", "EMG"]
    got = den.transform(epochs).get_data()
    _ref_unchanged(got, before)
    # What is left barely correlates with the blink.
    eog = before[:, 6] - before[:, 6].mean(-1, keepdims=True)
    r = [np.corrcoef(got[:, c].ravel(), eog.ravel())[0, 1] for c in range(6)]
    assert np.max(np.abs(r)) < 0.1
    only_eog = RegressionDenoiser(picks_artifact="eog").fit(epochs)
    assert only_eog.coef_.shape == (6, 1)
    by_name = RegressionDenoiser(picks_artifact=["EMG"]).fit(epochs)
    assert by_name.artifact_names_ == ["EMG"]
    # Same on arrays with an info, and on a list of Epochs.
    np.testing.assert_allclose(
        RegressionDenoiser(info=epochs.info).fit(before).transform(before), got)
    # Unapplied projectors (average reference) do not get in the way.
    avg = epochs.copy().set_eeg_reference("average", projection=True,
                                          verbose=False)
    RegressionDenoiser().fit(avg).transform(avg)


def test_regression_without_references(epochs):
    eeg = epochs.copy().pick("eeg")
    with pytest.raises(ValueError, match="needs EOG or EMG reference channels.*"
                                         "set_channel_types"):
        RegressionDenoiser().fit(eeg)
    with pytest.warns(RuntimeWarning, match="needs EOG or EMG"):
        den = RegressionDenoiser(on_missing="warn").fit(eeg)
    np.testing.assert_array_equal(den.transform(eeg).get_data(), eeg.get_data())
    with pytest.raises(ValueError, match="not channels of the data"):
        RegressionDenoiser(picks_artifact=["EOG2"]).fit(epochs)
    with pytest.raises(ValueError, match="are EEG channels"):
        RegressionDenoiser(picks_artifact=["Fp1"]).fit(epochs)
    with pytest.raises(ValueError, match="'on_missing'.*'raise', 'warn'"):
        RegressionDenoiser(on_missing="skip").fit(epochs)


def test_ica_finds_the_blink_and_matches_mne(epochs):
    before = epochs.get_data().copy()
    den = ICADenoiser(**ICA_KW).fit(epochs)
    assert den.eog_channels_ == ["EOG"]
    assert len(den.eog_idx_) >= 1 and set(den.eog_idx_) <= set(den.exclude_)
    got = den.transform(epochs).get_data()
    _ref_unchanged(got, before)
    # transform is exactly MNE's ICA.apply with the chosen exclusions.
    want = den.ica_.apply(epochs.copy(), exclude=den.exclude_,
                          verbose=False).get_data()
    np.testing.assert_allclose(got, want, atol=1e-12)
    eog = before[:, 6] - before[:, 6].mean(-1, keepdims=True)
    r_before = abs(np.corrcoef(before[:, 3].ravel(), eog.ravel())[0, 1])
    r_after = abs(np.corrcoef(got[:, 3].ravel(), eog.ravel())[0, 1])
    assert r_after < r_before / 2


def test_ica_frontal_proxy_and_fallbacks(epochs):
    no_eog = epochs.copy().drop_channels(["EOG"])
    den = ICADenoiser(muscle=False, **ICA_KW).fit(no_eog)
    assert den.eog_channels_ == ["Fp1", "Fp2"]
    # Nothing to unmix: one channel, or 2-D arrays (single-channel segments).
    seg = epochs.get_data()[:, 2]
    one = ICADenoiser(sfreq=160.0).fit(seg)
    assert one.ica_ is None and one.exclude_ == []
    np.testing.assert_array_equal(one.transform(seg), seg)
    none = ICADenoiser(eog=False, muscle=False, **ICA_KW).fit(epochs)
    assert none.exclude_ == []
    np.testing.assert_allclose(none.transform(epochs).get_data(),
                               epochs.get_data(), atol=1e-18)


def test_save_read_pickle_clone(epochs, tmp_path):
    for i, den in enumerate([BandpassDenoiser(2.0, 30.0), RegressionDenoiser(),
                             ICADenoiser(**ICA_KW)]):
        ref = den.fit(epochs).transform(epochs).get_data()
        den.save(tmp_path / f"{i}.pt")
        back = read_denoiser(tmp_path / f"{i}.pt")
        assert back.get_params() == den.get_params()
        np.testing.assert_allclose(back.transform(epochs).get_data(), ref,
                                   atol=1e-18)
        again = pickle.loads(pickle.dumps(den))
        np.testing.assert_allclose(again.transform(epochs).get_data(), ref)
        assert clone(den).get_params() == den.get_params()


def test_in_a_pipeline(epochs):
    y = epochs.events[:, 2]
    for den in (BandpassDenoiser(), RegressionDenoiser(), ICADenoiser(**ICA_KW)):
        pipe = make_pipeline(den, CSP(n_components=2), LDA())
        assert cross_val_score(pipe, epochs, y, cv=2).shape == (2,)


def test_errors(epochs):
    with pytest.raises(ValueError, match="l_freq .* must be below h_freq"):
        BandpassDenoiser(40.0, 1.0).fit(epochs)
    with pytest.raises(ValueError, match="both None"):
        BandpassDenoiser(None, None).fit(epochs)
    with pytest.raises(ValueError, match="h_freq must be a positive number"):
        BandpassDenoiser(1.0, -3.0).fit(epochs)
    with pytest.raises(ValueError, match="'method'.*'iir', 'fir'"):
        BandpassDenoiser(method="butter").fit(epochs)
    with pytest.raises(ValueError, match="not below the Nyquist"):
        BandpassDenoiser(90.0, None).fit(epochs).transform(epochs)
    with pytest.raises(ValueError, match="'eog_measure'"):
        ICADenoiser(eog_measure="r").fit(epochs)
    with pytest.raises(TypeError, match="eog must be a bool"):
        ICADenoiser(eog="yes").fit(epochs)
    with pytest.raises(TypeError, match="fit_params must be a dict"):
        ICADenoiser(fit_params=3).fit(epochs)

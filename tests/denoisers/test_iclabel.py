import mne
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from mne_denoise import ICLabelDenoiser, read_denoiser
from mne_denoise.datasets import simulate_epochs
from mne_denoise.metrics import rrmse_temporal


@pytest.fixture(scope="module")
def blinks():
    """14 EEG channels (10-20 montage) with projected blinks, and the truth."""
    noisy, clean = simulate_epochs(16, n_eeg=14, sfreq=256.0, snr_db=-3.0,
                                   artifacts=("eog",), random_state=0)
    return noisy, clean


@pytest.fixture(scope="module")
def fitted(blinks):
    return ICLabelDenoiser(random_state=0).fit(blinks[0])


def test_removes_the_blink_component(blinks, fitted):
    noisy, clean = blinks
    den = fitted
    assert den.probabilities_.shape == (13, 7)  # rank of the average reference
    np.testing.assert_allclose(den.probabilities_.sum(axis=1), 1.0, atol=1e-5)
    assert den.exclude_, den.labels_
    assert all(den.probabilities_[i, 2] >= 0.5 or den.probabilities_[i, 1] >= 0.5
               for i in den.exclude_)
    assert "eye blink" in [den.labels_[i] for i in den.exclude_]
    out = den.transform(noisy)
    assert isinstance(out, mne.BaseEpochs)
    got, truth, x = out.get_data(), clean.get_data(), noisy.get_data()
    eeg = den.clean_idx_
    before = rrmse_temporal(x[:, eeg], truth[:, eeg]).mean()
    after = rrmse_temporal(got[:, eeg], truth[:, eeg]).mean()
    assert after < 0.5 * before, (before, after)
    # The EOG reference channel passes unchanged.
    np.testing.assert_array_equal(got[:, den.ref_idx_], x[:, den.ref_idx_])


def test_average_referenced_view_is_icas_and_reference_is_kept(blinks, fitted):
    noisy = blinks[0]
    den = fitted
    x = noisy.get_data()[:, den.clean_idx_]
    out = den.transform(noisy).get_data()[:, den.clean_idx_]
    avg = x - x.mean(axis=1, keepdims=True)
    eeg_info = mne.pick_info(noisy.info, den.clean_idx_)
    want = den.ica_.apply(mne.EpochsArray(avg, eeg_info, verbose=False),
                          verbose=False).get_data()
    np.testing.assert_allclose(out - out.mean(axis=1, keepdims=True), want,
                               atol=1e-12 * np.abs(want).max() + 1e-18)
    # Not average-referenced: the output keeps the input's reference.
    assert np.abs(out.mean(axis=1)).max() > 1e-3 * np.abs(out).max()


def test_threshold_one_keeps_everything_and_params(blinks):
    noisy = blinks[0]
    den = ICLabelDenoiser(threshold=1.0, random_state=0).fit(noisy)
    assert den.exclude_ == []
    np.testing.assert_allclose(den.transform(noisy).get_data(), noisy.get_data(),
                               rtol=1e-9, atol=1e-18)
    for bad, err in [(dict(threshold=1.5), ValueError),
                     (dict(labels="eye blink"), TypeError),
                     (dict(labels=("brain",)), ValueError),
                     (dict(method="pca"), ValueError),
                     (dict(l_freq=40.0, h_freq=30.0), ValueError),
                     (dict(fit_params=[1]), TypeError)]:
        with pytest.raises(err):
            ICLabelDenoiser(**bad).fit(noisy)


def test_no_montage_duplicates_and_too_few_channels(blinks):
    noisy = blinks[0]
    bare = noisy.copy().set_montage(None)
    with pytest.raises(ValueError, match="set_montage"):
        ICLabelDenoiser().fit(bare)
    # Arrays without an info have no positions either.
    with pytest.raises(ValueError, match="montage"):
        ICLabelDenoiser(sfreq=256.0).fit(noisy.get_data(picks="eeg"))
    dup = noisy.copy()
    dup.info["chs"][1]["loc"][:3] = dup.info["chs"][0]["loc"][:3]
    with pytest.raises(ValueError, match="share a position"):
        ICLabelDenoiser().fit(dup)
    # Nothing to unmix: two channels, or 2-D arrays (single channels).
    two = noisy.copy().pick(["Fp1", "Fp2"])
    den = ICLabelDenoiser().fit(two)
    assert den.ica_ is None and den.exclude_ == []
    np.testing.assert_array_equal(den.transform(two).get_data(), two.get_data())
    seg = noisy.get_data()[:, 0]
    np.testing.assert_array_equal(
        ICLabelDenoiser(sfreq=256.0).fit_transform(seg), seg)


def test_save_read_clone_pipeline(blinks, fitted, tmp_path):
    noisy = blinks[0]
    fname = tmp_path / "iclabel.pt"
    fitted.save(fname)
    back = read_denoiser(fname)
    assert isinstance(back, ICLabelDenoiser)
    assert back.exclude_ == fitted.exclude_ and back.labels_ == fitted.labels_
    np.testing.assert_allclose(back.probabilities_, fitted.probabilities_)
    np.testing.assert_array_equal(back.transform(noisy).get_data(),
                                  fitted.transform(noisy).get_data())
    assert clone(fitted).get_params()["threshold"] == 0.5
    # Arrays with the info that describes them, inside a Pipeline.
    pipe = make_pipeline(ICLabelDenoiser(info=noisy.info, random_state=0),
                         FunctionTransformer(lambda x: x.var(axis=-1)))
    feats = pipe.fit_transform(noisy.get_data())
    assert feats.shape == (16, len(noisy.ch_names))

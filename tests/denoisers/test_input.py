"""Channel hygiene and the input messages (issue 12, items 5 and 8)."""

import warnings

import mne
import numpy as np
import pytest

from mne_denoise import BandpassDenoiser, FreqDomainDenoiser, RegressionDenoiser
from mne_denoise.datasets import simulate_epochs
from mne_denoise.denoisers._input import channel_indices, mistyped_channels


@pytest.fixture(scope="module")
def epochs():
    return simulate_epochs(n_epochs=4, n_eeg=4, random_state=0)[0]


def test_eeg_typed_eog_channels_warn_with_the_fix(epochs):
    # What read_raw_eeglab gives for the EEGLAB sample: EOG1/EOG2 typed EEG.
    ep = epochs.copy().set_channel_types({"EOG": "eeg", "EMG": "eeg"})
    ep.rename_channels({"EOG": "EOG1", "EMG": "EMG_chin"})
    assert mistyped_channels(ep.info) == {"EOG1": "eog", "EMG_chin": "emg"}
    with pytest.warns(RuntimeWarning, match="named like EOG/EMG/ECG") as record:
        BandpassDenoiser().fit(ep)
    message = str(record[0].message)
    fix = "inst.set_channel_types({'EOG1': 'eog', 'EMG_chin': 'emg'})"
    assert fix in message
    # The fix named in the message works, and silences the warning.
    eval(fix.replace("inst", "ep"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        BandpassDenoiser().fit(ep)


def test_ordinary_names_do_not_warn(epochs):
    info = mne.create_info(["Fp1", "Cz", "ECG", "LEOG"], 256.0,
                           ["eeg", "eeg", "ecg", "eog"])
    assert mistyped_channels(info) == {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        BandpassDenoiser().fit(epochs)


@pytest.mark.parametrize("make", [
    lambda: FreqDomainDenoiser(device="cpu"),
    lambda: BandpassDenoiser(),
    lambda: RegressionDenoiser(),
], ids=["freq_domain", "bandpass", "regression"])
def test_bad_channels_pass_through_unchanged(epochs, make):
    ep = epochs.copy()
    ep.info["bads"] = ["Fp1"]
    out = make().fit(ep).transform(ep)
    bad = ep.ch_names.index("Fp1")
    np.testing.assert_array_equal(out.get_data()[:, bad], ep.get_data()[:, bad])
    good = ep.ch_names.index("Fp2")
    assert not np.allclose(out.get_data()[:, good], ep.get_data()[:, good])


def test_bad_references_are_not_used():
    info = mne.create_info(["Fp1", "EOG", "EMG"], 256.0, ["eeg", "eog", "emg"])
    info["bads"] = ["EMG"]
    clean, ref = channel_indices(info)
    assert list(clean) == [0] and list(ref) == [1]


def test_evoked_without_the_references_says_how_to_average(epochs):
    den = FreqDomainDenoiser(device="cpu").fit(epochs)
    evoked = epochs.average()  # data channels only: EOG/EMG dropped
    with pytest.raises(ValueError, match=r"picks='all'") as err:
        den.apply(evoked)
    assert "EOG" in str(err.value) and "inst.pick" not in str(err.value)
    # The fixes it names both work.
    assert den.apply(epochs.average(picks="all")).data.shape == (6, 512)
    assert den.transform(epochs).average().data.shape == (4, 512)


def test_channels_last_array_gets_the_hint(epochs):
    den = FreqDomainDenoiser(device="cpu").fit(epochs)
    with pytest.raises(ValueError, match=r"channels-last.*transpose\(0, 2, 1\)"):
        den.transform(epochs.get_data().transpose(0, 2, 1))

"""Shared fixtures: seeded RNGs, small simulated epochs, a device fixture."""

import mne
import numpy as np
import pytest
import torch


@pytest.fixture(autouse=True)
def _seed():
    np.random.seed(0)  # noqa: NPY002 (legacy global RNG used by scikit-learn)
    torch.manual_seed(0)
    # One thread: the networks in tests are tiny, and threads only contend.
    torch.set_num_threads(1)


@pytest.fixture(params=["cpu", pytest.param("cuda", marks=pytest.mark.gpu)])
def device(request):
    if request.param == "cuda" and not torch.cuda.is_available():
        pytest.skip("CUDA is not available")
    return request.param


def _make_epochs(n_epochs=12, sfreq=160.0, n_times=320, seed=0):
    rng = np.random.default_rng(seed)
    names = ["Fp1", "Fp2", "C3", "Cz", "C4", "O1", "EOG", "EMG"]
    types = ["eeg"] * 6 + ["eog", "emg"]
    info = mne.create_info(names, sfreq, types)
    t = np.arange(n_times) / sfreq
    eeg = rng.normal(size=(n_epochs, 6, n_times)) * 10e-6
    eeg += 10e-6 * np.sin(2 * np.pi * 10 * t)
    blink = np.exp(-0.5 * ((t - t.mean()) / 0.1) ** 2) * 150e-6
    eog = blink * rng.uniform(0.5, 1.5, (n_epochs, 1))
    emg = rng.normal(size=(n_epochs, n_times)) * 20e-6
    data = np.concatenate([eeg, eog[:, None], emg[:, None]], axis=1)
    data[:, :6] += 0.5 * data[:, 6:7] + 0.2 * data[:, 7:8]
    events = np.c_[np.arange(n_epochs) * n_times, np.zeros(n_epochs, int),
                   1 + np.arange(n_epochs) % 2]
    epochs = mne.EpochsArray(data, info, events=events,
                             event_id={"a": 1, "b": 2}, verbose=False)
    return epochs


@pytest.fixture(scope="session")
def _epochs_session():
    return _make_epochs()


@pytest.fixture
def epochs(_epochs_session):
    """12 two-second epochs at 160 Hz: 6 EEG, one EOG and one EMG reference."""
    return _epochs_session.copy()

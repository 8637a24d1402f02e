import mne
import numpy as np
import pytest


def make_raw(seed, *, seconds=12.0, sfreq=200.0):
    """A small recording: 4 EEG channels (2 frontal with blinks) and an EOG."""
    rng = np.random.default_rng(seed)
    n = int(seconds * sfreq)
    names = ["Fp1", "Fp2", "Cz", "Pz", "EOG1"]
    info = mne.create_info(names, sfreq, ["eeg"] * 4 + ["eog"])
    t = np.arange(n) / sfreq
    blinks = sum(np.exp(-((t - c) / 0.15) ** 2) for c in (2.0, 6.5, 9.0)) * 8e-5
    data = rng.normal(size=(5, n)) * 1e-5
    data[:2] += blinks
    data[4] = blinks + rng.normal(size=n) * 2e-6
    return mne.io.RawArray(data, info, verbose=False)


@pytest.fixture
def recordings_dir(tmp_path):
    """A folder with one FIF and, one level down, one EDF recording."""
    folder = tmp_path / "recordings"
    (folder / "sub").mkdir(parents=True)
    make_raw(0).save(folder / "a_raw.fif", verbose=False)
    mne.export.export_raw(folder / "sub" / "b.edf", make_raw(1), verbose=False)
    # Not recordings: an epochs file and a text file are skipped.
    epochs = mne.make_fixed_length_epochs(make_raw(2), duration=2.0, verbose=False)
    epochs.save(folder / "c-epo.fif", verbose=False)
    (folder / "notes.txt").write_text("not a recording")
    return folder

# License: BSD-3-Clause
"""The EOG and EMG source recordings as arrays (need ../shared/data)."""
import numpy as np
import pytest

from mne_denoise.datasets import load_emg_recordings, load_eog_recordings

pytestmark = pytest.mark.shared_data


def test_load_eog_recordings(assert_volts):
    recs = load_eog_recordings()
    names = [n for _, _, n in recs]
    assert sum(n.startswith("klados") for n in names) == 54
    rates = {n.split()[0]: fs for _, fs, n in recs}
    assert rates == {
        "klados_semisim_eog_refs": 200.0,
        "neurokit_eog_200hz": 200.0,
        "abbrash_eyetrack_eog_250hz": 250.0,
        "eeglab_sample": 128.0,
        "openbci_cosleep_psg_eog_emg": 125.0,
        "yasa_rem_loc_roc_256hz": 256.0,
        "eogert_hv_eog_492hz": pytest.approx(491.6717, abs=1e-3),
    }
    for x, _, name in recs:
        assert x.ndim == 2, name
        np.testing.assert_allclose(x.mean(axis=1), 0, atol=1e-12)
        assert_volts(x, 1e-6, 2e-3)  # EOG: µV to a few mV
    assert len(load_eog_recordings(["neurokit", "eyetrack"])) == 2
    with pytest.raises(ValueError, match=r"among \['klados', 'neurokit'"):
        load_eog_recordings("blink")


def test_load_emg_recordings(assert_volts):
    uci = load_emg_recordings("uci")
    assert len(uci) == 66 and all(x.shape[0] == 4 for x, _, _ in uci)
    assert all(fs == 1000.0 for _, fs, _ in uci)
    assert sum(x.shape[1] for x, _, _ in uci) == 1325048  # valid rows
    for source in ("uci", "biosppy", "needle", "cosleep"):
        for x, _, _ in load_emg_recordings(source):
            np.testing.assert_allclose(x.mean(axis=1), 0, atol=1e-12)
            assert_volts(x, 1e-7, 1e-3)
    somach = load_emg_recordings("somach")
    assert 3800 < len(somach) < 3934  # rail-clipped recordings dropped
    assert all(x.shape[0] == 2 and fs == 250.0 for x, fs, _ in somach)
    with pytest.raises(ValueError, match=r"among \['uci', 'biosppy'"):
        load_emg_recordings(["uci", "face"])

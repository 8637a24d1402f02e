import numpy as np
import pytest

from mne_denoise import SpatialDenoiser
from mne_denoise.datasets import (
    MONTAGE_SUBSETS,
    MultichannelBank,
    MultichannelSimulator,
)
from mne_denoise.datasets._montage import _builtin_montage
from mne_denoise.studies import multichannel
from mne_denoise.studies.train import MODELS, train_model

TINY = {"hidden": 8, "n_heads": 2, "n_layers": 1, "n_frequencies": 4}


@pytest.fixture
def fake_simulator(monkeypatch):
    names = MONTAGE_SUBSETS[19]
    pos = _builtin_montage("1005").get_positions()["ch_pos"]
    rng = np.random.default_rng(0)

    def make(split, **kw):
        data = rng.normal(size=(24, len(names), 512)) * 1e-5
        bank = MultichannelBank(data, names, np.array([pos[n] for n in names]),
                                np.repeat([15, 16], 12))
        return MultichannelSimulator(bank, rng.normal(size=(8, 512)).cumsum(1),
                                     rng.normal(size=(8, 512)))

    monkeypatch.setattr(multichannel, "make_multichannel_simulator", make)


def test_train_command_and_benchmark(fake_simulator, tmp_path):
    assert MODELS["spatial"].estimator is SpatialDenoiser
    path = train_model("spatial", out=tmp_path, quick=True, batch_size=4,
                       module_params=TINY, device="cpu")
    assert path.name == "spatial.pt" and path.is_file()
    card = (tmp_path / "spatial.md").read_text()
    assert "quick run" in card and "EEGMMIDB" in card
    rows = multichannel.run_multichannel_benchmark(
        weights=str(path), n_epochs=4, n_channels=(8,), kinds=("eog+emg", "clean"),
        out=tmp_path, device="cpu",
        methods=("No denoising", "EOGRegression (references)", "SpatialDenoiser"))
    # Two subjects, one montage, two kinds, three methods.
    assert len(rows) == 2 * 2 * 3
    nothing = [r for r in rows if r["method"] == "No denoising"]
    assert all(r["rrmse_t"] == 0 for r in nothing if r["kind"] == "clean")
    assert all(r["rrmse_t"] > 0 for r in nothing if r["kind"] != "clean")
    text = (tmp_path / "multichannel.md").read_text()
    assert "| SpatialDenoiser |" in text and "8 ch eog+emg" in text


def test_targets_and_real_recordings_markdown():
    rows = []
    for n, ratio in ((8, 0.9), (19, 0.5), (64, 0.9)):
        for kind in ("eog", "clean"):
            rows.append({"n_channels": n, "kind": kind, "method": "ICA + ICLabel",
                         "rrmse_t": 0.4, "seconds": 10.0})
            rows.append({"n_channels": n, "kind": kind, "method": "SpatialDenoiser",
                         "rrmse_t": 0.4 * ratio if kind == "eog" else 0.01 * n,
                         "seconds": 2.0})
    text = multichannel.targets_markdown(rows)
    assert "| 8 ch | eog | 0.360 | 0.400 | 0.90 (not a target) |" in text
    assert "| 19 ch | eog | 0.200 | 0.400 | 0.50 (met) |" in text
    assert "| 64 ch | eog | 0.360 | 0.400 | 0.90 (missed) |" in text
    assert "| 8 ch | 0.080 (missed) | 2.0 | 10.0 |" in text
    assert "| 19 ch | 0.190 (missed)" in text and "| 64 ch | 0.640 (missed)" in text
    real = {"eeglab_sample": {"n_blinks": 3, "ICA + ICLabel": {
        "blink_amplitude_kept": 0.214, "alpha_kept": 1.0, "seconds": 4.04}},
        "openbci_blinks": {"n_blinks": 5, "SpatialDenoiser": {
            "blink_amplitude_kept": 0.99, "alpha_kept": 1.0,
            "jaw_power_kept": 0.555, "seconds": 1.83}}}
    table = multichannel.real_recordings_markdown(real)
    assert "| EEGLAB sample (FPz/F3/Fz/F4; 9 posterior), 3 blinks | ICA + ICLabel " \
           "| 0.21 | 1.00 | n/a | 4.0 |" in table
    assert "80-90 s), 5 blinks | SpatialDenoiser | 0.99 | 1.00 | 0.56 | 1.8 |" in table

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

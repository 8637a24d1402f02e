"""Training through Hugging Face accelerate (skorch's AccelerateMixin), on CPU."""

import numpy as np
import pytest
import torch

from mne_denoise import FCNNDenoiser, FreqDomainDenoiser, read_denoiser
from mne_denoise.datasets import simulate_epochs
from mne_denoise.nn._skorch import AcceleratedRegressor

from .._tiny import TINY_ZOO

pytest.importorskip("accelerate")

TINY_FREQ = dict(module__channels=[2], module__hidden=4)


def _epochs():
    return simulate_epochs(n_epochs=6, n_eeg=3, random_state=0)[0]


def test_one_process_cpu_run_trains_saves_and_loads_with_weights_path(tmp_path):
    epochs = _epochs()
    den = FreqDomainDenoiser(weights=None, max_epochs=2, batch_size=16,
                             pairs_per_epoch=32, accelerator=True, device="cpu",
                             random_state=0, **TINY_FREQ).fit(epochs)
    assert isinstance(den.net_, AcceleratedRegressor)
    assert den.device_ == "cpu" and len(den.net_.history) == 2
    # Trained: the weights moved from their initial values.
    assert np.isfinite(den.net_.history[-1, "train_loss"])
    # The weights file as mne-denoise train writes it loads with weights=path.
    path = tmp_path / "accelerated.pt"
    torch.save({"state_dict": den.net_.module_.state_dict(),
                "module_params": den.module_params_}, path)
    loaded = FreqDomainDenoiser(weights=str(path), device="cpu").fit(epochs)
    np.testing.assert_allclose(loaded.transform(epochs).get_data(),
                               den.transform(epochs).get_data())
    # And the whole denoiser saves and reads back, accelerator= included.
    den.save(tmp_path / "den.pt")
    again = read_denoiser(tmp_path / "den.pt", device="cpu")
    assert again.get_params()["accelerator"] is True
    np.testing.assert_allclose(again.transform(epochs).get_data(),
                               den.transform(epochs).get_data())


def test_accelerate_trains_as_plain_skorch_on_one_cpu():
    # One process on a CPU: the same seeds give the same network.
    epochs = _epochs()
    kw = dict(weights=None, max_epochs=1, batch_size=16, pairs_per_epoch=32,
              device="cpu", random_state=0, threshold=None,
              **TINY_ZOO["FCNNDenoiser"])
    plain = FCNNDenoiser(**kw).fit(epochs)
    acc = FCNNDenoiser(accelerator={"cpu": True}, **kw).fit(epochs)
    for a, b in zip(plain.net_.module_.state_dict().values(),
                    acc.net_.module_.state_dict().values(), strict=True):
        torch.testing.assert_close(a, b)


def test_accelerator_is_checked_and_cloned():
    from sklearn.base import clone

    den = FreqDomainDenoiser(accelerator={"cpu": True})
    assert clone(den).get_params()["accelerator"] == {"cpu": True}
    assert den.set_params(accelerator=None).get_params()["accelerator"] is None
    with pytest.raises(TypeError, match="accelerator must be"):
        FreqDomainDenoiser(accelerator="gpu", weights=None, max_epochs=1).fit(
            _epochs())

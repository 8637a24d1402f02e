import numpy as np
import pytest
import torch

from mne_denoise.nn import KeepBest, TimeBudget
from mne_denoise.nn._skorch import train_network
from mne_denoise.nn.zoo import FCNN, ReconstructionLoss
from mne_denoise.nn.zoo import TimeBudget as ZooTimeBudget


def test_keep_best_restores_best_epoch():
    class FakeNet:
        def __init__(self):
            self.module_ = torch.nn.Linear(1, 1)
            self.history = []

    net, cb = FakeNet(), KeepBest().initialize()
    for loss, value in [(3.0, 1.0), (1.0, 2.0), (2.0, 3.0)]:
        net.module_.weight.data.fill_(value)
        net.history.append({"valid_loss": loss})
        cb.on_epoch_end(net)
    cb.on_train_end(net)
    assert net.module_.weight.item() == 2.0


def _train(callbacks, max_epochs=3):
    rng = np.random.default_rng(0)
    return train_network(
        FCNN, {"n_times": 64, "hidden": 4, "n_hidden_layers": 0},
        ReconstructionLoss, rng.normal(size=(16, 64)), [rng.normal(size=(4, 64))],
        snr_range=(-5.0, 5.0), lr=1e-3, batch_size=4, max_epochs=max_epochs,
        device="cpu", seed=0, with_reference=False, callbacks=callbacks)


@pytest.mark.parametrize("check", ["batch", "epoch"])
def test_time_budget_stops(check):
    assert ZooTimeBudget is TimeBudget
    budget = TimeBudget(0.0, check=check)
    net = _train([("budget", budget)])
    assert budget.stopped_ and len(net.history) == 1
    # Per batch: the first batch spends the budget, the epoch is cut short;
    # per epoch: the epoch ends (and is scored), the next one is not begun.
    assert (net.history[-1].get("train_loss") is None) == (check == "batch")
    assert len(net.history[-1, "batches"]) == (1 if check == "batch" else 4)


def test_time_budget_none_and_bad_check():
    budget = TimeBudget(None, check="epoch")
    assert len(_train([("budget", budget)], max_epochs=2).history) == 2
    assert not budget.stopped_
    with pytest.raises(ValueError, match="'check' parameter.*'batch', 'epoch'"):
        _train([("budget", TimeBudget(1.0, check="step"))])

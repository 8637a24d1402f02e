import io

import numpy as np

from mne_denoise.nn import FreqDomainNet
from mne_denoise.nn._skorch import TerminalPrintLog, make_regressor
from mne_denoise.nn.losses import DenoisingLoss


class _Stream(io.StringIO):
    def __init__(self, tty):
        super().__init__()
        self._tty = tty

    def isatty(self):
        return self._tty


def _table(monkeypatch, tty):
    stream = _Stream(tty)
    monkeypatch.setattr("sys.stdout", stream)
    log = TerminalPrintLog().initialize()
    # A row whose value is the best so far: skorch colours it.
    log.table({"epoch": 1, "train_loss": 0.5, "train_loss_best": True, "dur": 0.1})
    return log.table({"epoch": 1, "train_loss": 0.5, "train_loss_best": True,
                      "dur": 0.1})


def test_epoch_table_has_no_ansi_codes_unless_a_terminal(monkeypatch):
    assert "\x1b[" not in _table(monkeypatch, tty=False)
    assert "\x1b[" in _table(monkeypatch, tty=True)


def test_regressors_use_the_terminal_aware_log():
    net = make_regressor(FreqDomainNet, {"n_times": 512, "channels": [2],
                                         "hidden": 4},
                         criterion=DenoisingLoss, lr=1e-3, batch_size=4,
                         max_epochs=0, device="cpu", verbose=1)
    net.initialize()
    assert isinstance(dict(net.callbacks_)["print_log"], TerminalPrintLog)
    assert np.isfinite(net.lr)

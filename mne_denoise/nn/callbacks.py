# License: BSD-3-Clause
"""skorch callbacks for training the package's networks (torch and skorch only)."""

import time

import numpy as np
from skorch.callbacks import Callback

from ..utils._checks import _check_option


class TimeBudget(Callback):
    """Stop training once ``seconds`` of wall-clock time have been spent.

    The stop is skorch's usual one (a KeyboardInterrupt caught by ``fit``, as
    :class:`skorch.callbacks.EarlyStopping` does), so ``on_train_end``
    callbacks such as :class:`KeepBest` still run.

    Parameters
    ----------
    seconds : float | None
        The budget, counted from the start of training; None for no budget.
    check : ``"batch"`` | ``"epoch"``
        When the budget is checked. ``"batch"`` (default): after every
        training batch, so one budget means the same for networks of very
        different speeds (epochs of large pools can take minutes); the
        interrupted epoch has no ``train_loss`` or ``valid_loss`` in the
        history. ``"epoch"``: at the end of every epoch, stopping before the
        next epoch would end past the budget if it lasted as long as the
        last one; every recorded epoch is then complete (and validated).

    Attributes
    ----------
    stopped_ : bool
        Whether this callback stopped the last training.
    """

    def __init__(self, seconds, *, check="batch"):
        self.seconds = seconds
        self.check = check

    def initialize(self):
        """Check the parameters (skorch initializes callbacks with the net)."""
        _check_option("check", self.check, ("batch", "epoch"))
        return self

    def on_train_begin(self, net, **kwargs):
        """Start the clock."""
        self.start_ = time.perf_counter()
        self.stopped_ = False

    def _stop(self, elapsed):
        if self.seconds is not None and elapsed > self.seconds:
            self.stopped_ = True
            raise KeyboardInterrupt

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        """With ``check="batch"``, stop when the budget is spent."""
        if self.check == "batch" and training:
            self._stop(time.perf_counter() - self.start_)

    def on_epoch_end(self, net, **kwargs):
        """With ``check="epoch"``, stop unless one more epoch fits the budget."""
        if self.check == "epoch":
            # skorch's EpochTimer (a default callback, run before this one)
            # has recorded the epoch's duration by now.
            last = net.history[-1, "dur"]
            self._stop(time.perf_counter() - self.start_ + last)


class KeepBest(Callback):
    """skorch callback: keep the weights of the best validation epoch.

    The weights are held in memory and put back when training ends, so the
    shipped model is the best one seen, not the last.

    Parameters
    ----------
    monitor : str
        The history key to minimise.
    """

    def __init__(self, monitor="valid_loss"):
        self.monitor = monitor

    def initialize(self):
        """Forget the previous training's best epoch."""
        self.best_ = np.inf
        self.state_ = None
        return self

    def on_epoch_end(self, net, **kwargs):
        """Copy the weights if this epoch is the best so far."""
        value = net.history[-1].get(self.monitor)
        if value is not None and value < self.best_:
            self.best_ = float(value)
            self.state_ = {k: v.detach().clone()
                           for k, v in net.module_.state_dict().items()}

    def on_train_end(self, net, **kwargs):
        """Put the best weights back."""
        if self.state_ is not None:
            net.module_.load_state_dict(self.state_)

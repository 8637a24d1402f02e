# License: BSD-3-Clause
"""skorch callbacks for training the zoo (torch and skorch only)."""

import time

from skorch.callbacks import Callback


class TimeBudget(Callback):
    """Stop training once ``seconds`` of wall-clock time have been spent.

    Checked after every training batch, so one budget means the same for
    networks of very different speeds (epochs of large pools can take
    minutes). The stop is skorch's usual one (a KeyboardInterrupt caught by
    ``fit``), so ``on_train_end`` callbacks such as
    :class:`mne_denoise.nn._skorch.KeepBest` still run; the interrupted
    epoch has no ``train_loss`` or ``valid_loss`` in the history.

    Parameters
    ----------
    seconds : float
        The budget, counted from the start of training.
    """

    def __init__(self, seconds):
        self.seconds = seconds

    def on_train_begin(self, net, **kwargs):
        """Start the clock."""
        self.start_ = time.perf_counter()
        self.stopped_ = False

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        """Stop when the budget is spent."""
        if training and time.perf_counter() - self.start_ > self.seconds:
            self.stopped_ = True
            raise KeyboardInterrupt

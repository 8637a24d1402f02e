# License: BSD-3-Clause
"""Adversarial training of any denoising network (torch and skorch only).

A discriminator learns to tell clean segments from denoised ones, and the
denoiser (the generator) is trained on its usual loss plus a term that
rewards fooling the discriminator, as in GAN-based EEG denoisers.
:func:`mne_denoise.nn._skorch.train_network` with ``adversarial_weight``
trains this way.
"""

from __future__ import annotations

import torch
from skorch import NeuralNetRegressor
from skorch.dataset import unpack_data
from skorch.utils import TeeGenerator
from torch import nn

from ...utils._checks import _check_int
from ._common import as_3d


class Discriminator(nn.Module):
    """1-D CNN that scores how much a segment looks like clean EEG.

    Strided convolutions (LeakyReLU, no normalisation), global average
    pooling over time and a linear layer to one logit.

    Parameters
    ----------
    n_times : int
        Samples per segment (any length works).
    channels : tuple of int
        Widths of the strided convolutions.
    kernel_size : int
        Convolution width.

    Notes
    -----
    Input ``(batch, 1, n_times)``; output ``(batch,)`` logits (positive:
    judged clean).
    """

    def __init__(self, n_times=512, *, channels=(16, 32, 64), kernel_size=7):
        super().__init__()
        self.n_times = _check_int(n_times, "n_times", minimum=1)
        layers, c_in = [], 1
        for c in channels:
            layers += [nn.Conv1d(c_in, c, kernel_size, stride=2,
                                 padding=kernel_size // 2),
                       nn.LeakyReLU(0.2)]
            c_in = int(c)
        self.features = nn.Sequential(*layers)
        self.score = nn.Linear(c_in, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return one logit per segment."""
        h = self.features(as_3d(x)).mean(dim=-1)
        return self.score(h)[:, 0]


def _prediction(y):
    return y[0] if isinstance(y, tuple | list) else y


class AdversarialRegressor(NeuralNetRegressor):
    """skorch regressor that trains its module against a discriminator.

    Each training batch makes two steps. The discriminator step lowers
    ``BCE(D(clean), 1) + BCE(D(G(noisy)), 0)``; the generator step lowers
    ``criterion(G(noisy), clean) + adversarial_weight * BCE(D(G(noisy)), 1)``.
    The generator keeps its optimizer (``optimizer``, ``lr``); the
    discriminator gets its own instance of the same optimizer class with
    ``discriminator_lr`` (default ``lr``). Validation scores the criterion
    alone, so validation losses compare with those of plain training. Any
    generator works, including networks that return a tuple whose first
    element is the prediction.

    Parameters
    ----------
    *args, **kwargs
        Those of :class:`skorch.NeuralNetRegressor`; ``discriminator__*``
        arguments are routed to the discriminator (``discriminator__n_times``
        is required when the discriminator needs it).
    discriminator : type of torch.nn.Module
        The discriminator class, ``(batch, 1, n_times) -> (batch,)`` logits.
    adversarial_weight : float
        Weight of the adversarial term in the generator's loss.
    discriminator_lr : float | None
        Learning rate of the discriminator (None: ``lr``).

    Notes
    -----
    The history records per batch ``d_loss`` (discriminator) and ``adv_loss``
    (the generator's adversarial term); ``train_loss`` is the criterion
    alone.
    """

    def __init__(self, *args, discriminator=Discriminator, adversarial_weight=0.01,
                 discriminator_lr=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.discriminator = discriminator
        self.adversarial_weight = adversarial_weight
        self.discriminator_lr = discriminator_lr

    def initialize_module(self):
        """Build the generator (``module_``) and the discriminator."""
        super().initialize_module()
        params = self.get_params_for("discriminator")
        self.discriminator_ = self.initialized_instance(self.discriminator, params)
        return self

    def initialize_optimizer(self, *args, **kwargs):
        """One optimizer for the generator, one for the discriminator."""
        args, kwargs = self.get_params_for_optimizer(
            "optimizer", self.module_.named_parameters())
        self.optimizer_ = self.optimizer(*args, **kwargs)
        lr = self.lr if self.discriminator_lr is None else self.discriminator_lr
        self.optimizer_discriminator_ = self.optimizer(
            self.discriminator_.parameters(), lr=lr)
        return self

    def train_step(self, batch, **fit_params):
        """Alternate one discriminator step and one generator step."""
        self._set_training(True)
        Xi, yi = unpack_data(batch)
        clean = as_3d(torch.as_tensor(yi, device=self.device))
        bce = nn.functional.binary_cross_entropy_with_logits

        # Discriminator: real clean segments against detached denoised ones.
        with torch.no_grad():
            fake = as_3d(_prediction(self.infer(Xi, **fit_params)))
        d_real = self.discriminator_(clean)
        d_fake = self.discriminator_(fake)
        d_loss = bce(d_real, torch.ones_like(d_real)) + \
            bce(d_fake, torch.zeros_like(d_fake))
        self.optimizer_discriminator_.zero_grad()
        d_loss.backward()
        self.optimizer_discriminator_.step()

        # Generator: its own loss plus fooling the (now frozen) discriminator.
        self.optimizer_.zero_grad()
        y_pred = self.infer(Xi, **fit_params)
        loss = self.get_loss(y_pred, yi, X=Xi, training=True)
        judged = self.discriminator_(as_3d(_prediction(y_pred)))
        adv = bce(judged, torch.ones_like(judged))
        (loss + self.adversarial_weight * adv).backward()
        # Lets callbacks such as gradient clipping act on the generator.
        self.notify("on_grad_computed",
                    named_parameters=TeeGenerator(self.module_.named_parameters()),
                    batch=batch, training=True)
        self.optimizer_.step()
        # The discriminator's gradients from the generator step are stale.
        self.optimizer_discriminator_.zero_grad()
        self.history.record_batch("d_loss", d_loss.item())
        self.history.record_batch("adv_loss", adv.item())
        return {"loss": loss, "y_pred": y_pred}

# License: BSD-3-Clause
"""The model zoo: denoising networks from the literature (torch only).

Every network takes ``(batch, 1, n_times)`` standardized segments and returns
the denoised segments in the same shape (the DVAE returns a tuple whose first
element is that). Its constructor takes ``n_times`` first, then keyword-only
sizes. :data:`MODULES` maps the names accepted by
:class:`mne_denoise.denoisers.DeepDenoiser` to the classes;
:func:`register_module` adds a user's network under a name.
"""

import difflib

import torch

from ..callbacks import TimeBudget  # noqa: F401 (kept importable from here)
from ..losses import DVAELoss, ReconstructionLoss
from .adversarial import AdversarialRegressor, Discriminator
from .bg_attention import BGAttentionNet
from .bilstm_ae import BiLSTMAutoencoder
from .complex_cnn import ComplexCNN, ResidualBlock
from .dvae import DVAE
from .fcnn import FCNN
from .lstm import LSTMNet
from .simple_cnn import SimpleCNN
from .unet import UNet1d

__all__ = [
    "DVAE",
    "FCNN",
    "MODULES",
    "AdversarialRegressor",
    "BGAttentionNet",
    "BiLSTMAutoencoder",
    "ComplexCNN",
    "DVAELoss",
    "Discriminator",
    "LSTMNet",
    "ReconstructionLoss",
    "ResidualBlock",
    "SimpleCNN",
    "UNet1d",
    "criterion_for",
    "get_module",
    "register_module",
]

#: The built-in networks, one row each: registered name, class, training loss.
#: MODULES and the training losses are derived from it, so a new network is
#: its file, its import and ``__all__`` entry above, and one row here.
_NETWORKS = (
    ("fcnn", FCNN, ReconstructionLoss),
    ("simple_cnn", SimpleCNN, ReconstructionLoss),
    ("complex_cnn", ComplexCNN, ReconstructionLoss),
    ("lstm", LSTMNet, ReconstructionLoss),
    ("bg_attention", BGAttentionNet, ReconstructionLoss),
    ("unet", UNet1d, ReconstructionLoss),
    ("bilstm_ae", BiLSTMAutoencoder, ReconstructionLoss),
    ("dvae", DVAE, DVAELoss),
)

#: Registered networks by name.
MODULES = {name: module for name, module, _ in _NETWORKS}

# Training loss of the networks that need another one than ReconstructionLoss
# (register_module adds to it).
_CRITERIA = {module: criterion for _, module, criterion in _NETWORKS
             if criterion is not ReconstructionLoss}


def get_module(name):
    """Return the network class registered as ``name``.

    Parameters
    ----------
    name : str
        A key of :data:`MODULES`.

    Returns
    -------
    module : type of torch.nn.Module
        The class. An unknown name raises a ValueError that lists the names
        and suggests the closest one.
    """
    if name in MODULES:
        return MODULES[name]
    close = difflib.get_close_matches(str(name), MODULES, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ValueError(
        f"Unknown module {name!r}.{hint} Registered networks: {sorted(MODULES)}; "
        "or pass a torch.nn.Module class, or register yours with "
        "mne_denoise.nn.zoo.register_module(name, cls)."
    )


def criterion_for(module):
    """The training loss class of a network class (DVAELoss for DVAEs).

    Parameters
    ----------
    module : type of torch.nn.Module
        A network class.

    Returns
    -------
    criterion : type of torch.nn.Module
        Its loss class (:class:`ReconstructionLoss` unless registered
        otherwise).
    """
    for cls, criterion in _CRITERIA.items():
        if isinstance(module, type) and issubclass(module, cls):
            return criterion
    return ReconstructionLoss


def register_module(name, module, *, criterion=None, overwrite=False):
    """Register a network class under ``name`` for ``DeepDenoiser(module=name)``.

    A registered name, unlike a class, can be saved with
    :meth:`~mne_denoise.denoisers.DeepDenoiser.save` (register it again
    before :func:`mne_denoise.read_denoiser`).

    Parameters
    ----------
    name : str
        The name.
    module : type of torch.nn.Module
        Its constructor takes ``n_times`` and keyword sizes; ``forward(x)``
        maps ``(batch, 1, n_times)`` to the same shape (or a tuple whose first
        element is that).
    criterion : type of torch.nn.Module | None
        Its training loss (default :class:`ReconstructionLoss`).
    overwrite : bool
        Replace an existing entry.
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty str, got {name!r}.")
    if not (isinstance(module, type) and issubclass(module, torch.nn.Module)):
        raise TypeError(
            f"module must be a torch.nn.Module subclass, got {module!r}.")
    if name in MODULES and MODULES[name] is not module and not overwrite:
        raise ValueError(
            f"{name!r} is already registered ({MODULES[name].__name__}); pass "
            "overwrite=True to replace it.")
    MODULES[name] = module
    if criterion is not None:
        _CRITERIA[module] = criterion

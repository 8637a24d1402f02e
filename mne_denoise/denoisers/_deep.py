# License: BSD-3-Clause
"""DeepDenoiser: any network of the zoo (or the user's) as a denoiser."""

import difflib
import inspect
import numbers

import numpy as np

from ._deep_base import BaseDeepDenoiser

#: Prefixes of the keyword arguments routed to the network and to its loss,
#: as skorch routes them (``module__depth=3``).
_ROUTED = ("module__", "criterion__")
#: Weight of the adversarial term when ``adversarial=True``.
_DEFAULT_ADVERSARIAL_WEIGHT = 0.01

_DOCS = {
    "info_sfreq": """\
info : mne.Info | None
        Describes the channels of array inputs (as :class:`mne.decoding.Scaler`
        takes it). Not needed for Epochs, Raw or Evoked inputs.
    sfreq : float | None
        Sampling rate of array inputs whose channels are all EEG, when no
        ``info`` is given.""",
    "training": """\
weights : None | path-like
        Initial weights: None (random, the default: the zoo ships no
        pretrained weights, so ``fit`` trains) or the path of a weights file
        (a ``.pt`` dict with ``state_dict`` and ``module_params``, as
        ``mne-denoise train`` writes; ``max_epochs=0`` then uses it as it
        is).
    max_epochs : int
        Training epochs in ``fit`` (semi-synthetic pairs drawn afresh every
        epoch from the clean EEG windows of the training data and its EOG/EMG
        channels, or from ``clean_bank``/``artifact_bank``).
    lr : float
        Learning rate of the AdaMax optimizer.
    batch_size : int
        Windows per training batch.
    module_params : dict | None
        Arguments of the network; copied, never mutated. ``module__<name>``
        keyword arguments (see ``**kwargs``) override them.
    adversarial : bool | float
        Train against a discriminator that tells denoised from clean segments
        (:class:`mne_denoise.nn.zoo.AdversarialRegressor`): False (default)
        for plain training, True for an adversarial term of weight 0.01 in
        the network's loss, or that weight as a float > 0.
    callbacks : list | None
        Extra skorch callbacks for training, e.g. ``[("stop",
        skorch.callbacks.EarlyStopping(patience=5))]`` or
        :class:`mne_denoise.nn.zoo.TimeBudget`; deep-copied at each ``fit``,
        never mutated.
    overlap : float
        Overlap of consecutive windows in ``transform``, in [0, 1).
    device : str
        ``'auto'`` (CUDA when present, else CPU), ``'cpu'`` or ``'cuda'``.
    random_state : int | RandomState | None
        Seeds weight initialization, the training draws and the shuffling.
    verbose : bool | str | int | None
        Truthy values print skorch's per-epoch training table.
    **kwargs
        ``module__<name>=value`` sets an argument of the network and
        ``criterion__<name>=value`` one of its loss (e.g. ``criterion__beta``
        of :class:`mne_denoise.nn.zoo.DVAELoss`), as in skorch; both are
        parameters of the estimator, so ``GridSearchCV`` can search them
        (``"<step>__module__<name>"`` in a Pipeline). Any other name is a
        TypeError.""",
    "attributes": """\
net_ : skorch.NeuralNetRegressor
        The fitted network (``net_.module_``) and its training history.
    device_ : str
        The resolved device.
    module_params_ : dict
        The network's arguments.
    info_ : mne.Info
        Channels seen at ``fit``.
    sfreq_ : float
        Their sampling rate.
    ch_names_ : list of str
        Their names.
    clean_idx_, ref_idx_ : array of int
        Indices of the EEG channels cleaned and of the EOG/EMG channels.
    n_features_in_ : int
        Channels (3-D input) or samples (2-D input) seen at ``fit``.""",
    "notes": """\
The network cleans each EEG channel on its own, blind (the EOG/EMG
    channels only provide training artifacts): data are resampled to 256 Hz,
    cut into 2-s windows with ``overlap``, standardized per window (protocol
    of :mod:`mne_denoise._protocol`), denoised, and what the network removed
    is resampled back and subtracted from the input. Epochs shorter than 2 s
    are reflect-padded to one window, in ``transform`` and for training
    alike.""",
}


def _fill_doc(obj):
    """Fill ``%(name)s`` placeholders of a docstring from the shared fragments."""
    obj.__doc__ = obj.__doc__ % _DOCS
    return obj


def _suggest(name, valid):
    """A ' Did you mean ...?' hint for a misspelt argument, or ''."""
    for prefix in _ROUTED:
        stem = prefix.rstrip("_")
        # module_depth, moduledepth -> module__depth
        if name.startswith(stem) and not name.startswith(prefix):
            rest = name[len(stem):].lstrip("_")
            if rest:
                return f" Did you mean {prefix + rest!r}?"
    close = difflib.get_close_matches(name, valid, n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


class _RoutedParamsMixin:
    """skorch-style ``module__*`` / ``criterion__*`` parameters.

    They are returned by ``get_params`` and accepted by ``set_params``, so
    that ``clone`` and grid searches work on them. They are kept in one
    private dict rather than as attributes of their own: scikit-learn's
    checks allow ``__init__`` to set only the attributes named in its
    signature (and private ones).
    """

    def _store_routed(self, kwargs):
        valid = list(self._get_param_names())
        for key in kwargs:
            if not (key.startswith(_ROUTED) and key.split("__", 1)[1]):
                raise TypeError(
                    f"{type(self).__name__}.__init__() got an unexpected keyword "
                    f"argument {key!r}.{_suggest(key, valid)} Network arguments "
                    "are passed as module__<name>=value."
                )
        self._routed_params = kwargs

    def _routed(self, prefix):
        """The routed arguments of ``prefix`` ('module' or 'criterion')."""
        start = prefix + "__"
        return {k[len(start):]: v for k, v in self._routed_params.items()
                if k.startswith(start)}

    def get_params(self, deep=True):
        """Get parameters, ``module__*`` and ``criterion__*`` included.

        Parameters
        ----------
        deep : bool
            Also return the parameters of contained estimators.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        params = super().get_params(deep=deep)
        params.update(self._routed_params)
        return params

    def set_params(self, **params):
        """Set parameters, ``module__*`` and ``criterion__*`` included.

        Parameters
        ----------
        **params : dict
            Estimator parameters.

        Returns
        -------
        self : instance
            The estimator.
        """
        routed = {k: params.pop(k) for k in list(params) if k.startswith(_ROUTED)}
        for key in routed:
            if not key.split("__", 1)[1]:
                raise ValueError(f"Invalid parameter {key!r}: the name is missing.")
        # A new dict: clones share nothing with the original.
        self._routed_params = {**self._routed_params, **routed}
        return super().set_params(**params)


@_fill_doc
class DeepDenoiser(_RoutedParamsMixin, BaseDeepDenoiser):
    """Remove EOG and EMG artifacts with any single-channel denoising network.

    Brings a network of the model zoo (:data:`mne_denoise.nn.zoo.MODULES`),
    or the user's own :class:`torch.nn.Module` class, to the whole
    MNE/scikit-learn machinery: training in ``fit`` on the data's own clean
    EEG and EOG/EMG channels, denoising of Epochs, Raw, Evoked and arrays,
    Pipelines, cross-validation, grid searches over the network's arguments
    (``module__*``), save/read.

    Parameters
    ----------
    module : str | type of torch.nn.Module
        A registered name (``'fcnn'``, ``'simple_cnn'``, ``'complex_cnn'``,
        ``'lstm'``, ``'bg_attention'``, ``'unet'``, ``'bilstm_ae'``,
        ``'dvae'``, or one added with
        :func:`mne_denoise.nn.zoo.register_module`) or a network class. Its
        constructor takes ``n_times`` (the denoiser passes 512) and keyword
        sizes; ``forward(x)`` maps standardized segments ``(batch, 1,
        n_times)`` to denoised ones of the same shape (or to a tuple whose
        first element is that).
    %(info_sfreq)s
    %(training)s

    Attributes
    ----------
    %(attributes)s

    See Also
    --------
    BGAttentionDenoiser, FCNNDenoiser, SimpleCNNDenoiser, ComplexCNNDenoiser,
    LSTMDenoiser, UNetDenoiser, BiLSTMAEDenoiser, DVAEDenoiser :
        The named networks of the zoo.
    mne_denoise.nn.zoo.register_module : name a network of your own.

    Notes
    -----
    %(notes)s

    The training loss is :class:`mne_denoise.nn.zoo.ReconstructionLoss`
    (the package's RRMSE/log-cosh loss on the network's first output), or
    :class:`mne_denoise.nn.zoo.DVAELoss` for the DVAE. A denoiser with a
    network *class* (rather than a registered name) works everywhere but
    cannot be saved.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(4, 2, 512)) * 1e-5
    >>> den = DeepDenoiser("unet", sfreq=256.0, max_epochs=1, module__depth=2,
    ...                    module__channels=4).fit(X)
    >>> den.transform(X).shape
    (4, 2, 512)
    """

    #: The network name of the named specialisations (None: ``module``).
    _fixed_module = None

    def __init__(self, module="unet", *, info=None, sfreq=None, weights=None,
                 max_epochs=10, lr=1e-3, batch_size=32, module_params=None,
                 adversarial=False, callbacks=None, overlap=0.5, device="auto",
                 random_state=None, verbose=None, **kwargs):
        self.module = module
        self.info = info
        self.sfreq = sfreq
        self.weights = weights
        self.max_epochs = max_epochs
        self.lr = lr
        self.batch_size = batch_size
        self.module_params = module_params
        self.adversarial = adversarial
        self.callbacks = callbacks
        self.overlap = overlap
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self._store_routed(kwargs)

    # ------------------------------------------------------------------
    # The network and its loss
    def _module_spec(self):
        return self._fixed_module if self._fixed_module is not None else self.module

    @property
    def _module(self):
        from ..nn.zoo import get_module

        spec = self._module_spec()
        return get_module(spec) if isinstance(spec, str) else spec

    @property
    def _criterion(self):
        import functools

        from ..nn.zoo import criterion_for

        criterion = criterion_for(self._module)
        params = self._routed("criterion")
        return functools.partial(criterion, **params) if params else criterion

    def _adversarial_weight(self):
        if self.adversarial is True:
            return _DEFAULT_ADVERSARIAL_WEIGHT
        return float(self.adversarial or 0.0)

    # ------------------------------------------------------------------
    # Checks (at fit)
    def _check_params(self):
        import torch

        spec = self._module_spec()
        if isinstance(spec, str):
            cls = self._module  # ValueError naming the registered networks
        elif isinstance(spec, type) and issubclass(spec, torch.nn.Module):
            cls = spec
        else:
            raise TypeError(
                "module must be the name of a registered network (e.g. 'unet') or "
                f"a torch.nn.Module subclass, got {spec!r}. Pass the class, not "
                "an instance; its arguments go in module__<name>=value."
            )
        if self.weights == "pretrained":
            raise ValueError(
                f"No pretrained weights ship for {cls.__name__}: use weights=None "
                "(train from scratch, max_epochs > 0) or the path of a weights "
                "file."
            )
        if isinstance(self.adversarial, bool):
            pass
        elif not isinstance(self.adversarial, numbers.Real) or self.adversarial < 0:
            raise ValueError(
                "adversarial must be False, True or the weight (a float >= 0) of "
                f"the adversarial term, got {self.adversarial!r}."
            )
        super()._check_params()
        self._check_module_args(cls)

    def _check_module_args(self, cls):
        routed = self._routed("module")
        if "n_times" in routed or "n_times" in (self.module_params or {}):
            raise ValueError(
                "n_times is set by the denoiser (segments of "
                f"{self._n_window} samples); remove it from the network's "
                "arguments."
            )
        both = sorted(set(routed) & set(self.module_params or {}))
        if both:
            raise ValueError(
                f"{both} given both in module_params and as module__<name>; "
                "set each network argument once."
            )
        sig = inspect.signature(cls)
        if any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values()):
            return
        names = [n for n in sig.parameters if n != "self"]
        if "n_times" not in names:
            raise TypeError(
                f"{cls.__name__} must take an n_times argument (the segment "
                f"length, {self._n_window}), but its signature is {sig}."
            )
        for key in {**(self.module_params or {}), **routed}:
            if key not in names:
                close = difflib.get_close_matches(key, names, n=1)
                hint = f" Did you mean module__{close[0]}?" if close else ""
                raise TypeError(
                    f"{cls.__name__} has no argument {key!r}.{hint} Its "
                    f"arguments: {[n for n in names if n != 'n_times']}."
                )

    # ------------------------------------------------------------------
    # Fitting
    def _resolved_module_params(self, bundle):
        params = super()._resolved_module_params(bundle)
        params.update(self._routed("module"))
        return params

    def _training_pools(self, data, info, clean_bank, artifact_bank, seed):
        # Short epochs are reflect-padded to one window, as transform does, so
        # that any input a transform accepts can also be trained on.
        need = int(np.ceil(self._n_window * info["sfreq"] / self._model_sfreq)) + 1
        n_times = data.shape[-1]
        if n_times < 2 and clean_bank is None:
            raise ValueError(
                "Cannot train on segments of a single sample (n_features = 1 for "
                "a 2-D X, read as (n_segments, n_times)): there is no signal to "
                "learn from. Pass longer segments, or clean_bank=... ."
            )
        if n_times < need:
            mode = "reflect" if n_times > 1 else "edge"
            data = np.pad(data, [(0, 0), (0, 0), (0, need - n_times)], mode=mode)
        return super()._training_pools(data, info, clean_bank, artifact_bank, seed)

    def _fit_network(self, module_params, clean, artifacts, **kwargs):
        from ..nn.zoo import train_adversarial

        weight = self._adversarial_weight()
        if weight > 0:
            return train_adversarial(
                self._module, module_params, self._criterion, clean, artifacts,
                adversarial_weight=weight, **kwargs)
        return super()._fit_network(module_params, clean, artifacts, **kwargs)

    # ------------------------------------------------------------------
    # Persistence
    def save(self, fname, *, overwrite=False):
        """Save the fitted denoiser (parameters, fitted state and weights).

        Parameters
        ----------
        fname : path-like
            Output file, conventionally ``*.pt``.
        overwrite : bool
            Overwrite an existing file.

        See Also
        --------
        mne_denoise.read_denoiser
        """
        if not isinstance(self._module_spec(), str):
            raise TypeError(
                f"A denoiser built on a network class ({self._module.__name__}) "
                "cannot be saved: the file holds only names, numbers and weights. "
                "Register the class with mne_denoise.nn.zoo.register_module("
                "'name', cls), build the denoiser with module='name', and "
                "register it again before read_denoiser."
            )
        return super().save(fname, overwrite=overwrite)


@_fill_doc
class _NamedDeepDenoiser(DeepDenoiser):
    """A DeepDenoiser whose network is fixed by the class (not public).

    Parameters
    ----------
    %(info_sfreq)s
    %(training)s
    """

    _fixed_module = "unet"

    def __init__(self, info=None, *, sfreq=None, weights=None, max_epochs=10,
                 lr=1e-3, batch_size=32, module_params=None, adversarial=False,
                 callbacks=None, overlap=0.5, device="auto", random_state=None,
                 verbose=None, **kwargs):
        self.info = info
        self.sfreq = sfreq
        self.weights = weights
        self.max_epochs = max_epochs
        self.lr = lr
        self.batch_size = batch_size
        self.module_params = module_params
        self.adversarial = adversarial
        self.callbacks = callbacks
        self.overlap = overlap
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self._store_routed(kwargs)


_SEE_ALSO = """\
DeepDenoiser : the same with any network, by name or class."""

_ZHANG = """\
.. [1] Zhang H., Zhao M., Wei C., Mantini D., Li Z., Liu Q. (2021).
       EEGdenoiseNet: a benchmark dataset for deep learning solutions of EEG
       denoising. J. Neural Eng. 18, 056057."""

_DOCS.update(see_also=_SEE_ALSO, zhang=_ZHANG, named="""\
Its arguments are set with ``module__<name>=value`` (or
    ``module_params``); everything else is :class:`DeepDenoiser`'s.""")


@_fill_doc
class BGAttentionDenoiser(_NamedDeepDenoiser):
    """Remove EOG and EMG artifacts with BG-Attention (Wang et al., 2022).

    A bidirectional GRU encoder, multi-head self-attention with residual
    connections and layer normalisation, a second bidirectional GRU and a
    per-time-step output projection, end to end on the raw segment: the
    network is :class:`mne_denoise.nn.zoo.BGAttentionNet`.

    %(named)s

    Parameters
    ----------
    %(info_sfreq)s
    %(training)s

    Attributes
    ----------
    %(attributes)s

    See Also
    --------
    %(see_also)s

    Notes
    -----
    %(notes)s

    References
    ----------
    .. [1] Wang W., Li B., Wang H. (2022). A novel end-to-end network based
       on a bidirectional GRU and a self-attention mechanism for denoising of
       electroencephalography signals. Neuroscience 505, 10-20.
    """

    _fixed_module = "bg_attention"


@_fill_doc
class FCNNDenoiser(_NamedDeepDenoiser):
    """Remove EOG and EMG artifacts with EEGdenoiseNet's fully connected network.

    Four dense layers of 512 units (ReLU, dropout 0.3), as benchmarked by
    EEGdenoiseNet: the network is :class:`mne_denoise.nn.zoo.FCNN`.

    %(named)s

    Parameters
    ----------
    %(info_sfreq)s
    %(training)s

    Attributes
    ----------
    %(attributes)s

    See Also
    --------
    %(see_also)s

    Notes
    -----
    %(notes)s

    References
    ----------
    %(zhang)s
    """

    _fixed_module = "fcnn"


@_fill_doc
class SimpleCNNDenoiser(_NamedDeepDenoiser):
    """Remove EOG and EMG artifacts with EEGdenoiseNet's simple CNN.

    Four convolution blocks of 64 filters and a flatten-to-dense head, as
    benchmarked by EEGdenoiseNet (``module__head='conv'`` gives a small,
    fully convolutional variant): the network is
    :class:`mne_denoise.nn.zoo.SimpleCNN`.

    %(named)s

    Parameters
    ----------
    %(info_sfreq)s
    %(training)s

    Attributes
    ----------
    %(attributes)s

    See Also
    --------
    %(see_also)s

    Notes
    -----
    %(notes)s

    References
    ----------
    %(zhang)s
    """

    _fixed_module = "simple_cnn"


@_fill_doc
class ComplexCNNDenoiser(_NamedDeepDenoiser):
    """Remove EOG and EMG artifacts with EEGdenoiseNet's complex (residual) CNN.

    Three parallel branches of residual blocks (kernel sizes 3, 5 and 7) and
    a flatten-to-dense head, as benchmarked by EEGdenoiseNet: the network is
    :class:`mne_denoise.nn.zoo.ComplexCNN`.

    %(named)s

    Parameters
    ----------
    %(info_sfreq)s
    %(training)s

    Attributes
    ----------
    %(attributes)s

    See Also
    --------
    %(see_also)s

    Notes
    -----
    %(notes)s

    References
    ----------
    %(zhang)s
    """

    _fixed_module = "complex_cnn"


@_fill_doc
class LSTMDenoiser(_NamedDeepDenoiser):
    """Remove EOG and EMG artifacts with EEGdenoiseNet's LSTM network.

    An LSTM over the samples followed by dense layers, as benchmarked by
    EEGdenoiseNet: the network is :class:`mne_denoise.nn.zoo.LSTMNet`.

    %(named)s

    Parameters
    ----------
    %(info_sfreq)s
    %(training)s

    Attributes
    ----------
    %(attributes)s

    See Also
    --------
    %(see_also)s

    Notes
    -----
    %(notes)s

    References
    ----------
    %(zhang)s
    """

    _fixed_module = "lstm"


@_fill_doc
class UNetDenoiser(_NamedDeepDenoiser):
    """Remove EOG and EMG artifacts with a 1-D U-Net.

    An encoder-decoder of convolutions with skip connections between the
    levels of the same resolution: the network is
    :class:`mne_denoise.nn.zoo.UNet1d`.

    %(named)s

    Parameters
    ----------
    %(info_sfreq)s
    %(training)s

    Attributes
    ----------
    %(attributes)s

    See Also
    --------
    %(see_also)s

    Notes
    -----
    %(notes)s

    References
    ----------
    .. [1] Ronneberger O., Fischer P., Brox T. (2015). U-Net: convolutional
       networks for biomedical image segmentation. MICCAI, 234-241.
    """

    _fixed_module = "unet"


@_fill_doc
class BiLSTMAEDenoiser(_NamedDeepDenoiser):
    """Remove EOG and EMG artifacts with a bidirectional-LSTM autoencoder.

    Bidirectional LSTMs encode short frames of the segment into a per-step
    code and decode it into the clean segment: the network is
    :class:`mne_denoise.nn.zoo.BiLSTMAutoencoder`.

    %(named)s

    Parameters
    ----------
    %(info_sfreq)s
    %(training)s

    Attributes
    ----------
    %(attributes)s

    See Also
    --------
    %(see_also)s

    Notes
    -----
    %(notes)s

    References
    ----------
    .. [1] Hochreiter S., Schmidhuber J. (1997). Long short-term memory.
       Neural Comput. 9, 1735-1780.
    """

    _fixed_module = "bilstm_ae"


@_fill_doc
class DVAEDenoiser(_NamedDeepDenoiser):
    """Remove EOG and EMG artifacts with a denoising variational autoencoder.

    A convolutional encoder maps the noisy segment to a Gaussian latent
    sequence that a convolutional decoder turns into the clean segment; the
    loss adds ``criterion__beta`` (default 0.01) times the KL divergence:
    the network is :class:`mne_denoise.nn.zoo.DVAE`.

    %(named)s

    Parameters
    ----------
    %(info_sfreq)s
    %(training)s

    Attributes
    ----------
    %(attributes)s

    See Also
    --------
    %(see_also)s

    Notes
    -----
    %(notes)s

    References
    ----------
    .. [1] Im D. J., Ahn S., Memisevic R., Bengio Y. (2017). Denoising
       criterion for variational auto-encoding framework. AAAI.
    """

    _fixed_module = "dvae"

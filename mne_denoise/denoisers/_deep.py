# License: BSD-3-Clause
"""DeepDenoiser: any network of the zoo (or the user's) as a denoiser.

The named estimators (:class:`UNetDenoiser`...) are built from one table,
:data:`ZOO`: a new network of the zoo is one file in ``nn/zoo`` plus one row
here.
"""

import numbers

import numpy as np

from ..utils._docs import docdict, fill_doc
from . import _io
from ._deep_base import BaseDeepDenoiser

#: Weight of the adversarial term when ``adversarial=True``.
_DEFAULT_ADVERSARIAL_WEIGHT = 0.01

#: Zoo networks whose weights ship in :mod:`mne_denoise.weights` (under
#: the network's registered name), trained by ``mne-denoise train NAME``.
_SHIPPED = ("unet",)

docdict["zoo_params"] = "\n    ".join([
    docdict["info_sfreq"], docdict["weights_zoo"], docdict["max_epochs_zoo"],
    docdict["optim"], docdict["adversarial"], docdict["callbacks"],
    docdict["device_state_verbose"]])
docdict["zoo_attributes"] = docdict["deep_attributes"] + "\n    " \
    + docdict["attributes"]
docdict["zoo_notes"] = """\
The network cleans each EEG channel on its own, blind (the EOG/EMG
    channels only provide training artifacts). """ + docdict["deep_notes"] + """
    Training pads short epochs in the same way, so any input that
    ``transform`` accepts can be trained on."""


@fill_doc
class DeepDenoiser(BaseDeepDenoiser):
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
    %(zoo_params)s

    Attributes
    ----------
    %(zoo_attributes)s

    See Also
    --------
    BGAttentionDenoiser, FCNNDenoiser, SimpleCNNDenoiser, ComplexCNNDenoiser,
    LSTMDenoiser, UNetDenoiser, BiLSTMAEDenoiser, DVAEDenoiser :
        The named networks of the zoo.
    mne_denoise.nn.zoo.register_module : name a network of your own.

    Notes
    -----
    %(zoo_notes)s

    The training loss is :class:`mne_denoise.nn.zoo.ReconstructionLoss`
    (the package's RRMSE/log-cosh loss on the network's first output), or
    :class:`mne_denoise.nn.zoo.DVAELoss` for the DVAE. A denoiser with a
    network *class* (rather than a registered name) is saved with the class's
    import path, so the class must be defined at the top level of an
    importable module (not in ``__main__`` or inside a function), and
    :func:`~mne_denoise.read_denoiser` imports it again.

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
                 max_epochs="auto", lr=1e-3, batch_size=32, pairs_per_epoch=None,
                 clean_probability=0.0, augment=False,
                 high_snr_probability=0.0, adversarial=False, callbacks=None,
                 threshold=0.5, overlap=0.5, device="auto", random_state=None,
                 verbose=None,
                 **kwargs):
        self.module = module
        self.info = info
        self.sfreq = sfreq
        self.weights = weights
        self.max_epochs = max_epochs
        self.lr = lr
        self.batch_size = batch_size
        self.pairs_per_epoch = pairs_per_epoch
        self.clean_probability = clean_probability
        self.augment = augment
        self.high_snr_probability = high_snr_probability
        self.threshold = threshold
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
        from ..nn.zoo import criterion_for

        return criterion_for(self._module)

    def _adversarial_weight(self):
        if self.adversarial is True:
            return _DEFAULT_ADVERSARIAL_WEIGHT
        return float(self.adversarial or 0.0)

    # ------------------------------------------------------------------
    # Checks (at fit)
    def _check_params(self):
        import torch

        self._check_routed()
        spec = self._module_spec()
        if isinstance(spec, str):
            cls = self._module  # ValueError naming the registered networks
        elif not (isinstance(spec, type) and issubclass(spec, torch.nn.Module)):
            raise TypeError(
                "module must be the name of a registered network (e.g. 'unet') or "
                f"a torch.nn.Module subclass, got {spec!r}. Pass the class, not "
                "an instance; its arguments go in module__<name>=value."
            )
        else:
            cls = spec
        if self.weights == "pretrained" and self._pretrained is None:
            shipped = ", ".join(f"{module} ({name})" for name, module, *_ in ZOO
                                if module in _SHIPPED)
            raise ValueError(
                f"No pretrained weights ship for {type(self).__name__} with "
                f"{cls.__name__} (the zoo ships them for: {shipped}, through "
                "its named class): use weights=None (train from scratch, "
                "max_epochs > 0) or the path of a weights file."
            )
        if isinstance(self.adversarial, bool):
            pass
        elif not isinstance(self.adversarial, numbers.Real) or self.adversarial < 0:
            raise ValueError(
                "adversarial must be False, True or the weight (a float >= 0) of "
                f"the adversarial term, got {self.adversarial!r}."
            )
        super()._check_params()

    # ------------------------------------------------------------------
    # Fitting
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
        weight = self._adversarial_weight()
        if weight > 0:
            # The same training loop, against a discriminator.
            kwargs["adversarial_weight"] = weight
        return super()._fit_network(module_params, clean, artifacts, **kwargs)

    # ------------------------------------------------------------------
    # Persistence
    def _check_savable(self):
        # The network cannot be left out of the file (the weights need it):
        # a class is saved by import path, so it must have one, said up front.
        spec = self._module_spec()
        if not isinstance(spec, str):
            _io.check_class_savable(spec, "module")


class _NamedDeepDenoiser(DeepDenoiser):
    """A DeepDenoiser whose network is fixed by the class (not public).

    The public named denoisers are made from :data:`ZOO` by
    :func:`_make_named`.
    """

    _fixed_module = "unet"

    def __init__(self, info=None, *, sfreq=None, weights=None, max_epochs="auto",
                 lr=1e-3, batch_size=32, pairs_per_epoch=None,
                 clean_probability=0.0, augment=False,
                 high_snr_probability=0.0, adversarial=False, callbacks=None,
                 threshold=0.5, overlap=0.5, device="auto", random_state=None,
                 verbose=None,
                 **kwargs):
        self.info = info
        self.sfreq = sfreq
        self.weights = weights
        self.max_epochs = max_epochs
        self.lr = lr
        self.batch_size = batch_size
        self.pairs_per_epoch = pairs_per_epoch
        self.clean_probability = clean_probability
        self.augment = augment
        self.high_snr_probability = high_snr_probability
        self.threshold = threshold
        self.adversarial = adversarial
        self.callbacks = callbacks
        self.overlap = overlap
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self._store_routed(kwargs)


_ZHANG = """\
Zhang H., Zhao M., Wei C., Mantini D., Li Z., Liu Q. (2021).
       EEGdenoiseNet: a benchmark dataset for deep learning solutions of EEG
       denoising. J. Neural Eng. 18, 056057."""

#: The named zoo denoisers: (class name, registered network, network class
#: in :mod:`mne_denoise.nn.zoo`, one-line title, summary, reference). A new
#: network of the zoo is one file in ``nn/zoo`` plus one row here (and its
#: name in ``__all__`` of the package and in ``doc/api.rst``).
ZOO = [
    ("BGAttentionDenoiser", "bg_attention", "BGAttentionNet",
     "BG-Attention (Wang et al., 2022)", """\
A bidirectional GRU encoder, multi-head self-attention with residual
    connections and layer normalisation, a second bidirectional GRU and a
    per-time-step output projection, end to end on the raw segment.""", """\
Wang W., Li B., Wang H. (2022). A novel end-to-end network based
       on a bidirectional GRU and a self-attention mechanism for denoising of
       electroencephalography signals. Neuroscience 505, 10-20."""),
    ("FCNNDenoiser", "fcnn", "FCNN",
     "EEGdenoiseNet's fully connected network", """\
Four dense layers of 512 units (ReLU, dropout 0.3), as benchmarked by
    EEGdenoiseNet.""", _ZHANG),
    ("SimpleCNNDenoiser", "simple_cnn", "SimpleCNN",
     "EEGdenoiseNet's simple CNN", """\
Four convolution blocks of 64 filters and a flatten-to-dense head, as
    benchmarked by EEGdenoiseNet (``module__head='conv'`` gives a small,
    fully convolutional variant).""", _ZHANG),
    ("ComplexCNNDenoiser", "complex_cnn", "ComplexCNN",
     "EEGdenoiseNet's complex (residual) CNN", """\
Three parallel branches of residual blocks (kernel sizes 3, 5 and 7) and
    a flatten-to-dense head, as benchmarked by EEGdenoiseNet.""", _ZHANG),
    ("LSTMDenoiser", "lstm", "LSTMNet",
     "EEGdenoiseNet's LSTM network", """\
An LSTM over the samples followed by dense layers, as benchmarked by
    EEGdenoiseNet.""", _ZHANG),
    ("UNetDenoiser", "unet", "UNet1d", "a 1-D U-Net", """\
An encoder-decoder of convolutions with skip connections between the
    levels of the same resolution.""", """\
Ronneberger O., Fischer P., Brox T. (2015). U-Net: convolutional
       networks for biomedical image segmentation. MICCAI, 234-241."""),
    ("BiLSTMAEDenoiser", "bilstm_ae", "BiLSTMAutoencoder",
     "a bidirectional-LSTM autoencoder", """\
Bidirectional LSTMs encode short frames of the segment into a per-step
    code and decode it into the clean segment.""", """\
Hochreiter S., Schmidhuber J. (1997). Long short-term memory.
       Neural Comput. 9, 1735-1780."""),
    ("DVAEDenoiser", "dvae", "DVAE",
     "a denoising variational autoencoder", """\
A convolutional encoder maps the noisy segment to a Gaussian latent
    sequence that a convolutional decoder turns into the clean segment; the
    loss adds ``criterion__beta`` (default 0.01) times the KL divergence.""",
     """\
Im D. J., Ahn S., Memisevic R., Bengio Y. (2017). Denoising
       criterion for variational auto-encoding framework. AAAI."""),
]

_NAMED_DOC = """Remove EOG and EMG artifacts with %(title)s.

    %(summary)s
    The network is :class:`mne_denoise.nn.zoo.%(network)s`.

    Its arguments are set with ``module__<name>=value``; everything else is
    :class:`DeepDenoiser`'s, with ``module=%(module)r``.

    Parameters
    ----------
    %(zoo_params)s

    Attributes
    ----------
    %(zoo_attributes)s

    See Also
    --------
    DeepDenoiser : the same with any network, by name or class.

    Notes
    -----
    %(zoo_notes)s

    References
    ----------
    .. [1] %(reference)s
    """


def _make_named(name, module, network, title, summary, reference):
    """A public class of ``ZOO``: a DeepDenoiser whose network is ``module``."""
    doc = _NAMED_DOC % {**docdict, "title": title, "summary": summary,
                        "network": network, "module": module,
                        "reference": reference}
    # A real class of this module (not a partial), so that inspect, pickle,
    # read_denoiser and sphinx's autosummary see an ordinary class.
    return type(name, (_NamedDeepDenoiser,), {
        "__doc__": doc, "__module__": __name__, "__qualname__": name,
        "_fixed_module": module,
        # The name of its shipped weights (``mne-denoise train NAME``), if any.
        "_pretrained": module if module in _SHIPPED else None})


for _row in ZOO:
    globals()[_row[0]] = _make_named(*_row)
del _row

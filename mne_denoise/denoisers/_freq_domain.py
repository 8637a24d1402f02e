# License: BSD-3-Clause
"""FreqDomainDenoiser: noise-PSD-conditioned learned filters."""

import numpy as np

from ..utils._checks import _check_option
from ._deep_base import BaseDeepDenoiser


class FreqDomainDenoiser(BaseDeepDenoiser):
    """Remove EOG and EMG artifacts with noise-PSD-conditioned learned filters.

    A network after Gabardi et al. (2023) reads the power spectrum of the
    noise, of the noisy signal and their ratio, and turns them into a cascade
    of time-domain filters that it applies to each EEG channel in 2-s windows
    at 256 Hz. The noise spectrum comes from the EOG/EMG reference channels
    when ``info`` has some (each EEG channel's share of the references is
    estimated in ``fit`` by least squares, as a regression would), otherwise
    from a learned noise-PSD estimator that reads the noisy signal alone
    (blind mode). One set of weights serves ocular and muscle artifacts.

    Parameters
    ----------
    info : mne.Info | None
        Describes the channels of array inputs (as :class:`mne.decoding.Scaler`
        takes it). Not needed for Epochs, Raw or Evoked inputs.
    sfreq : float | None
        Sampling rate of array inputs whose channels are all EEG, when no
        ``info`` is given.
    noise_estimate : ``'auto'`` | ``'reference'`` | ``'blind'``
        Where the noise spectrum comes from: ``'reference'`` uses the EOG/EMG
        channels (an error when there are none), ``'blind'`` the learned
        estimator, ``'auto'`` the references when present, else blind.
    weights : ``'pretrained'`` | path-like | None
        Initial weights: the shipped ones, a weights file, or random (then
        ``max_epochs`` must be > 0).
    max_epochs : int
        Training epochs in ``fit``; 0 (default) uses the weights as they are.
        With ``weights='pretrained'`` training fine-tunes them.
    lr : float
        Learning rate of the AdaMax optimizer.
    batch_size : int
        Windows per training batch.
    module_params : dict | None
        Arguments of :class:`mne_denoise.nn.FreqDomainNet` that override the
        defaults (or those of the pretrained weights); copied, never mutated.
    callbacks : list | None
        Extra skorch callbacks for training, e.g. ``[("stop",
        skorch.callbacks.EarlyStopping(patience=5))]`` or a training time
        budget, :class:`mne_denoise.nn.zoo.TimeBudget`; deep-copied at each
        ``fit``, never mutated. Only used when ``max_epochs > 0``.
    overlap : float
        Overlap of consecutive windows in ``transform``, in [0, 1).
    device : str
        ``'auto'`` (CUDA when present, else CPU), ``'cpu'`` or ``'cuda'``.
    random_state : int | RandomState | None
        Seeds weight initialization, the training draws and the shuffling.
    verbose : bool | str | int | None
        Truthy values print skorch's per-epoch training table.

    Attributes
    ----------
    net_ : skorch.NeuralNetRegressor
        The fitted network (``net_.module_``) and its training history.
    device_ : str
        The resolved device.
    info_ : mne.Info
        Channels seen at ``fit``.
    sfreq_ : float
        Their sampling rate.
    ch_names_ : list of str
        Their names.
    clean_idx_, ref_idx_ : array of int
        Indices of the EEG channels cleaned and of the EOG/EMG references.
    noise_estimate_ : str
        ``'reference'`` or ``'blind'``, the mode used by ``transform``.
    reference_coef_ : array, shape (n_eeg, n_refs) | None
        Each EEG channel's share of each reference (reference mode).
    module_params_ : dict
        The network's arguments.
    n_features_in_ : int
        Channels (3-D input) or samples (2-D input) seen at ``fit``.

    See Also
    --------
    mne_denoise.read_denoiser : read a saved denoiser.
    mne.preprocessing.EOGRegression : the classical regression baseline.

    Notes
    -----
    Data are resampled to 256 Hz, cut into 2-s windows with ``overlap``,
    standardized per window (protocol of :mod:`mne_denoise._protocol`),
    denoised, and what the network removed is resampled back and subtracted
    from the input. Epochs shorter than 2 s are reflect-padded to one window
    and cropped back, so any length works (very short ones give the network
    little to go on).

    References
    ----------
    .. [1] Gabardi M., Passaretti D., Cappelli A., Borghesi A., Ferretti D.,
       Lanzi P. L. (2023). A multi-artifact EEG denoising by frequency-based
       deep learning. arXiv:2310.17335.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(4, 2, 512)) * 1e-5
    >>> den = FreqDomainDenoiser(sfreq=256.0).fit(X)
    >>> den.transform(X).shape
    (4, 2, 512)
    """

    _pretrained = "freq_domain"
    _reference_input = True
    _default_module_params = {
        "channels": (4, 4), "n_bases": 16, "hidden": 32, "kernel_size": 5,
        "n_layers": 3, "estimator_hidden": 24, "freq_pool": 4,
    }

    def __init__(self, info=None, *, sfreq=None, noise_estimate="auto",
                 weights="pretrained", max_epochs=0, lr=2e-3, batch_size=64,
                 module_params=None, callbacks=None, overlap=0.5,
                 device="auto",
                 random_state=None, verbose=None):
        self.info = info
        self.sfreq = sfreq
        self.noise_estimate = noise_estimate
        self.weights = weights
        self.max_epochs = max_epochs
        self.lr = lr
        self.batch_size = batch_size
        self.module_params = module_params
        self.callbacks = callbacks
        self.overlap = overlap
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    @property
    def _module(self):
        from ..nn import FreqDomainNet

        return FreqDomainNet

    @property
    def _criterion(self):
        from ..nn import DenoisingLoss

        return DenoisingLoss

    def _check_params(self):
        _check_option("noise_estimate", self.noise_estimate,
                      ("auto", "reference", "blind"))
        super()._check_params()

    def _fit_references(self, data):
        has_refs = len(self.ref_idx_) > 0
        if self.noise_estimate == "reference" and not has_refs:
            raise ValueError(
                "noise_estimate='reference' needs EOG or EMG channels in the "
                "info, and there are none. Mark them with "
                "inst.set_channel_types({'EOG1': 'eog'}), or use "
                "noise_estimate='blind'."
            )
        use_ref = has_refs and self.noise_estimate != "blind"
        self.noise_estimate_ = "reference" if use_ref else "blind"
        self.reference_coef_ = None
        if use_ref:
            # Least squares of every EEG channel on the references, over all
            # (demeaned) epochs of the training data, as EOG regression does.
            eeg = data[:, self.clean_idx_]
            ref = data[:, self.ref_idx_]
            eeg = eeg - eeg.mean(axis=-1, keepdims=True)
            ref = ref - ref.mean(axis=-1, keepdims=True)
            R = ref.transpose(1, 0, 2).reshape(len(self.ref_idx_), -1)
            Y = eeg.transpose(1, 0, 2).reshape(len(self.clean_idx_), -1)
            coef, *_ = np.linalg.lstsq(R.T, Y.T, rcond=None)
            self.reference_coef_ = coef.T

    def _references(self, data):
        if self.noise_estimate_ != "reference":
            return None
        ref = data[:, self.ref_idx_]
        ref = ref - ref.mean(axis=-1, keepdims=True)
        return np.einsum("er,nrt->net", self.reference_coef_, ref)

    def _fitted_state(self):
        import torch

        state = super()._fitted_state()
        coef = self.reference_coef_
        state["reference_coef_"] = None if coef is None else torch.from_numpy(coef)
        return state

    def _restore(self, fitted, device):
        super()._restore(fitted, device)
        coef = fitted["reference_coef_"]
        self.reference_coef_ = None if coef is None else coef.numpy()
        self.noise_estimate_ = "reference" if coef is not None else "blind"
        return self

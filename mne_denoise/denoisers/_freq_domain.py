# License: BSD-3-Clause
"""FreqDomainDenoiser: noise-PSD-conditioned learned filters."""

import numpy as np

from ..utils._checks import _check_option
from ..utils._docs import fill_doc
from ._deep_base import BaseDeepDenoiser


@fill_doc
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
    %(info_sfreq)s
    noise_estimate : ``'auto'`` | ``'reference'`` | ``'blind'``
        Where the noise spectrum comes from: ``'reference'`` uses the EOG/EMG
        channels (an error when there are none), ``'blind'`` the learned
        estimator, ``'auto'`` the references when present, else blind.
    %(weights_pretrained)s
    %(max_epochs_pretrained)s
    %(optim)s
    %(callbacks)s
    %(device_state_verbose)s

    Attributes
    ----------
    %(deep_attributes)s
    noise_estimate_ : str
        ``'reference'`` or ``'blind'``, the mode used by ``transform``.
    reference_coef_ : array, shape (n_eeg, n_refs) | None
        Each EEG channel's share of each reference (reference mode).
    %(attributes)s

    See Also
    --------
    mne_denoise.read_denoiser : read a saved denoiser.
    mne.preprocessing.EOGRegression : the classical regression baseline.

    Notes
    -----
    %(deep_notes)s The network's arguments (``module__channels``,
    ``module__n_bases``...) are those of :class:`mne_denoise.nn.FreqDomainNet`.

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
                 pairs_per_epoch=None, clean_probability=0.0, callbacks=None,
                 overlap=0.5, device="auto", random_state=None, verbose=None,
                 **kwargs):
        self.info = info
        self.sfreq = sfreq
        self.noise_estimate = noise_estimate
        self.weights = weights
        self.max_epochs = max_epochs
        self.lr = lr
        self.batch_size = batch_size
        self.pairs_per_epoch = pairs_per_epoch
        self.clean_probability = clean_probability
        self.callbacks = callbacks
        self.overlap = overlap
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self._store_routed(kwargs)

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

# License: BSD-3-Clause
"""FreqDomainDenoiser: noise-PSD-conditioned learned filters."""

import numpy as np

from ..utils import _windowing
from ..utils._checks import _check_option
from ..utils._docs import fill_doc
from ._deep_base import BaseDeepDenoiser
from ._transfer import (
    apply_transfer,
    demeaned,
    fit_transfer,
    least_squares,
)


@fill_doc
class FreqDomainDenoiser(BaseDeepDenoiser):
    """Remove EOG and EMG artifacts with noise-PSD-conditioned learned filters.

    A network after Gabardi et al. (2023) reads the power spectrum of the
    noise, of the noisy signal and their ratio, and turns them into a cascade
    of time-domain filters that it applies to each EEG channel in 2-s windows
    at 256 Hz. Unlike the paper's network, which computes one set of filters
    per window, the default network computes them per 0.5-s frame
    (``module__frame=128``; None gives the paper's design) and overlap-adds
    the frames, so the filters follow a 0.3-s blink. The noise spectrum
    comes from the EOG/EMG reference channels when ``info`` has some (each
    EEG channel's share of the references is estimated in ``fit``, by least
    squares or per frequency, and subtracted before the network corrects
    what remains),
    otherwise from a learned noise-PSD estimator that reads the noisy signal
    alone (blind mode). One set of weights serves ocular and muscle artifacts.

    Parameters
    ----------
    %(info_sfreq)s
    noise_estimate : ``'auto'`` | ``'reference'`` | ``'blind'``
        How the EOG/EMG channels are used. ``'reference'`` (an error when
        there are none): their waveform's share in each EEG channel,
        estimated in ``fit`` (see ``reference_regression``), is subtracted
        first, and the network then corrects what remains, blind and gated;
        in training, the references' spectrum is the network's noise input.
        ``'blind'``: the network's learned noise-spectrum estimator on the
        EEG alone. ``'auto'``: the references when present, else blind.
    reference_regression : ``'time'`` | ``'frequency'``
        How reference mode estimates the references' share. ``'time'``
        (default): one least-squares number per EEG/reference pair, as
        :class:`mne.preprocessing.EOGRegression`. ``'frequency'``: a
        transfer function per frequency from the cross-spectra of the EEG
        and the references over the training epochs (frequency-domain
        regression, Woestenburg et al. 1983 [2]_), capped at the
        least-squares share and applied as a 1-s FIR filter: it leaves out
        the references' own brain activity where they hold no artifact.
        It wins the benchmark, whose simulated references record unrelated
        brain activity, but not on real blinks or in the decoding study
        (see the benchmark page), hence not the default. See
        :class:`~mne_denoise.RegressionDenoiser` for both without a network.
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
        Each EEG channel's least-squares share of each reference (reference
        mode; what ``reference_regression='time'`` subtracts).
    reference_transfer_ : array, shape (n_eeg, n_refs, n_taps) | None
        The FIR filters of ``reference_regression='frequency'`` (zero lag at
        tap ``n_taps // 2``), else None.
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
    .. [2] Woestenburg J. C., Verbaten M. N., Slangen J. L. (1983). The
       removal of the eye-movement artifact from the EEG by regression
       analysis in the frequency domain. Biol. Psychol. 16, 127-147.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(4, 2, 512)) * 1e-5
    >>> den = FreqDomainDenoiser(sfreq=256.0).fit(X)
    >>> den.transform(X).shape
    (4, 2, 512)
    """

    _pretrained = "freq_domain"
    _transfer_attr = "reference_transfer_"
    _reference_input = True
    _default_module_params = {
        "channels": (4, 4), "n_bases": 16, "hidden": 32, "kernel_size": 5,
        "n_layers": 3, "estimator_hidden": 24, "freq_pool": 4,
        # Time-local filters, one set per 0.5-s frame (see FreqDomainNet).
        "frame": 128,
    }

    def __init__(self, info=None, *, sfreq=None, noise_estimate="auto",
                 reference_regression="time", weights="pretrained",
                 max_epochs=0, lr=2e-3, batch_size=64,
                 pairs_per_epoch=None, clean_probability=0.0, augment=False,
                 high_snr_probability=0.0, callbacks=None,
                 threshold=0.5, overlap=0.5, device="auto", random_state=None,
                 verbose=None,
                 **kwargs):
        self.info = info
        self.sfreq = sfreq
        self.noise_estimate = noise_estimate
        self.reference_regression = reference_regression
        self.weights = weights
        self.max_epochs = max_epochs
        self.lr = lr
        self.batch_size = batch_size
        self.pairs_per_epoch = pairs_per_epoch
        self.clean_probability = clean_probability
        self.augment = augment
        self.high_snr_probability = high_snr_probability
        self.threshold = threshold
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
        _check_option("reference_regression", self.reference_regression,
                      ("frequency", "time"))
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
        self.reference_coef_ = self.reference_transfer_ = None
        if use_ref:
            # Least squares of every EEG channel on the references, over all
            # (demeaned) epochs of the training data, as EOG regression does.
            eeg = demeaned(data[:, self.clean_idx_])
            ref = demeaned(data[:, self.ref_idx_])
            self.reference_coef_ = least_squares(eeg, ref)
            if self.reference_regression == "frequency":
                self.reference_transfer_ = fit_transfer(
                    eeg, ref, self.sfreq_, coef=self.reference_coef_)

    def _references(self, data):
        if self.noise_estimate_ != "reference":
            return None
        ref = demeaned(data[:, self.ref_idx_])
        if self.reference_transfer_ is not None:
            return apply_transfer(ref, self.reference_transfer_)
        return np.einsum("er,nrt->net", self.reference_coef_, ref)

    def _denoise(self, data, sfreq, *, use_references=True):
        if self.noise_estimate_ != "reference" or not use_references:
            return super()._denoise(data, sfreq, use_references=use_references)
        # Reference mode uses the references' waveform: their share in each
        # EEG channel (per frequency, or one least-squares number as
        # EOGRegression's) is subtracted first, and the gated network then
        # corrects what remains, blind (the residual artifact's spectrum is
        # not that of the references).
        return super()._denoise(self._gated_input(data)[0], sfreq,
                                use_references=False)

    def _gated_input(self, data):
        if self.noise_estimate_ != "reference":
            return super()._gated_input(data)
        regressed = data.copy()
        regressed[:, self.clean_idx_] -= self._references(data)
        return regressed, None

    def _fitted_state(self):
        import torch

        state = super()._fitted_state()
        coef = self.reference_coef_
        state["reference_coef_"] = None if coef is None else torch.from_numpy(coef)
        taps = self.reference_transfer_
        state["reference_transfer_"] = (None if taps is None
                                        else torch.from_numpy(taps))
        return state

    def _restore(self, fitted, device):
        super()._restore(fitted, device)
        coef = fitted["reference_coef_"]
        self.reference_coef_ = None if coef is None else coef.numpy()
        # Files written before frequency-domain regression have no taps.
        taps = fitted.get("reference_transfer_")
        self.reference_transfer_ = None if taps is None else taps.numpy()
        self.noise_estimate_ = "reference" if coef is not None else "blind"
        return self

    def filter_responses(self, X, *, picks=None, epoch=0):
        """The filters the network computes for one channel of one epoch.

        The network has no fixed filters: for every 2-s window it reads the
        noise spectrum (from the references, or its own estimate in blind
        mode) and the noisy spectrum, and computes the filters of each
        convolution step. :func:`mne_denoise.viz.plot_filter_responses` draws
        what this returns.

        Parameters
        ----------
        X : Epochs | Raw | Evoked | array
            Data with the channels seen at ``fit`` (as for ``transform``).
        picks : str | int | None
            The EEG channel, by name or index among all channels; default the
            first EEG channel.
        epoch : int
            Epoch (or 2-D array row) to analyse.

        Returns
        -------
        responses : dict
            ``freqs`` (Hz, at the model rate), ``responses`` (one array
            ``(n_out, n_in, n_freqs)`` of magnitude responses per step,
            averaged over the windows), ``log_psd_noisy``,
            ``log_psd_noise_estimate`` and ``log_psd_noise_reference`` (natural
            log-PSDs the network read, averaged over the windows; the last is
            None without references), ``n_windows``, ``channel``, ``epoch``,
            ``sfreq`` (of ``X``) and ``model_sfreq``.
        """
        import torch

        data, info, _ = self._transform_input(X)
        n_ep = data.shape[0]
        if not -n_ep <= int(epoch) < n_ep:
            raise ValueError(f"epoch must be in [0, {n_ep}), got {epoch}.")
        epoch = int(epoch) % n_ep
        names = list(info.ch_names)
        clean = [int(i) for i in self.clean_idx_]
        if picks is None:
            ch = clean[0]
        elif isinstance(picks, str):
            if picks not in names:
                raise ValueError(f"Channel {picks!r} is not among the channels "
                                 f"({names[:6]}...).")
            ch = names.index(picks)
        else:
            ch = int(picks) % len(names)
        if ch not in clean:
            raise ValueError(
                f"picks must name an EEG channel (one the denoiser cleans), got "
                f"{names[ch]!r} of type {info.get_channel_types()[ch]!r}.")
        sfreq = float(info["sfreq"])
        # What transform hands the network: in reference mode the EEG minus
        # the references' regressed share, blind.
        data, refs = self._gated_input(data[epoch:epoch + 1])
        ref = None if refs is None else refs[0, clean.index(ch)]

        # The denoiser's own windowing with a pass-through network that
        # records its input: exactly the windows transform feeds the network.
        seen = []

        def record(z, noise_z):
            seen.append((z, noise_z))
            return z

        _windowing.denoise_signals(
            data[0, ch][np.newaxis], sfreq, model_sfreq=self._model_sfreq,
            n_window=self._n_window, overlap=self.overlap, run=record,
            references=None if ref is None else ref[np.newaxis])
        z, noise_z = seen[0]
        module = self.net_.module_
        module.eval()
        with torch.no_grad():
            xt = torch.as_tensor(z[:, np.newaxis], dtype=torch.float32,
                                 device=self.device_)
            nt = None if noise_z is None else torch.as_tensor(
                noise_z[:, np.newaxis], dtype=torch.float32, device=self.device_)
            filters, spectra = module.filters(xt, noise=nt)
            _, log_est, log_ref = module(xt, noise=nt)
            mags = [torch.fft.rfft(f.double(), dim=-1).abs().mean(dim=0).cpu()
                    .numpy() for f in filters]
            log_noisy = spectra[:, 1].mean(dim=0).cpu().numpy()
            log_est = log_est[:, 0].mean(dim=0).cpu().numpy()
            if log_ref is not None:
                log_ref = log_ref[:, 0].mean(dim=0).cpu().numpy()
        return {
            "freqs": np.fft.rfftfreq(module.frame or z.shape[-1],
                                     1.0 / self._model_sfreq),
            "responses": mags, "log_psd_noisy": log_noisy,
            "log_psd_noise_estimate": log_est, "log_psd_noise_reference": log_ref,
            "n_windows": len(z), "channel": names[ch], "epoch": epoch,
            "sfreq": sfreq, "model_sfreq": float(self._model_sfreq),
        }

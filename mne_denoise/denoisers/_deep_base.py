# License: BSD-3-Clause
"""The deep denoisers' base: weights, skorch training inside ``fit``."""

import copy
from pathlib import Path

import mne
import numpy as np

from .._protocol import TRAIN_SNR_RANGE
from ..utils._checks import _check_option, _check_positive
from ._base import BaseDenoiser


def _verbosity(verbose):
    """Map an MNE-style verbose to skorch's 0/1."""
    if verbose is None or verbose is False:
        return 0
    if isinstance(verbose, str):
        return int(verbose.upper() in ("INFO", "DEBUG"))
    return int(bool(verbose))


class BaseDeepDenoiser(BaseDenoiser):
    """Base of the denoisers whose work is done by a torch network.

    Subclasses set ``_module`` (the torch module class, may be a property),
    ``_criterion`` (the loss class), ``_pretrained`` (the name of the shipped
    weights, or None), ``_default_module_params`` and
    ``_reference_input`` (whether the module's ``forward`` takes
    ``noise=``/``use_reference=``), and may override ``_fit_references`` /
    ``_references``. Their ``__init__`` stores at least ``info``, ``sfreq``,
    ``weights``, ``max_epochs``, ``lr``, ``batch_size``, ``module_params``,
    ``overlap``, ``device``, ``random_state`` and ``verbose``.
    """

    _module = None
    _criterion = None
    _pretrained = None
    _default_module_params = {}
    _reference_input = False
    _unfitted_hint = ("Call fit(inst) first: with max_epochs=0 it only loads the "
                      "pretrained weights.")

    def _check_params(self):
        super()._check_params()
        _check_positive(self.max_epochs, "max_epochs", integer=True, allow_zero=True)
        _check_positive(self.lr, "lr")
        _check_positive(self.batch_size, "batch_size", integer=True)
        if self.module_params is not None and not isinstance(self.module_params, dict):
            raise TypeError(
                "module_params must be a dict of the network's arguments (e.g. "
                f"{self._default_module_params}) or None, got "
                f"{type(self.module_params).__name__}."
            )
        if self.callbacks is not None and not isinstance(self.callbacks, list):
            raise TypeError(
                "callbacks must be a list of skorch callbacks (or (name, "
                f"callback) pairs) or None, got {type(self.callbacks).__name__}."
            )
        if self.weights is not None and self.weights != "pretrained":
            if not Path(self.weights).is_file():
                raise ValueError(
                    "weights must be 'pretrained', None (random initial weights) "
                    f"or the path of a weights file, got {self.weights!r} which is "
                    "not a file."
                )
        if self.weights is None and self.max_epochs == 0:
            raise ValueError(
                "weights=None with max_epochs=0 would denoise with untrained "
                "random weights. Set max_epochs > 0 to train, or use "
                "weights='pretrained'."
            )
        if self.device not in (None, "auto"):
            _check_option("device", str(self.device).split(":")[0],
                          ("auto", "cpu", "cuda", "mps"))

    # ------------------------------------------------------------------
    # Fitting
    def _resolved_module_params(self, bundle):
        params = dict(self._default_module_params)
        if bundle is not None:
            params.update(bundle["module_params"])
        params.update(copy.deepcopy(self.module_params or {}))
        return params

    def _weights_bundle(self):
        from ..weights import load_pretrained

        name = self._pretrained if self.weights == "pretrained" else self.weights
        return load_pretrained(name)

    def _build_net(self, module_params):
        from ..nn._skorch import make_regressor

        net = make_regressor(
            self._module,
            {"n_times": self._n_window, **module_params},
            criterion=self._criterion,
            lr=self.lr,
            batch_size=self.batch_size,
            max_epochs=self.max_epochs,
            device=self.device_,
            verbose=_verbosity(self.verbose),
        )
        net.initialize()
        return net

    def _load_state(self, module, state_dict, source):
        try:
            module.load_state_dict(state_dict)
        except RuntimeError as err:
            raise ValueError(
                f"module_params={self.module_params} do not match the weights in "
                f"{source}. Pass weights=None (and max_epochs > 0) to train a "
                "network of another size from scratch."
            ) from err

    def fit(self, X, y=None, *, clean_bank=None, artifact_bank=None):
        """Fit the denoiser: load weights, estimate references, train if asked.

        Parameters
        ----------
        X : Epochs | list of Epochs | Raw | array, shape (n_epochs, n_channels, n_times) | array, shape (n_segments, n_times)
            Training data. EEG channels are cleaned; EOG/EMG channels are
            noise references.
        y : None
            Ignored; present for Pipeline compatibility.
        clean_bank : SegmentBank | array, shape (n, 512) | None
            Clean EEG segments (256 Hz, 2 s) to train on instead of the
            clean windows of ``X``. Only used when ``max_epochs > 0``.
        artifact_bank : SegmentBank | list of SegmentBank | None
            Artifact segments to mix in. By default the reference channels of
            ``X`` (EOG/EMG) are used, else the package's simulators.

        Returns
        -------
        self : instance
            The fitted denoiser.
        """  # noqa: E501
        return super().fit(X, y, clean_bank=clean_bank, artifact_bank=artifact_bank)

    def _fit(self, data, info, *, clean_bank=None, artifact_bank=None):
        from ..nn._skorch import resolve_device, seed_torch

        self.device_ = resolve_device(self.device)
        seed = np.random.RandomState(self.random_state).randint(2**31 - 1)
        seed_torch(seed)
        self._fit_references(data)
        bundle = self._weights_bundle() if self.weights is not None else None
        self.module_params_ = self._resolved_module_params(bundle)
        if self.max_epochs == 0:
            self.net_ = self._build_net(self.module_params_)
            self._load_state(self.net_.module_, bundle["state_dict"], self.weights)
            return self
        init_state = None
        if bundle is not None:
            # Check the sizes before preparing data, with a message that says
            # what to do.
            probe = self._module(self._n_window, **self.module_params_)
            self._load_state(probe, bundle["state_dict"], self.weights)
            init_state = bundle["state_dict"]
        self.net_ = self._train(data, info, clean_bank, artifact_bank, seed,
                                init_state)
        return self

    def _train(self, data, info, clean_bank, artifact_bank, seed, init_state):
        import copy

        clean, artifacts = self._training_pools(
            data, info, clean_bank, artifact_bank, seed)
        # Hold out a tenth of the clean windows for skorch's validation loss.
        order = np.random.default_rng(seed).permutation(len(clean))
        n_valid = len(clean) // 10 if len(clean) >= 20 else 0
        return self._fit_network(
            {"n_times": self._n_window, **self.module_params_},
            clean[order[n_valid:]], artifacts,
            clean_valid=clean[order[:n_valid]], snr_range=TRAIN_SNR_RANGE,
            lr=self.lr, batch_size=self.batch_size, max_epochs=self.max_epochs,
            device=self.device_, seed=seed, init_state=init_state,
            verbose=_verbosity(self.verbose),
            # Deep-copied: a fit never mutates the estimator's parameters.
            callbacks=copy.deepcopy(list(self.callbacks or [])),
        )

    def _fit_network(self, module_params, clean, artifacts, **kwargs):
        """Train the network on the pools; subclasses may train differently."""
        from ..nn._skorch import train_network

        return train_network(self._module, module_params, self._criterion, clean,
                             artifacts, with_reference=self._reference_input,
                             **kwargs)

    def _training_pools(self, data, info, clean_bank, artifact_bank, seed):
        """Clean and artifact training segments from what fit was given."""
        from ..datasets import (
            artifact_bank_from_mne,
            clean_bank_from_mne,
            simulate_emg,
            simulate_eog,
        )
        from ..datasets._banks import _ARTIFACT_BANDS

        window_s = self._n_window / self._model_sfreq
        if clean_bank is None:
            # The fold's own EEG, minus its most contaminated windows.
            eeg = mne.EpochsArray(data[:, self.clean_idx_],
                                  mne.pick_info(info, self.clean_idx_),
                                  verbose=False)
            # No high-pass: epochs are usually too short for a 1 Hz FIR, and
            # the windows are demeaned anyway.
            clean = clean_bank_from_mne(eeg, sfreq=self._model_sfreq,
                                        window_s=window_s, l_freq=None).data
        else:
            clean = self._bank_array(clean_bank, "clean_bank")
        if artifact_bank is not None:
            banks = artifact_bank if isinstance(artifact_bank, list | tuple) \
                else [artifact_bank]
            artifacts = [self._bank_array(b, "artifact_bank") for b in banks]
        elif len(self.ref_idx_):
            artifacts = []
            types = info.get_channel_types()
            for kind in sorted({types[i] for i in self.ref_idx_}):
                idx = [i for i in self.ref_idx_ if types[i] == kind]
                # Band-limit with a zero-phase IIR: an FIR as sharp as the
                # banks' would be longer than typical epochs.
                l_freq, h_freq = _ARTIFACT_BANDS[kind]
                nyq = info["sfreq"] / 2.0
                h_freq = h_freq if h_freq < 0.9 * nyq else None
                ref = mne.filter.filter_data(data[:, idx], info["sfreq"], l_freq,
                                             h_freq, method="iir", verbose=False)
                epochs = mne.EpochsArray(ref, mne.pick_info(info, idx),
                                         verbose=False)
                artifacts.append(artifact_bank_from_mne(
                    epochs, kind=kind, sfreq=self._model_sfreq, window_s=window_s,
                    l_freq=0, h_freq=self._model_sfreq).data)
        else:
            n = max(64, len(clean) // 2)
            artifacts = [
                simulate_eog(n, self._n_window, self._model_sfreq, random_state=seed),
                simulate_emg(n, self._n_window, self._model_sfreq,
                             random_state=seed + 1),
            ]
        if len(clean) == 0:
            raise ValueError(
                "No clean training window could be cut from X (epochs shorter "
                f"than {window_s:g} s at the model rate?). Pass clean_bank=... "
                "or train on longer epochs."
            )
        return clean, artifacts

    def _bank_array(self, bank, name):
        data = getattr(bank, "data", bank)
        data = np.asarray(data, dtype=np.float64)
        rate = getattr(bank, "sfreq", self._model_sfreq)
        if data.ndim != 2 or data.shape[1] != self._n_window or not np.isclose(
            rate, self._model_sfreq
        ):
            raise ValueError(
                f"{name} must hold segments of {self._n_window} samples at "
                f"{self._model_sfreq} Hz (shape (n, {self._n_window})), got shape "
                f"{data.shape} at {rate} Hz. Build it with "
                "mne_denoise.datasets.segment_signals(..., sfreq_out=256.0)."
            )
        return data - data.mean(axis=1, keepdims=True)

    def _fit_references(self, data):
        """Learn what ``_references`` needs (nothing by default)."""

    def _run_windows(self, z, noise_z):
        from ..nn._skorch import predict_windows

        return predict_windows(self.net_.module_, z, noise_z, device=self.device_)

    def _fitted_state(self):
        state = super()._fitted_state()
        state["module_params"] = dict(self.module_params_)
        state["state_dict"] = self.net_.module_.state_dict()
        return state

    def _restore(self, fitted, device):
        from ..nn._skorch import resolve_device

        super()._restore(fitted, device)
        self.device_ = resolve_device(device)
        self.module_params_ = dict(fitted["module_params"])
        self.net_ = self._build_net(self.module_params_)
        self._load_state(self.net_.module_, fitted["state_dict"], "the saved file")
        return self

# License: BSD-3-Clause
"""The multichannel deep denoiser: all EEG channels of a window at once."""

import numpy as np

from .._protocol import EPS
from ..utils._docs import fill_doc
from ..utils._windowing import Windowing
from . import _deep_base
from ._base import BaseDenoiser
from ._deep_base import BaseDeepDenoiser, _verbosity
from ._gate import (
    _MILD_SNRS,
    _STRONG_SNRS,
    ArtifactDetector,
    benefit_labels,
    detector_features,
    gate,
    most_flagged,
    with_line_noise,
)

#: Two electrodes closer than this (metres) are taken for the same position.
_SAME_POSITION_M = 1e-3


def eeg_positions(info, picks, *, what):
    """The 3-D positions of channels ``picks`` of ``info``, checked.

    Parameters
    ----------
    info : mne.Info
        Channel description.
    picks : array of int
        The channels that need positions.
    what : str
        Who needs them (named in the error messages).

    Returns
    -------
    pos : array, shape (n_picks, 3)
        Positions in metres, head coordinates.

    Raises
    ------
    ValueError
        When a channel has no position (MNE stores zeros or NaN) or two
        channels share one; the message says how to set a montage.
    """
    picks = np.asarray(picks, dtype=int)
    pos = np.array([info["chs"][i]["loc"][:3] for i in picks], dtype=np.float64)
    names = [info.ch_names[i] for i in picks]
    missing = [n for n, p in zip(names, pos, strict=True)
               if not np.all(np.isfinite(p)) or not np.any(p)]
    if missing:
        from ..datasets._montage import _builtin_montage_name

        raise ValueError(
            f"{what} needs the 3-D positions of the EEG channels, and "
            f"{len(missing)} of {len(names)} have none ({missing[:5]}). Set a "
            f"montage: inst.set_montage('{_builtin_montage_name('1020')}') for "
            "10-20 names "
            "(mne.channels.make_standard_montage lists the others), or "
            "mne.channels.make_dig_montage(ch_pos={name: (x, y, z)}, "
            "coord_frame='head') for your own positions; for arrays, pass "
            "info= with a montage set."
        )
    dist = np.linalg.norm(pos[:, None] - pos[None], axis=-1)
    i, j = np.nonzero(np.triu(dist < _SAME_POSITION_M, k=1))
    if len(i):
        pairs = [(names[a], names[b]) for a, b in zip(i[:5], j[:5], strict=True)]
        raise ValueError(
            f"{what} needs one position per EEG channel, but {len(i)} pair(s) "
            f"of channels share a position: {pairs}. The montage does not "
            "match these channel names; set the right one with "
            "inst.set_montage(...), or drop the duplicated channels."
        )
    return pos


#: Channel-windows the gate is calibrated on per variant (clean, flagged,
#: passed): windows enough for about this many, between 16
#: (completed with simulated EEG when the data give fewer) and 96 (a seeded
#: subset), so that calibration stays seconds at 128 channels.
_CALIBRATION_CHANNEL_WINDOWS = 1024
_MIN_CALIBRATION = 16
_MAX_CALIBRATION = 96
#: Share of the data's windows left out of training and calibration as the
#: most contaminated.
_REJECT = 0.2
#: The contaminated calibration windows are mixed at the single-channel
#: gate's SNRs (``_STRONG_SNRS``, ``_MILD_SNRS``), and a channel is one to
#: correct where the network's correction helps it (``benefit_labels``).


@fill_doc
class SpatialDenoiser(BaseDeepDenoiser):
    """Remove EOG and EMG artifacts from all EEG channels at once, any montage.

    A network (:class:`mne_denoise.nn.spatial.SpatialNet`) sees every EEG
    channel of a 2-s window together, with the 3-D positions of the
    electrodes taken from the montage in ``info``: a temporal encoder
    shared by all channels, attention across channels with an encoding of
    the positions, and a correction per channel. The channels are a set, so
    one network serves any montage and any count (3 to 128 channels and
    more), standard or custom. EOG and EMG reference channels, when present,
    are inputs too (the EEG channels attend to them); they pass unchanged.
    The correction goes through the same detect-then-correct gate as the
    other deep denoisers, per window and per channel.

    Parameters
    ----------
    %(info_sfreq)s
    %(weights_pretrained)s
    max_epochs : int
        Fine-tuning epochs in ``fit`` (0, the default, uses the weights as
        they are). Training items are the data's own least contaminated
        windows with simulated EOG/EMG (the data's reference channels'
        windows when it has some) projected with model topographies onto
        random subsets of its channels
        (:class:`~mne_denoise.datasets.MultichannelSimulator`).
    lr : float
        Peak learning rate (Adam, cosine decay).
    batch_size : int
        Windows per training batch.
    pairs_per_epoch : int | None
        Items per training epoch; None draws one per clean window.
    %(device_state_verbose)s

    Attributes
    ----------
    module_ : SpatialNet
        The network.
    directions_ : array, shape (n_eeg + n_refs, 3)
        The unit directions of the EEG electrodes from the head's centre
        (:func:`~mne_denoise.datasets.channel_directions`),
        zeros for the references.
    kinds_ : array of int, shape (n_eeg + n_refs,)
        The network's token kinds (EEG, EEG without position, EOG, EMG).
    history_ : list of dict
        Training losses (empty without training).
    device_ : str
        The resolved device.
    module_params_ : dict
        The network's arguments.
    detector_ : object | None
        The gate's calibrated detector (None with ``threshold=None``).
    %(attributes)s

    See Also
    --------
    ICLabelDenoiser : ICA + ICLabel, the classical multichannel method.

    Notes
    -----
    Data are resampled to 256 Hz and cut into 2-s windows with ``overlap``;
    each window's channels are demeaned and share one scale (the standard
    deviation of its EEG channels together, which the references are divided
    by too), so the network sees the relative amplitudes of the channels,
    the spatial pattern of an artifact. What it removes is resampled back
    and subtracted from the input, through the gate.

    Bad input: EEG channels without positions raise an error that says how
    to set a montage; two channels at the same position too. A lone EEG
    channel needs no position (2-D arrays are single-channel segments): it
    is then cleaned from its own time course and the references, with
    nothing to attend to. The channels at ``transform`` must be those of
    ``fit`` (the error says how to pick them); to clean another montage
    with the same network, fit again, which with ``max_epochs=0`` only
    calibrates the gate (seconds).

    Examples
    --------
    >>> import mne
    >>> from mne_denoise.datasets import simulate_epochs
    >>> noisy, _ = simulate_epochs(8, n_eeg=16, random_state=0)
    >>> den = SpatialDenoiser().fit(noisy)  # doctest: +SKIP
    >>> den.transform(noisy).get_data().shape  # doctest: +SKIP
    (8, 18, 512)
    """

    _pretrained = "spatial"
    _default_module_params = {"hidden": 32, "n_heads": 4, "n_layers": 2,
                              "stride": 8, "n_frequencies": 16}
    #: Knobs of the single-channel training that this training does not
    #: have, fixed so that the shared parameter checks hold.
    clean_probability = 0.0
    augment = False
    high_snr_probability = 0.0
    callbacks = None

    def __init__(self, info=None, *, sfreq=None, weights="pretrained",
                 max_epochs=0, lr=1e-3, batch_size=16, pairs_per_epoch=None,
                 threshold=0.5, overlap=0.5, device="auto", random_state=None,
                 verbose=None, **kwargs):
        self.info = info
        self.sfreq = sfreq
        self.weights = weights
        self.max_epochs = max_epochs
        self.lr = lr
        self.batch_size = batch_size
        self.pairs_per_epoch = pairs_per_epoch
        self.threshold = threshold
        self.overlap = overlap
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self._store_routed(kwargs)

    @property
    def _module(self):
        from ..nn.spatial import SpatialNet

        return SpatialNet

    @property
    def _criterion(self):
        from ..nn.spatial import masked_mse

        return masked_mse

    def _check_module_args(self, cls):
        if self._routed("criterion"):
            raise TypeError(
                "SpatialDenoiser's loss (masked mean squared error) takes no "
                f"arguments; remove {sorted(self._routed('criterion'))}.")
        routed = dict(self._routed("module"))
        if "n_times" in routed:
            raise ValueError("n_times is set by the denoiser (segments of "
                             f"{self._n_window} samples); remove module__n_times.")
        from ._deep_base import _check_signature

        _check_signature(cls, routed, "module", exclude=("n_times",))

    # ------------------------------------------------------------------
    @fill_doc
    def fit(self, X, y=None):
        """Load the weights, fine-tune if asked, calibrate the gate.

        Parameters
        ----------
        %(X_fit)s

        Returns
        -------
        self : instance
            The fitted denoiser.
        """
        return BaseDenoiser.fit(self, X, y)

    def _tokens(self, info):
        from ..datasets._multichannel import channel_directions
        from ..nn.spatial import KIND_EEG, KIND_EEG_NO_POSITION, KIND_EMG, KIND_EOG

        n_eeg, n_ref = len(self.clean_idx_), len(self.ref_idx_)
        directions = np.zeros((n_eeg + n_ref, 3))
        kinds = np.full(n_eeg + n_ref, KIND_EEG)
        pos0 = np.asarray(info["chs"][self.clean_idx_[0]]["loc"][:3])
        if n_eeg == 1 and not (np.all(np.isfinite(pos0)) and np.any(pos0)):
            kinds[0] = KIND_EEG_NO_POSITION
        else:
            pos = eeg_positions(info, self.clean_idx_, what="SpatialDenoiser")
            directions[:n_eeg] = channel_directions(pos)
        types = info.get_channel_types()
        for k, i in enumerate(self.ref_idx_):
            kinds[n_eeg + k] = KIND_EOG if types[i] == "eog" else KIND_EMG
        return directions, kinds

    def _build_module(self):
        module = self._module(self._n_window, **self.module_params_)
        return module.to(self.device_).eval()

    def _fit(self, data, info):
        from ..nn._skorch import resolve_device, seed_torch

        self.device_ = resolve_device(self.device)
        seed = np.random.RandomState(self.random_state).randint(2**31 - 1)
        seed_torch(seed)
        self.directions_, self.kinds_ = self._tokens(info)
        bundle = self._weights_bundle() if self.weights is not None else None
        self.module_params_ = self._resolved_module_params(bundle)
        self.module_ = self._build_module()
        if bundle is not None:
            self._load_state(self.module_, bundle["state_dict"], self.weights)
        self.history_ = []
        if self.max_epochs > 0:
            self.history_ = self._train(data, info, seed)
        self._fit_detector(data, info)
        return self

    # ------------------------------------------------------------------
    # Windows: all tokens of an epoch together, one scale per window
    def _windows(self, data, sfreq, overlap):
        tokens = np.concatenate([data[:, self.clean_idx_], data[:, self.ref_idx_]],
                                axis=1)
        n_ep, n_tok, n_times = tokens.shape
        w = Windowing(tokens.reshape(n_ep * n_tok, n_times), sfreq,
                      self._model_sfreq, self._n_window, overlap)
        n_win = len(w.starts)
        win = w.windows.reshape(n_ep, n_tok, n_win, self._n_window)
        win = win.transpose(0, 2, 1, 3).reshape(n_ep * n_win, n_tok, self._n_window)
        return w, win, n_win

    def _standardized(self, win):
        n_eeg = len(self.clean_idx_)
        centred = win - win.mean(axis=-1, keepdims=True)
        std = centred[:, :n_eeg].std(axis=(1, 2), keepdims=True)
        flat = std[:, 0, 0] <= EPS
        z = centred / np.where(std > EPS, std, 1.0)
        z[flat] = 0.0  # nothing to correct, and references not blown up
        return z, std, flat

    def _predict_tokens(self, z):
        from ..nn.spatial import predict_spatial

        return predict_spatial(self.module_, z, self.directions_, self.kinds_,
                               device=self.device_)

    def _gate_tokens(self, z, den):
        """Artifact probability and gate of every window and EEG channel."""
        n_eeg = len(self.clean_idx_)
        shape = z.shape[0], n_eeg
        if getattr(self, "detector_", None) is None:
            return np.ones(shape), np.ones(shape)
        p = self._probability(self.detector_, z, den)
        return p, gate(p, self.threshold)

    def _probability(self, detector, z, den):
        """``detector``'s artifact probability, ``(n_windows, n_eeg)``."""
        n_eeg = len(self.clean_idx_)
        feats = detector_features(z[:, :n_eeg].reshape(-1, z.shape[-1]),
                                  den[:, :n_eeg].reshape(-1, z.shape[-1]),
                                  self._model_sfreq)
        return detector.predict_proba(feats).reshape(z.shape[0], n_eeg)

    def _denoise(self, data, sfreq):
        n_ep, _, n_times = data.shape
        n_eeg = len(self.clean_idx_)
        w, win, n_win = self._windows(data, sfreq, self.overlap)
        z, std, flat = self._standardized(win)
        den = self._predict_tokens(z)
        _, g = self._gate_tokens(z, den)
        g[flat] = 0.0
        corr = (z - den)[:, :n_eeg] * g[..., None] * std
        corr = corr.reshape(n_ep, n_win, n_eeg, self._n_window).transpose(0, 2, 1, 3)
        back = w.correction_back(corr.reshape(n_ep * n_eeg, n_win, self._n_window))
        out = data.copy()
        eeg = data[:, self.clean_idx_]
        cleaned = eeg - back.reshape(n_ep, n_eeg, n_times)
        constant = np.ptp(eeg, axis=-1) == 0
        cleaned[constant] = eeg[constant]
        out[:, self.clean_idx_] = cleaned
        return out

    def _windowed_parts(self):
        # Every window needs all channels at once: apply(raw) goes through
        # transform (the whole recording in one pass).
        return None

    def artifact_scores(self, X):
        """The gate's decisions: artifact probability per channel and window.

        Parameters
        ----------
        X : Epochs | list of Epochs | Raw | Evoked | array
            Data with the channels seen at ``fit`` (as for ``transform``).

        Returns
        -------
        scores : dict
            ``probability`` and ``gate``, arrays ``(n_epochs,
            n_eeg_channels, n_windows)``; ``times``, the windows' centres in
            seconds; ``ch_names``, the cleaned channels.
        """
        data, info, _ = self._transform_input(X)
        sfreq = float(info["sfreq"])
        n_ep, _, n_times = data.shape
        n_eeg = len(self.clean_idx_)
        w, win, n_win = self._windows(data, sfreq, self.overlap)
        z, _, flat = self._standardized(win)
        p, g = self._gate_tokens(z, self._predict_tokens(z))
        p[flat], g[flat] = 0.0, 0.0
        centres = (w.starts + self._n_window / 2.0) / self._model_sfreq
        return {
            "probability": p.reshape(n_ep, n_win, n_eeg).transpose(0, 2, 1),
            "gate": g.reshape(n_ep, n_win, n_eeg).transpose(0, 2, 1),
            "times": np.minimum(centres, n_times / sfreq),
            "ch_names": [info.ch_names[i] for i in self.clean_idx_],
        }

    # ------------------------------------------------------------------
    # Training and calibration items from the data themselves
    def _simulator(self, data, info, seed, *, own=True):
        """Clean windows of the data and a simulator on their montage.

        With ``own=False`` the data's windows are left out: simulated EEG
        only, at the scale of the data's.
        """
        from ..datasets import simulate_eeg, simulate_emg, simulate_eog
        from ..datasets._multichannel import (
            MultichannelBank,
            MultichannelSimulator,
            least_contaminated,
        )

        n_eeg = len(self.clean_idx_)
        _, win, _ = self._windows(data, float(info["sfreq"]), 0.0)
        eeg = win[:, :n_eeg]
        eeg = eeg - eeg.mean(axis=-1, keepdims=True)
        eeg = eeg[np.ptp(eeg, axis=-1).min(axis=1) > 0]  # no flat channel
        rng = np.random.RandomState(seed)
        # The scale of the simulated EEG: that of the windows kept, else of
        # all the data's windows when they are left out.
        scale = None if own or not len(eeg) else eeg.std()
        if not own:
            eeg = eeg[:0]
        if len(eeg):
            eeg = eeg[least_contaminated(eeg, _REJECT)]
        n_target = int(np.clip(_CALIBRATION_CHANNEL_WINDOWS // n_eeg,
                               _MIN_CALIBRATION, _MAX_CALIBRATION))
        if len(eeg) > n_target:
            eeg = eeg[np.sort(rng.choice(len(eeg), n_target, replace=False))]
        n_own = len(eeg)
        if n_own < n_target:
            # Too few windows of the data's own EEG: complete them with
            # simulated EEG at the data's scale.
            sim = simulate_eeg((n_target - n_own) * n_eeg, self._n_window,
                               self._model_sfreq, random_state=seed)
            sim = sim.reshape(-1, n_eeg, self._n_window)
            scale = eeg.std() if n_own else scale
            if scale is not None:
                sim *= scale / sim.std()
            eeg = np.concatenate([eeg, sim - sim.mean(axis=-1, keepdims=True)])
        n_art = max(64, len(eeg))
        waves = {"eog": simulate_eog(n_art, self._n_window, self._model_sfreq,
                                     random_state=seed),
                 "emg": simulate_emg(n_art, self._n_window, self._model_sfreq,
                                     random_state=seed + 1)}
        types = info.get_channel_types()
        for k, i in enumerate(self.ref_idx_):
            own = win[:, n_eeg + k]
            own = own[np.ptp(own, axis=-1) > 0]
            if len(own):  # the data's own references: real waveforms
                waves[types[i]] = np.concatenate(
                    [waves[types[i]], own - own.mean(axis=-1, keepdims=True)])
        pos = None if self.kinds_[0] != 0 else np.array(
            [info["chs"][i]["loc"][:3] for i in self.clean_idx_])
        names = [info.ch_names[i] for i in self.clean_idx_]
        bank = MultichannelBank(eeg, names, pos, np.zeros(len(eeg), int),
                                self._model_sfreq)
        return MultichannelSimulator(bank, waves["eog"], waves["emg"]), n_own

    def _train(self, data, info, seed):
        from ..nn.spatial import train_spatial

        sim, _ = self._simulator(data, info, seed)
        n_eeg = len(self.clean_idx_)
        n_items = self.pairs_per_epoch or max(len(sim.clean), self.batch_size)
        n_steps = int(self.max_epochs * np.ceil(n_items / self.batch_size))

        def draw(step, rng):
            k = rng.randint(min(3, n_eeg), n_eeg + 1)
            return sim.batch(self.batch_size, n_channels=k, rng=rng)

        return train_spatial(self.module_, draw, n_steps=n_steps, lr=self.lr,
                             device=self.device_, seed=seed,
                             verbose=_verbosity(self.verbose))

    def _calibration_items(self, sim, rng):
        """Windows with and without artifacts, and their clean EEG."""
        from .._protocol import multichannel_artifact_scale

        clean = sim.clean.data
        n, n_eeg, n_times = clean.shape
        refs_types = self.kinds_[n_eeg:]
        names = sim.clean.ch_names
        tokens, targets = [], []
        for variant in ("clean", "strong", "mild"):
            for i in range(n):
                x = clean[i]
                refs = 1e-3 * x.std() * rng.normal(size=(len(refs_types), n_times))
                if variant != "clean":
                    kind = ("eog", "emg", "eog+emg")[rng.randint(3)]
                    art, src = sim.artifact(kind, sim.session(names, rng), 1, rng)
                    snr = rng.uniform(*(_STRONG_SNRS if variant == "strong"
                                        else _MILD_SNRS))
                    lam = multichannel_artifact_scale(x, art[0], snr)
                    x = x + lam * art[0]
                    for k, t in enumerate(refs_types):
                        refs[k] += lam * src[0, 0 if t == 2 else 1]
                tokens.append(np.concatenate([x, refs]))
                targets.append(clean[i])
        return np.array(tokens), np.array(targets)

    def _fit_detector(self, data, info):
        self.detector_ = None
        if self.threshold is None:
            return
        sim, n_own = self._simulator(data, info, 0)
        n_flagged = 0
        if n_own and _deep_base._SCREEN_OWN_WINDOWS:
            # As the per-channel denoisers do (BaseDeepDenoiser._fit_detector):
            # when most of the data's channel-windows look contaminated to a
            # detector calibrated on simulated EEG, none stands for clean EEG.
            from ..datasets._multichannel import MultichannelBank, MultichannelSimulator

            simulated, _ = self._simulator(data, info, 7, own=False)
            bank = simulated.clean
            lined = with_line_noise(bank.data.reshape(-1, self._n_window),
                                    self._model_sfreq, random_state=7)
            screen = self._detector_from(MultichannelSimulator(
                MultichannelBank(lined.reshape(bank.data.shape), bank.ch_names,
                                 bank.pos, bank.groups, bank.sfreq),
                simulated.eog, simulated.emg), 7)
            z, _, _ = self._standardized(np.concatenate(
                [sim.clean.data[:n_own], np.zeros((n_own, len(self.ref_idx_),
                                                   self._n_window))], axis=1))
            p = self._probability(screen, z, self._predict_tokens(z))
            n_flagged = int((p >= 0.5).sum())
            if most_flagged(n_flagged, p.size, "SpatialDenoiser", "channel-windows",
                            "fit on a stretch known to be clean "
                            "(den.fit(raw.copy().crop(tmin, tmax))) and apply to "
                            "the rest", self.verbose):
                sim, n_own = simulated, 0
        self.detector_ = self._detector_from(sim, 0)
        self.detector_calibration_ = {"n_clean_windows": int(n_own),
                                      "n_simulated_windows": len(sim.clean) - n_own,
                                      "n_flagged_windows": n_flagged}

    def _detector_from(self, sim, seed):
        """A gate detector calibrated on the items of ``sim``."""
        tokens, targets = self._calibration_items(sim, np.random.RandomState(seed))
        z, std, _ = self._standardized(tokens)
        n_eeg = len(self.clean_idx_)
        den = self._predict_tokens(z)
        # The clean EEG in the noisy window's units (its mean and scale).
        centred = targets - targets.mean(axis=-1, keepdims=True)
        target = centred / np.where(std > EPS, std, 1.0)
        z, den = (a[:, :n_eeg].reshape(-1, z.shape[-1]) for a in (z, den))
        feats = detector_features(z, den, self._model_sfreq)
        return ArtifactDetector().fit(
            feats, benefit_labels(z, den, target.reshape(-1, z.shape[-1])))

    # ------------------------------------------------------------------
    def _fitted_state(self):
        state = BaseDenoiser._fitted_state(self)
        state["module_params"] = dict(self.module_params_)
        state["state_dict"] = self.module_.state_dict()
        detector = getattr(self, "detector_", None)
        state["detector_"] = None if detector is None else detector.to_dict()
        state["directions_"] = self.directions_.tolist()
        state["kinds_"] = [int(k) for k in self.kinds_]
        return state

    def _restore(self, fitted, device):
        from ..nn._skorch import resolve_device

        BaseDenoiser._restore(self, fitted, device)
        self.device_ = resolve_device(device)
        self.module_params_ = dict(fitted["module_params"])
        self.directions_ = np.asarray(fitted["directions_"], dtype=np.float64)
        self.kinds_ = np.asarray(fitted["kinds_"], dtype=np.int64)
        self.module_ = self._build_module()
        self._load_state(self.module_, fitted["state_dict"], "the saved file")
        detector = fitted.get("detector_")
        self.detector_ = None if detector is None else ArtifactDetector.from_dict(
            detector)
        self.history_ = []
        return self

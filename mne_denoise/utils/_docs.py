# License: BSD-3-Clause
"""Shared docstring fragments (MNE's ``docdict`` / ``fill_doc`` pattern).

A parameter described in several estimators is worded once here and pulled
into their docstrings with a ``%(name)s`` placeholder, so that the wording
cannot drift between classes. Fragments are written for the indentation of
a class or method docstring's section body (4 spaces for the name line, 8
for its description); the first line carries no indentation, since the
placeholder sits where the text starts.
"""

__all__ = ["docdict", "fill_doc"]

docdict = {}

# ---------------------------------------------------------------------------
# Channels and sampling rate of array inputs
docdict["info"] = """\
info : mne.Info | None
        Describes the channels of array inputs (as :class:`mne.decoding.Scaler`
        takes it). Not needed for Epochs, Raw or Evoked inputs."""

docdict["sfreq"] = """\
sfreq : float | None
        Sampling rate of array inputs whose channels are all EEG, when no
        ``info`` is given."""

docdict["info_sfreq"] = docdict["info"] + "\n    " + docdict["sfreq"]

docdict["overlap"] = """\
overlap : float
        Overlap of consecutive windows in ``transform``, in [0, 1)."""

docdict["device"] = """\
device : str
        ``'auto'`` (CUDA when present, else CPU), ``'cpu'`` or ``'cuda'``."""

docdict["random_state"] = """\
random_state : int | RandomState | None
        Seeds weight initialization, the training draws and the shuffling."""

docdict["verbose"] = """\
verbose : bool | str | int | None
        Truthy values print skorch's per-epoch training table."""

# ---------------------------------------------------------------------------
# Training of the deep denoisers
docdict["weights_pretrained"] = """\
weights : ``'pretrained'`` | path-like | None
        Initial weights: the shipped ones, a weights file (a ``.pt`` dict
        with ``state_dict`` and ``module_params``, as ``mne-denoise train``
        writes), or random (then ``max_epochs`` must be > 0)."""

docdict["weights_zoo"] = """\
weights : None | 'pretrained' | path-like
        Initial weights: None (random, the default, so ``fit`` trains),
        ``'pretrained'`` (only the U-Net ships weights, trained by
        ``mne-denoise train unet``; see its model card) or the path of a
        weights file (a ``.pt`` dict with ``state_dict`` and
        ``module_params``, as ``mne-denoise train`` writes), used as they are
        with the default ``max_epochs='auto'``."""

docdict["max_epochs_pretrained"] = """\
max_epochs : int
        Training epochs in ``fit``; 0 (default) uses the weights as they are.
        With ``weights='pretrained'`` training fine-tunes them."""

docdict["max_epochs_zoo"] = """\
max_epochs : int | ``'auto'``
        Training epochs in ``fit`` (semi-synthetic pairs drawn afresh every
        epoch from the clean EEG windows of the training data and its EOG/EMG
        channels, or from ``clean_bank``/``artifact_bank``). ``'auto'``
        (default): 10 from random weights (``weights=None``), 0 with weights
        given, which ``fit`` then uses as they are; an int > 0 fine-tunes
        given weights."""

docdict["optim"] = """\
lr : float
        Learning rate of the AdaMax optimizer.
    batch_size : int
        Windows per training batch.
    pairs_per_epoch : int | None
        Semi-synthetic pairs drawn per training epoch; None (default) draws
        one per clean training window.
    clean_probability : float
        Probability, in [0, 1], that a training pair is left clean (no
        artifact added), which teaches the network to leave clean EEG
        alone; 0 (default) contaminates every pair.
    augment : bool
        Augment the artifact of every training pair, with seeded randomness:
        time-stretched by a factor in [0.8, 1.25], shifted in time (refilled
        by reflection), flipped in polarity half of the time and, with
        probability 0.3, summed with an artifact of the other kind (EOG +
        EMG, each part at unit RMS times a random gain in [0.5, 2]), so that
        training sees more shapes, speeds and mixtures than the banks hold.
        False
        (default) uses the artifact segments as they are.
    high_snr_probability : float
        Probability, in [0, 1], that a contaminated training pair is mixed
        at an SNR uniform in [5, 20] dB (mildly contaminated input, which is
        most of real EEG) rather than in the training SNR range; 0 (default)
        draws every SNR in the training range."""

docdict["callbacks"] = """\
callbacks : list | None
        Extra skorch callbacks for training, e.g. ``[("stop",
        skorch.callbacks.EarlyStopping(patience=5))]``, a training time
        budget (:class:`mne_denoise.nn.zoo.TimeBudget`), the best-epoch
        keeper or a learning-rate schedule (``skorch.callbacks.LRScheduler``);
        deep-copied at each ``fit``, never mutated. Only used when
        ``max_epochs > 0``."""

docdict["adversarial"] = """\
adversarial : bool | float
        Train against a discriminator that tells denoised from clean segments
        (:class:`mne_denoise.nn.zoo.AdversarialRegressor`): False (default)
        for plain training, True for an adversarial term of weight 0.01 in
        the network's loss, or that weight as a float > 0."""

docdict["routed"] = """\
**kwargs
        ``module__<name>=value`` sets an argument of the network and
        ``criterion__<name>=value`` one of its loss, as in skorch; both are
        parameters of the estimator (``get_params``, ``set_params``,
        ``clone``), so ``GridSearchCV`` can search them
        (``"<step>__module__<name>"`` in a Pipeline). They override the
        defaults and those stored with the weights, and are checked at
        ``fit`` against the network's (or the loss's) signature; any other
        name is a TypeError there."""

docdict["threshold"] = """\
threshold : float | None
        Detect, then correct: the artifact probability, in [0, 1], above
        which a window's correction is let through. Each 2-s window of each
        channel gets a probability from a detector calibrated in ``fit`` on
        the data's clean windows with and without artifacts mixed in (see
        :meth:`artifact_scores`); the correction passes in a smooth step from
        ``threshold - 0.1`` (none) to ``threshold + 0.1`` (all), and
        overlapping windows cross-fade. The default, 0.5, leaves clean EEG
        alone; lower values correct more, None corrects every window."""

docdict["device_state_verbose"] = "\n    ".join(
    [docdict["threshold"], docdict["overlap"], docdict["device"],
     docdict["random_state"], docdict["verbose"], docdict["routed"]])

docdict["shared_path"] = """\
path : path-like | None
        Shared data folder, see :func:`get_shared_data_path`."""

docdict["verbose_mne"] = """\
verbose : bool | str | int | None
        MNE verbosity."""

_PAD_SHORT = """\
pad_short : bool
        Keep parts shorter than one window, if they last at least half a
        window at ``{rate}``: after resampling they are reflect-padded to
        one window, as the denoisers' ``transform`` pads short epochs, so
        that a network trained on them sees what it will be given. The
        default (``False``) skips them; parts of one window or more are cut
        the same either way."""
docdict["pad_short_sfreq"] = _PAD_SHORT.format(rate="sfreq")
docdict["pad_short_sfreq_out"] = _PAD_SHORT.format(rate="sfreq_out")

docdict["denoised_clean"] = """\
denoised, clean : array, shape (..., n_times)
        Denoised estimate and ground truth."""

# ---------------------------------------------------------------------------
# Fitted attributes
docdict["attributes"] = """\
info_ : mne.Info
        Channels seen at ``fit``.
    sfreq_ : float
        Their sampling rate.
    ch_names_ : list of str
        Their names.
    clean_idx_, ref_idx_ : array of int
        Indices of the EEG channels cleaned and of the EOG/EMG channels.
    n_features_in_ : int
        Channels (3-D input) or samples (2-D input) seen at ``fit``."""

docdict["deep_attributes"] = """\
net_ : skorch.NeuralNetRegressor
        The fitted network (``net_.module_``) and its training history.
    device_ : str
        The resolved device.
    module_params_ : dict
        The network's arguments (defaults, then those of the weights, then
        ``module__*``).
    detector_ : object | None
        The calibrated artifact detector of the gate (None with
        ``threshold=None``).
    detector_calibration_ : dict
        How many of the data's own clean windows calibrated it
        (``n_clean_windows``), how many simulated ones completed them
        (``n_simulated_windows``) and, of the per-channel denoisers, how many
        of the data's windows a detector calibrated on simulated EEG flagged
        as contaminated (``n_flagged_windows``; when most are, none counts
        as clean)."""

# ---------------------------------------------------------------------------
# fit / transform
docdict["X_fit"] = """\
X : Epochs | list of Epochs | Raw | array, shape (n_epochs, n_channels, n_times) | array, shape (n_segments, n_times)
            Training data. EEG channels are cleaned; EOG/EMG channels are
            noise references.
        y : None
            Ignored; present for Pipeline compatibility."""  # noqa: E501

docdict["deep_notes"] = """\
Data are resampled to 256 Hz, cut into 2-s windows with ``overlap``,
    standardized per window (protocol of :mod:`mne_denoise._protocol`),
    denoised, and what the network removed is resampled back and subtracted
    from the input, through the gate (``threshold``): only windows the
    detector flags are corrected. Epochs shorter than 2 s are reflect-padded
    to one window and cropped back, in ``transform`` and for fine-tuning
    alike (from 1 s)."""


def fill_doc(obj):
    """Fill the ``%(name)s`` placeholders of a docstring from :data:`docdict`.

    A literal percent sign in a filled docstring is written ``%%``.

    Parameters
    ----------
    obj : callable | class
        What to document; its ``__doc__`` is replaced.

    Returns
    -------
    obj : callable | class
        The same object, for use as a decorator.
    """
    doc = obj.__doc__
    if doc:
        try:
            obj.__doc__ = doc % docdict
        except (KeyError, TypeError, ValueError) as err:
            raise RuntimeError(
                f"Error documenting {getattr(obj, '__name__', obj)!r}: {err!r}."
            ) from err
    return obj

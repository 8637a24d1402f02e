# License: BSD-3-Clause
"""The project's studies, run by the ``mne-denoise`` command.

- :mod:`~mne_denoise.studies.benchmark`: denoisers side by side on held-out
  semi-synthetic pairs (``mne-denoise benchmark``), with the methods it
  compares in :mod:`~mne_denoise.studies.methods`;
- :mod:`~mne_denoise.studies.gate_sites`: the benchmark's clean-input test
  on real EEG per electrode site group (``mne-denoise gate-sites``);
- :mod:`~mne_denoise.studies.speed`: latency and throughput side by side
  (``mne-denoise speed``);
- :mod:`~mne_denoise.studies.decoding`: CSP + LDA decoding with and without
  each denoiser (``mne-denoise decoding``);
- :mod:`~mne_denoise.studies.train`: the training of the shipped weights and
  their model cards (``mne-denoise train``);
- :mod:`~mne_denoise.studies.demo`: the one-line demo (``mne-denoise demo``).

Studies use the library; the library never imports them.
"""

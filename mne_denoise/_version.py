"""Version of mne_denoise."""

__version__ = "0.1.0"

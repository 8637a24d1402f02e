# License: BSD-3-Clause
"""Data: segment banks, loaders of the shared recordings, simulators.

Everything here produces NumPy arrays or MNE objects in volts; nothing
imports torch.
"""

from ._banks import (
    SegmentBank,
    artifact_bank_from_mne,
    clean_bank_from_mne,
    segment_signals,
)
from ._eegdenoisenet import fetch_eegdenoisenet
from ._fetch import fetch_dataset, fetch_datasets, fetch_eegmmidb, get_download_path
from ._multichannel import (
    MONTAGE_SUBSETS,
    MULTICHANNEL_SPLIT,
    MultichannelBank,
    MultichannelSimulator,
    channel_directions,
    make_multichannel_clean_bank,
    make_multichannel_simulator,
    ocular_patterns,
)
from ._paths import get_shared_data_path
from ._pools import (
    UNSEEN_SOURCES,
    make_artifact_bank,
    make_benchmark_pools,
    make_clean_bank,
    make_unseen_pools,
)
from ._readers import (
    load_motor_imagery,
    read_eeglab_sample,
    read_eegmmidb,
    read_openbci_blinks,
    read_openbci_cosleep,
)
from ._simulate import simulate_eeg, simulate_emg, simulate_eog, simulate_epochs
from ._sources import load_emg_recordings, load_eog_recordings

__all__ = [
    "MONTAGE_SUBSETS",
    "MULTICHANNEL_SPLIT",
    "MultichannelBank",
    "MultichannelSimulator",
    "UNSEEN_SOURCES",
    "SegmentBank",
    "artifact_bank_from_mne",
    "channel_directions",
    "clean_bank_from_mne",
    "fetch_dataset",
    "fetch_datasets",
    "fetch_eegdenoisenet",
    "fetch_eegmmidb",
    "get_download_path",
    "get_shared_data_path",
    "load_emg_recordings",
    "load_eog_recordings",
    "load_motor_imagery",
    "make_artifact_bank",
    "make_benchmark_pools",
    "make_multichannel_clean_bank",
    "make_multichannel_simulator",
    "make_unseen_pools",
    "make_clean_bank",
    "ocular_patterns",
    "read_eeglab_sample",
    "read_eegmmidb",
    "read_openbci_blinks",
    "read_openbci_cosleep",
    "segment_signals",
    "simulate_eeg",
    "simulate_emg",
    "simulate_eog",
    "simulate_epochs",
]

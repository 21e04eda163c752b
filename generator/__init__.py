"""partnerdocs: ready-to-sign partnership agreements and co-branded
communications from partnership metadata.

The Python API mirrors the CLI::

    from generator import load_config, load_record, select_tier
    config = load_config(Path("configs"))
    loaded = load_record(Path("configs/partnerships/psh-2026-014.yaml"))
    print(select_tier(loaded.record, config).name)
"""
__version__ = "0.1.0"

from .config import Config, load_config  # noqa: E402
from .generate import generate  # noqa: E402
from .records import LoadedRecord, load_record  # noqa: E402
from .tiers import TierChoice, select_tier  # noqa: E402

__all__ = ["Config", "LoadedRecord", "TierChoice", "__version__", "generate", "load_config", "load_record",
           "select_tier"]

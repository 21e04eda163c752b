"""partnerdocs: ready-to-sign partnership agreements and co-branded
communications from partnership metadata.

The Python API mirrors the CLI::

    from generator import load_config, load_record, select_tier
    config = load_config(Path("configs"))
    loaded = load_record(Path("configs/partnerships/psh-2026-014.yaml"))
    print(select_tier(loaded.record, config).name)
"""
from __future__ import annotations

import sys
import types
from importlib import import_module

__version__ = "0.1.0"

# Each name of the API and its module, imported on first use: `partnerdocs
# --help` and `--version` need none of them (and pydantic, Babel, docxtpl ...
# take most of a second to import).
_API = {"Config": "config", "load_config": "config", "generate": "generate", "LoadedRecord": "records",
        "load_record": "records", "TierChoice": "tiers", "select_tier": "tiers"}

__all__ = sorted([*_API, "__version__"])


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = getattr(import_module(f".{_API[name]}", __name__), name)
    return value


class _Package(types.ModuleType):
    """``generator.generate`` is the function, as with an eager import, although
    importing the submodule of that name sets the package's attribute to it."""

    @property
    def generate(self):
        return import_module(".generate", __name__).generate

    @generate.setter
    def generate(self, module) -> None:
        pass  # the import system recording the submodule: the name stays the function


sys.modules[__name__].__class__ = _Package

"""The library works without Click: only cli.py knows it."""
from __future__ import annotations

import subprocess
import sys

from .conftest import REPO

CORE_IMPORT = """
import sys, pkgutil, importlib
sys.modules['click'] = None  # any `import click` now raises ImportError
import generator
for info in pkgutil.walk_packages(generator.__path__, 'generator.'):
    if info.name not in ('generator.cli', 'generator.__main__'):
        importlib.import_module(info.name)
from generator.errors import InputError
try:
    raise InputError('a.yaml: bad')
except InputError as exc:
    assert exc.exit_code == 2 and exc.format_message() == 'a.yaml: bad'
print('ok')
"""


def test_core_modules_import_without_click():
    """Every module but the CLI imports with Click unavailable, and its errors carry their exit code."""
    result = subprocess.run([sys.executable, "-c", CORE_IMPORT], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"

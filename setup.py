"""Build step only (the project is described in pyproject.toml): copy the
default configuration, templates and example record from the repository's
top-level folders into the package, as generator/bundled/, so that a wheel
carries them. The list is generator/bundle.py's sources()."""
import importlib.util
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("partnerdocs_bundle", ROOT / "generator" / "bundle.py")
bundle = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bundle)


class BuildPy(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the repository's own folders
        target = Path(self.build_lib) / "generator" / "bundled"
        shutil.rmtree(target, ignore_errors=True)
        for name, source in bundle.sources(ROOT).items():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / name)


setup(cmdclass={"build_py": BuildPy})

"""The version of briefer, in one place (read by the build and by every module)."""

__version__ = "0.1.0"

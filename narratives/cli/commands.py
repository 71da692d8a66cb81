"""Imports every command module so that each registers its commands on the app."""

from . import info  # noqa: F401

"""Imports every command module so that each registers its commands on the app."""

from . import info  # noqa: F401
from . import ingest  # noqa: F401
from . import demo  # noqa: F401
from . import report  # noqa: F401
from . import run  # noqa: F401
from . import narratives  # noqa: F401
from . import eval  # noqa: F401,A004
from . import targets  # noqa: F401
from . import coordination  # noqa: F401

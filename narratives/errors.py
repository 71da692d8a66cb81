"""Base class for errors the user can act on (bad input file, malformed YAML, missing model...)."""

from __future__ import annotations


class NarrativesError(Exception):
    """Raised with a one-line message naming the file, line and field at fault where there is one."""


class ParameterError(NarrativesError, ValueError):
    """A bad value for a named parameter of a library call (`since`, `discovery.sample_size`, ...).

    The message names the parameter as Python callers spell it (`since='yesterday': expected a
    date ...`); the CLI says the same with its flag (`--since 'yesterday': ...`) through `for_name`.
    """

    _NO_VALUE = object()

    def __init__(self, parameter: str, problem: str, value: object = _NO_VALUE):
        self.parameter = parameter
        self.problem = problem
        self.value = value
        shown = "" if value is self._NO_VALUE else f"={value!r}"
        super().__init__(f"{parameter}{shown}: {problem}")

    def for_name(self, name: str) -> str:
        """The same message with the parameter called `name` (a CLI flag)."""
        shown = "" if self.value is self._NO_VALUE else f" {self.value!r}"
        return f"{name}{shown}: {self.problem}"

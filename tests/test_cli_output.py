"""CLI output for people and for programs: every command that prints a table also speaks JSON, and tables
print at full width when stdout is not a terminal (CliRunner's stdout is not one, like a pipe or a CI log)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import typer
from typer.testing import CliRunner

from narratives.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
# Commands that print a table without --json, and where their output is available as JSON instead.
NO_JSON = {
    "run": "its tables summarise the run; `narratives list --json` and `narratives targets --json` give them as JSON",
    "eval": "writes the same figures to --out/metrics.json (and --results)",
}
NO_TABLE = {"version", "demo-data", "report", "coordination export"}


def _commands(command, prefix=()):
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*prefix, name))
    else:
        yield " ".join(prefix), command


def test_every_command_that_prints_a_table_takes_json():
    commands = dict(_commands(typer.main.get_command(app)))
    assert {"list", "show", "targets", "status", "ingest", "coordination list", "coordination show"} <= set(commands)
    missing = [name for name, command in commands.items()
               if name not in NO_JSON and name not in NO_TABLE and not name.startswith("narratives ")  # hidden alias
               and "--json" not in {o for p in command.params for o in p.opts}]
    assert not missing, f"commands that print a table without --json: {missing}"
    assert set(NO_JSON) | NO_TABLE <= set(commands), "stale exemptions"


def test_ingest_table_is_full_width_when_piped_and_json_has_every_file(tmp_path):
    long = tmp_path / ("an_export_file_name_much_longer_than_eighty_columns_of_any_terminal_" * 2 + "x_io.csv")
    shutil.copy(FIXTURES / "x_io_release.csv", long)
    db = str(tmp_path / "s.duckdb")
    table = CliRunner().invoke(app, ["ingest", str(long), "--db", db])
    assert table.exit_code == 0, table.output
    row = next(line for line in table.output.splitlines() if "x_io" in line)
    assert str(long) in row and "…" not in table.output  # the whole path on one line
    again = CliRunner().invoke(app, ["ingest", str(long), "--db", db, "--json"])
    assert again.exit_code == 0, again.output
    data = json.loads(again.output)
    assert data["complete"] is True and [f["file"] for f in data["files"]] == [str(long)]
    first = data["files"][0]
    assert first["stored"] == 0 and first["duplicates"] + first["rejected"] == first["read"] > 0  # nothing new

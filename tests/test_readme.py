"""The README runs as written.

Every ```sh block of README.md runs, in order, as a reader would type them into one terminal:
in one fresh folder, with the installed `thidua` first on the PATH and no THIDUA_DB, each block
with `bash -e`, the variables a block exports (`export THIDUA_DB=...`) and the folder it `cd`s
into carried to the next. The folder holds `examples/` and `data/` from the clone, since the
README is read in the clone.

```console blocks are transcripts: each `$ command` runs there too (stdout and stderr together)
and its output must be what the README shows, after normalising only what must vary (today's
date, the folder's path). A command whose shown output starts with "Lỗi:" must fail; every
other must succeed.

The rules for what does not run, stated once:
- a block whose info string has the word `skip` (```sh skip);
- a block that installs things (pip install, python -m venv, git clone, --install-completion):
  the test runs the installed thidua and must not reinstall it or edit the user's shell;
- a block that mentions datasette, unless datasette is importable.
A line meant to fail says so in a comment, `# exits N`; the test checks that it exits N and
goes on. A line `# in Excel: fill in FILE.xlsx FOLDER/ ...` is where the reader fills workbooks
in by hand; the test plays that part (every empty cell open for input gets a value within its
bounds, or a word of evidence) and runs the rest of the block.

When the output of a command changes on purpose, `THIDUA_README_UPDATE=1 pytest
tests/test_readme.py` writes the new output into the README's transcripts; read the diff.
"""

from __future__ import annotations

import datetime
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

INSTALLS = re.compile(r"\bpip3? install\b|-m venv\b|\bgit clone\b|--install-completion")
EXPECTED_EXIT = re.compile(r"#\s*exits?\s+(\d+)\b")
FENCE = re.compile(r"^```(\S*)(.*)$")
FILL_IN = re.compile(r"^\s*#\s*in Excel: fill in (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Block:
    line: int  # where the block opens in README.md (1-based)
    lang: str
    tags: tuple[str, ...]
    text: str


def readme_blocks(text: str) -> list[Block]:
    """The fenced blocks of a Markdown text, in order."""
    blocks: list[Block] = []
    opened: tuple[int, str, tuple[str, ...]] | None = None
    body: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        fence = FENCE.match(line)
        if opened is None and fence:
            opened = (number, fence.group(1), tuple(fence.group(2).split()))
            body = []
        elif opened is not None and line.rstrip() == "```":
            blocks.append(Block(opened[0], opened[1], opened[2], "\n".join(body) + "\n"))
            opened = None
        elif opened is not None:
            body.append(line)
    assert opened is None, f"README.md line {opened[0]}: a block is never closed"
    return blocks


def why_skipped(block: Block) -> str | None:
    if "skip" in block.tags:
        return "marked skip"
    if INSTALLS.search(block.text):
        return "installs"
    if "datasette" in block.text and importlib.util.find_spec("datasette") is None:
        return "datasette is not installed"
    return None


def with_expected_exits(script: str) -> str:
    """Each line marked `# exits N` must exit N; `bash -e` then goes on with the next line."""
    lines = []
    for line in script.splitlines():
        marked = EXPECTED_EXIT.search(line)
        if marked and not line.lstrip().startswith("#"):
            code = marked.group(1)
            lines += [
                "set +e",
                line,
                "__code=$?",
                "set -e",
                f'[ "$__code" -eq {code} ] || {{ echo "expected exit {code}, got $__code:"'
                f" {shlex.quote(line)} >&2; exit 99; }}",
            ]
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def fill_in(folder: Path, named: str) -> None:
    """Do what the reader does in Excel: fill in every empty input cell of the named workbooks
    (files, or every workbook in a folder) with a value its validation accepts."""
    import openpyxl
    from openpyxl.utils.cell import range_boundaries

    books: list[Path] = []
    for word in named.split():
        path = folder / word
        if word.endswith("/"):
            books += sorted(path.glob("*.xlsx"))
        elif word.endswith(".xlsx"):
            books.append(path)
    assert books, f"nothing to fill in: {named}"
    for book in books:
        workbook = openpyxl.load_workbook(book)
        for sheet in workbook.worksheets:
            bounds: dict[tuple[int, int], float] = {}
            for rule in sheet.data_validations.dataValidation:
                if rule.type != "decimal":
                    continue
                for cells in rule.sqref.ranges:
                    first_col, first_row, last_col, last_row = range_boundaries(cells.coord)
                    for r in range(first_row, last_row + 1):
                        for c in range(first_col, last_col + 1):
                            bounds[r, c] = float(rule.formula2)
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.protection.locked is not False or cell.value is not None:
                        continue
                    top = bounds.get((cell.row, cell.column))
                    if top is not None:
                        # a little below the maximum, varied, so that units differ
                        cell.value = max(0.0, top - (cell.row + cell.column) % 3 * 0.5)
                    else:
                        cell.value = "Báo cáo tổng kết năm"
        workbook.save(book)


class Terminal:
    """One reader's terminal: a folder, the variables exported so far, the current folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.state = folder / ".terminal-state"
        self.state.write_text(f"cd {shlex.quote(str(folder))}\n", encoding="utf-8")
        bin_dir = Path(sys.executable).parent
        assert (bin_dir / "thidua").exists(), "thidua is not installed beside this Python"
        home = folder / ".home"
        home.mkdir()
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("THIDUA_") and key not in ("NO_COLOR", "COLUMNS", "LANG")
        }
        self.env.update(
            PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            HOME=str(home),
            LC_ALL="C.UTF-8",
            # the transcripts were made in a terminal 100 columns wide
            COLUMNS="100",
        )

    def run(self, script: str, *, errexit: bool) -> subprocess.CompletedProcess[str]:
        state = shlex.quote(str(self.state))
        wrapped = (
            f"source {state}\n"
            f'trap \'{{ export -p; echo cd "$(printf %q "$PWD")"; }} > {state}\' EXIT\n'
            + ("set -e\n" if errexit else "")
            + script
        )
        return subprocess.run(
            ["bash", "-c", wrapped],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )


def transcript(block: Block) -> list[tuple[str, str]]:
    """(command, the output shown under it) for each `$ ` line of a console block."""
    steps: list[tuple[str, list[str]]] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            assert steps, f"README.md line {block.line}: output before any command"
            steps[-1][1].append(line)
    return [(command, "\n".join(shown)) for command, shown in steps]


def write_transcripts(bodies: dict[int, str]) -> None:
    """Put each console block's new body (by the line its fence opens on) into README.md."""
    lines = README.read_text(encoding="utf-8").splitlines(keepends=True)
    for opening in sorted(bodies, reverse=True):
        closing = next(i for i in range(opening, len(lines)) if lines[i].rstrip() == "```")
        lines[opening:closing] = [bodies[opening]]
    README.write_text("".join(lines), encoding="utf-8")


def normalised(output: str, folder: Path) -> str:
    today = datetime.date.today()
    output = output.replace(str(folder), "<folder>")
    for form in (f"{today:%d/%m/%Y}", today.isoformat()):
        output = output.replace(form, "<today>")
    return "\n".join(line.rstrip() for line in output.rstrip("\n").splitlines())


def test_the_rules_read_the_blocks_as_the_readme_means_them():
    text = "a\n```sh\nthidua init\n```\n```sh skip\nx\n```\n```console\n$ thidua x\nout\n```\n"
    sh, skipped, console = readme_blocks(text)
    assert (sh.line, sh.lang, sh.tags, sh.text) == (2, "sh", (), "thidua init\n")
    assert why_skipped(skipped) == "marked skip"
    assert transcript(console) == [("thidua x", "out")]
    assert why_skipped(Block(1, "sh", (), "python3 -m venv .venv && .venv/bin/pip install .\n"))
    assert "exit 99" in with_expected_exits("thidua rank   # exits 3\n")
    assert with_expected_exits("# exits 3 is said in a comment only\n").count("exit 99") == 0


def test_the_two_newcomer_commands_open_the_readme_and_are_not_rerun():
    first, second = readme_blocks(README.read_text(encoding="utf-8"))[:2]
    assert "thidua init --sample --db demo.db" in first.text
    assert ".venv/bin/pytest" in second.text
    assert why_skipped(first) == why_skipped(second) == "installs"


@pytest.mark.slow
def test_every_block_of_the_readme_runs_as_written(tmp_path):
    for name in ("examples", "data"):
        (tmp_path / name).symlink_to(ROOT / name)
    terminal = Terminal(tmp_path)
    update = bool(os.environ.get("THIDUA_README_UPDATE"))
    rewritten: dict[int, str] = {}
    try:
        ran = run_the_blocks(terminal, update, rewritten)
    finally:
        if update:
            write_transcripts(rewritten)
    assert ran > 10
    # what the README says its commands write is there
    assert (tmp_path / "tieu-chi.csv").read_bytes() == (
        ROOT / "data/criteria-template.csv"
    ).read_bytes()
    for name in (
        "de-nghi-2024.csv",
        "cum-ii-2020.docx",
        "tong-hop-2020.html",
        "to-trinh-2020.docx",
    ):
        assert (tmp_path / name).stat().st_size > 0, name
    assert len(list((tmp_path / "tu-cham").glob("*.xlsx"))) == 4
    paperwork = sorted(p.suffix for p in (tmp_path / "bao-cao-2020").iterdir())
    assert paperwork == [".csv"] + [".docx"] * 6  # four clusters, the summary, the submission
    shutil.rmtree(tmp_path / ".home")


def run_the_blocks(terminal: Terminal, update: bool, rewritten: dict[int, str]) -> int:
    """Run the README's blocks in order; how many blocks and commands ran."""
    ran = 0
    for block in readme_blocks(README.read_text(encoding="utf-8")):
        if block.lang not in ("sh", "console") or why_skipped(block):
            continue
        where = f"README.md line {block.line}"
        if block.lang == "sh":
            # the parts between the hand-filled workbooks, each with what it names to fill
            parts = FILL_IN.split(block.text)
            for script, named in zip(parts[::2], [*parts[1::2], None], strict=True):
                done = terminal.run(with_expected_exits(script), errexit=True)
                assert done.returncode == 0, f"{where}:\n{script}\n{done.stdout}\n{done.stderr}"
                if named:
                    fill_in(terminal.folder, named)
            ran += 1
            continue
        body = []
        for command, shown in transcript(block):
            done = terminal.run(f"{command} 2>&1\n", errexit=False)
            body += [f"$ {command}", *(line.rstrip() for line in done.stdout.splitlines())]
            ran += 1
            if update:
                continue
            failing = shown.startswith(("Lỗi:", "Error:"))
            assert (done.returncode != 0) == failing, f"{where}: $ {command}\n{done.stdout}"
            assert normalised(done.stdout, terminal.folder) == normalised(shown, terminal.folder), (
                f"{where}: $ {command}"
            )
        rewritten[block.line] = "\n".join(body) + "\n"
    return ran

"""The scormbuild command line: parses options, calls commands/, shows their output.

A ScormbuildError is a click exception: click prints it (``ScormbuildError.show``) and
exits 1, so no command catches one. ``Commands.invoke`` is the guard for everything else.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from scormbuild import __version__
from scormbuild.errors import ScormbuildError, describe
from scormbuild.standards import STANDARDS
from scormbuild.standards.base import LAUNCH_FILE, LRS_CONFIG_FILE
from scormbuild.starters import DEFAULT_TEMPLATE, TEMPLATES

FORMAT_CHOICES = [*STANDARDS, "all"]
# Commands that write their output whole or not at all: their errors end "nothing was written".
ALL_OR_NOTHING = frozenset({"build", "new", "graph", "import-twine"})


BUG_HINT = ("This is a bug in scormbuild, not a problem with your files. Please report it with what you ran "
            "and the output of the same command with --debug.")


class Commands(click.Group):
    """The command group: whatever goes wrong, the user gets a short message and exit code 1,
    never a traceback (only with --debug or SCORMBUILD_DEBUG=1). File-system failures (no
    permission, a file where a folder should be, a full disk) get one clear line; anything
    unexpected is an "internal error" with a bug-report hint."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ScormbuildError as error:
            error.nothing_written = ctx.invoked_subcommand in ALL_OR_NOTHING
            raise
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted: nothing half-written was left behind.", err=True)
            sys.exit(130)
        except Exception as error:  # noqa: BLE001 - the last guard of the promise "never a traceback"
            if ctx.params.get("debug") or os.environ.get("SCORMBUILD_DEBUG"):
                raise
            if isinstance(error, OSError):
                where = f"{describe(str(error.filename), 200)}: " if error.filename else ""
                click.echo(f"{where}{error.strerror or describe(str(error), 200)}", err=True)
                click.secho("error: could not read or write a file; check the path and its permissions.", fg="red",
                            err=True)
            elif isinstance(error, MemoryError):
                click.secho("error: scormbuild ran out of memory; an input may be far larger than a course needs.",
                            fg="red", err=True)
            else:
                click.echo(f"internal error: {type(error).__name__}: {describe(str(error), 300)}", err=True)
                click.secho(BUG_HINT, fg="red", err=True)
            sys.exit(1)


@click.group(cls=Commands)
@click.version_option(__version__, prog_name="scormbuild")
@click.option("--debug", is_flag=True, help="Show the Python traceback of an internal error (for bug reports).")
def main(debug: bool) -> None:
    """Compile plain-text training scenarios into LMS packages."""


def check_lrs_options(endpoint: str, key: str, secret: str) -> None:
    """An http(s) endpoint and a credential HTTP Basic can carry (security review L12)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(endpoint)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid or any(ord(c) < 32 for c in endpoint):
        raise click.BadParameter(f"`{describe(endpoint, 80)}` is not an http(s) address", param_hint="--lrs-endpoint")
    if ":" in key or any(ord(c) < 32 for c in key + secret):
        raise click.BadParameter("the key cannot contain `:` or control characters (HTTP Basic uses `key:secret`)",
                                 param_hint="--lrs-key")


@main.command()
@click.argument("content_dir", type=click.Path(path_type=Path))
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(FORMAT_CHOICES), default=["all"],
              show_default=True, help="Package format; repeat for several.")
@click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("dist"),
              show_default=True, help="Folder for the zips.")
@click.option("--lrs-endpoint", default=None, help="Also send xAPI statements from SCORM packages to this LRS.")
@click.option("--lrs-key", default=None, help="With --lrs-endpoint: a WRITE-ONLY key (every learner can read it).")
@click.option("--lrs-secret", default=None, envvar="SCORMBUILD_LRS_SECRET",
              help="With --lrs-endpoint: the key's secret (or in SCORMBUILD_LRS_SECRET, which `ps` does not show).")
@click.option("--no-cache", is_flag=True, hidden=True,
              help="No effect: builds keep no cache any more (accepted for scripts written for older versions).")
@click.option("--strict", is_flag=True, help="Fail on warnings too (nothing is written).")
@click.option("--strict-scorm12", is_flag=True,
              help="SCORM 1.2: write each decision's choice as one character a-z, 0-9 (its position), as the "
                   "1.2 run-time defines choice responses, for LMSs that check it. Without it the choice ids are "
                   "written, which Moodle's reports show as they are.")
def build(content_dir: Path, formats: tuple[str, ...], output_dir: Path, lrs_endpoint: str | None,
          lrs_key: str | None, lrs_secret: str | None, no_cache: bool, strict: bool, strict_scorm12: bool) -> None:
    """Build CONTENT_DIR into one zip per format.

    SCORM packages can also send xAPI statements to an LRS. Prefer configuring
    it at launch (an lrs.json the LMS admin places beside index.html, or
    endpoint/auth query parameters); --lrs-* bakes a credential into the zip.

    Exit codes: 0 built (warnings may be shown), 1 errors (or warnings with
    --strict; then nothing is written), 2 a wrong command line.
    """
    from scormbuild.commands.build import LrsConfig
    from scormbuild.commands.build import build as run_build

    keys = list(STANDARDS) if "all" in formats else list(dict.fromkeys(formats))
    lrs = None
    if lrs_endpoint or lrs_key:
        if not (lrs_endpoint and lrs_key and lrs_secret):
            raise click.UsageError("--lrs-endpoint, --lrs-key and --lrs-secret (or SCORMBUILD_LRS_SECRET) go together")
        check_lrs_options(lrs_endpoint, lrs_key, lrs_secret)
        lrs = LrsConfig(lrs_endpoint, lrs_key, lrs_secret)
        if any(STANDARDS[key].reads_lrs_config for key in keys):
            click.secho(
                "WARNING: the LRS key and secret are written into the SCORM zips, where every learner can read them.\n"
                "         Use a key that can only WRITE statements, never one that can read or delete.\n"
                f"         Better: leave them out and have the LMS admin place {LRS_CONFIG_FILE} beside {LAUNCH_FILE}.",
                fg="yellow", err=True)
        else:
            click.secho("note: --lrs-* is used only by SCORM packages; none is being built.", err=True)
    from rich.console import Console
    from rich.table import Table

    with showing_build_log():
        built = run_build(content_dir, keys, output_dir, lrs, strict=strict, strict_scorm12=strict_scorm12)
    table = Table(title=f"Built {len(built)} package(s)", title_justify="left")
    table.add_column("file")
    table.add_column("format")
    table.add_column("size", justify="right")
    for package in built:
        table.add_row(str(package.path), package.standard.label, f"{package.size / 1024:.1f} KiB")
    Console(width=200 if not sys.stdout.isatty() else None).print(table)


class BuildLog(logging.Handler):
    """The scormbuild log while a build runs: each step (INFO) on a spinner, the warnings kept
    and printed once the spinner has gone (relative to the working folder, as errors are)."""

    def __init__(self, status: Any) -> None:
        super().__init__(logging.INFO)
        self.status = status
        self.warnings: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        from rich.text import Text

        if record.levelno >= logging.WARNING:
            self.warnings.append(record)
        else:
            self.status.update(Text(record.getMessage()))  # Text: a file name is never read as markup

    def echo_warnings(self) -> None:
        for record in self.warnings:
            problem = getattr(record, "problem", None)
            click.echo(problem.format(Path.cwd()) if problem is not None else record.getMessage(), err=True)


@contextmanager
def showing_build_log() -> Iterator[None]:
    from rich.console import Console

    logger = logging.getLogger("scormbuild")
    level = logger.level
    with Console(stderr=True).status("building") as status:
        handler = BuildLog(status)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        try:
            yield
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
            status.stop()
            handler.echo_warnings()  # before the table, or before the error they may have caused (--strict)


def _new_help() -> str:
    templates = "\n".join(f"  {name:<11} {summary}" for name, summary in TEMPLATES.items())
    return ("Create TARGET with a small course that validates and builds as it is: course.yaml and "
            "scenes/ to edit. TARGET must be new or empty; nothing is ever overwritten.\n\n"
            f"\b\nTemplates (--template):\n{templates}\n\n"
            "\b\nExamples:\n  scormbuild new content/safeguarding --title \"Safeguarding: responding\"\n"
            "  scormbuild new content/visitors --template branching")


@main.command(help=_new_help(), short_help="Create a course to start from, from a template.")
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--title", default=None, help="The course title (default: from the folder name).")
@click.option("--template", type=click.Choice(list(TEMPLATES)), default=DEFAULT_TEMPLATE, show_default=True,
              help="The course to start from (listed above).")
def new(target: Path, title: str | None, template: str) -> None:
    from scormbuild.commands.new import new_course

    written = new_course(target, title, template)
    click.echo(f"Created {len(written)} files in {target}. Next: scormbuild preview {target} to see it, "
               f"scormbuild validate {target} after each change.")


@main.command()
@click.argument("content_dir", type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one JSON document on stdout, for CI and editors.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def validate(content_dir: Path, output_format: str, strict: bool) -> None:
    """Check CONTENT_DIR and report every problem, without building.

    Exit codes: 0 no errors (warnings may be shown), 1 errors (or warnings
    with --strict), 2 a wrong command line.
    """
    from scormbuild.commands.validate import validate as run_validate

    report = run_validate(content_dir)
    if output_format == "json":  # on stdout, and nothing else there
        click.echo(report.as_json(strict))
    else:
        click.echo(report.as_text(Path.cwd()), err=bool(report.errors or report.warnings))
    sys.exit(report.exit_code(strict))


@main.command()
@click.argument("content_dir", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=Path("graph.svg"),
              show_default=True, help="The file to write; written whole or not at all.")
@click.option("--format", "output_format", type=click.Choice(["svg", "png", "dot"]), default=None,
              help="Default: from the output file's extension, else svg.")
def graph(content_dir: Path, output: Path, output_format: str | None) -> None:
    """Draw the scenario: scenes by kind, choices as labelled edges, right green, wrong red."""
    from scormbuild.commands.graph import render_graph

    suffix = output.suffix.lstrip(".")
    chosen = output_format or (suffix if suffix in ("svg", "png", "dot") else "svg")
    written = render_graph(content_dir, output, chosen)
    click.echo(f"Wrote {written}")


@main.command()
@click.argument("content_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1 (0: any free port).")
@click.option("--format", "format_key", type=click.Choice(list(STANDARDS)), default="scorm12", show_default=True,
              help="The package to preview: SCORM in a strict LMS (scorm-again), xAPI and cmi5 with a local LRS.")
def preview(content_dir: Path, port: int, format_key: str) -> None:
    """Serve CONTENT_DIR with an emulated LMS and live reload; stop with Ctrl-C."""
    from scormbuild.commands.preview import serve

    if not content_dir.is_dir():
        raise click.BadParameter(f"{content_dir} is not a folder", param_hint="CONTENT_DIR")

    def on_ready(url: str) -> None:
        click.echo(f"Previewing {content_dir} at {url}  (Ctrl-C to stop)", err=False)
        sys.stdout.flush()

    try:
        serve(content_dir, port, on_ready=on_ready, format_key=format_key)
    except OSError as error:
        click.echo(f"preview: cannot listen on 127.0.0.1:{port}: {error.strerror}; try --port 0", err=True)
        sys.exit(1)
    click.echo("Stopped.")


@main.command("import-twine")
@click.argument("story", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", "target", type=click.Path(path_type=Path), required=True,
              help="The new content folder.")
@click.option("--story", "story_name", metavar="NAME",
              help="Which story of a Twine library archive holding several (by its name).")
def import_twine(story: Path, target: Path, story_name: str | None) -> None:
    """Convert a Twine story (Twee 3, or Twine 2 HTML) into a content folder.

    Harlowe, SugarCube and Chapbook links (setter links, -> and <- forms, link macros) become
    choices, with ids from their text; (set:)/<<set>> and (if:)/<<if>> around links become the
    course's variables, set:/add: and if:. Tags page, decision, feedback and end choose a scene's
    kind. Everything it could not convert is listed after the import, with passage and line.
    """
    from scormbuild.commands.import_twine import format_report
    from scormbuild.commands.import_twine import import_twine as run_import

    imported = run_import(story, target, story_name)
    for line in format_report(story, imported, Path.cwd()):
        click.echo(line)
    if imported.report:
        click.echo(f"{len(imported.report)} thing(s) in the story were converted differently or left out (above).")
    click.echo(f"Wrote {len(imported.files)} files to {target}. Mark the right choices (`correct: true`), then: "
               f"scormbuild validate {target}")


@main.command("validate-package")
@click.argument("zips", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
def validate_package(zips: tuple[Path, ...]) -> None:
    """Check built ZIPS against the official XSDs and their file lists."""
    from scormbuild.commands.validate_package import validate_package as check

    problems = 0
    for path in zips:  # every zip is checked, then the exit code says whether all were valid
        try:
            standard = check(path)
        except ScormbuildError as error:
            click.echo(error.format(Path.cwd()), err=True)
            problems += error.problem_count()
            continue
        click.echo(f"{path}: valid {standard.label} package")
    if problems:
        click.secho(f"error: {problems} problem(s).", fg="red", err=True)
        sys.exit(1)


@main.command()
@click.option("--course", "course_dir", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None,
              help="The course folder: shows every decision with its scene, choices and right answer. Needed for "
                   "--format summary and html, and for Moodle reports.")
@click.option("--endpoint", default=None, help="Read from this LRS's xAPI endpoint, e.g. https://lrs.example.org/xAPI/")
@click.option("--user", default="", help="LRS key / user name (read access).")
@click.option("--password", default=None, envvar="SCORMBUILD_LRS_PASSWORD",
              help="LRS secret / password (or the SCORMBUILD_LRS_PASSWORD variable; asked for when missing).")
@click.option("--activity", default=None,
              help="Only statements about this IRI and what is below it. Default: the course's IRI with --course.")
@click.option("--filter-at-lrs", "activity_at_lrs", is_flag=True,
              help="Also ask the LRS for only the course's statements (xAPI activity + related_activities): "
                   "much less to read from a busy LRS, if it filters correctly.")
@click.option("--registration", default=None, help="Only this registration (one learner's attempt) from the LRS.")
@click.option("--moodle", "moodle_files", multiple=True, type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Read a Moodle SCORM report download (Interactions or Basic report: text, ODS or Excel). "
                   "Repeat for several.")
@click.option("--group-column", default=None, help="The Moodle report's column that holds each learner's group.")
@click.option("--since", default=None, help="Only attempts started on or after this date (2026-01-31) or time (UTC).")
@click.option("--until", default=None, help="Only attempts started before this date or time (UTC).")
@click.option("--group", default=None, help="Only this group (the LRS's context.team, or --group-column).")
@click.option("--attempt", type=click.Choice(["all", "first", "best", "last"]), default="all", show_default=True,
              help="Which of a learner's attempts count.")
@click.option("--anonymise", "--anonymize", "anonymise", is_flag=True,
              help="Learners as stable pseudonyms, no names or emails (SCORMBUILD_PSEUDONYM_KEY keeps them the same "
                   "across reports).")
@click.option("--no-free-text", is_flag=True, help="Leave out reflections and typed answers.")
@click.option("--texts", "texts_shown", type=click.IntRange(0, 1_000_000), default=1000, show_default=True,
              help="At most this many reflections per prompt in the HTML report (newest first).")
@click.option("--format", "output_format", type=click.Choice(["table", "csv", "json", "summary", "html"]),
              default="table", show_default=True,
              help="Per learner: table for people, csv (one row per answer), json. The whole course: html (a "
                   "report to open in a browser), summary (its figures as JSON).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to this file (whole or not at all) instead of the screen. Default for html: "
                   "<course folder>-report.html.")
def report(course_dir: Path | None, endpoint: str | None, user: str, password: str | None, activity: str | None,
           activity_at_lrs: bool, registration: str | None, moodle_files: tuple[Path, ...], group_column: str | None,
           since: str | None, until: str | None, group: str | None, attempt: str, anonymise: bool, no_free_text: bool,
           texts_shown: int, output_format: str, output: Path | None) -> None:
    """What learners chose, wrote and scored: per learner, or the whole course as an HTML report.

    Reads from an LRS, from Moodle's SCORM report downloads, or both."""
    from scormbuild.commands.report import ReportRequest, check_request, run_report

    if endpoint is None:
        for given, option in ((registration, "--registration"), (activity_at_lrs, "--filter-at-lrs"),
                              (user, "--user"), (activity, "--activity")):
            if given:
                raise click.UsageError(f"{option} is about the LRS: give its address with --endpoint")
    if group_column is not None and not moodle_files:
        raise click.UsageError("--group-column names a column of a Moodle report: give the file with --moodle")
    to_screen = output is not None and str(output) == "-"  # "-": the screen, as usual
    if to_screen:
        output = None
    elif output_format == "html" and output is None and course_dir is not None:
        output = Path(f"{course_dir.resolve().name}-report.html")
    request = ReportRequest(output_format, course_dir, endpoint, user, password or "", activity, activity_at_lrs,
                            registration, moodle_files, group_column, since, until, group, attempt, anonymise,
                            not no_free_text, texts_shown)
    check_request(request)  # before a password is asked for
    if endpoint is not None and password is None:
        if not sys.stdin.isatty():
            raise click.UsageError("--password is needed with --endpoint (or set SCORMBUILD_LRS_PASSWORD)")
        request.password = click.prompt("Password", hide_input=True)
    out = click.get_binary_stream("stdout")
    run_report(request, output, out.write, lambda message: click.echo(message, err=True))
    if output is not None:
        click.echo(f"report: wrote {output}", err=True)

"""MkDocs hooks of the user guide: the pages that are generated, never written by hand.

* ``reference/cli.md``: every command of the ``scormbuild`` command line, read from the click
  commands themselves (arguments, options, choices, defaults and help texts);
* ``reference/keys.md``: every key of course.yaml and of each scene kind, from
  ``scormbuild.reference`` (the same tables as the README's).

Snippets (``--8<-- "examples/..."``) are read from the docs folder being built, so a copy of
docs/ (as the tests make) includes its own example files.
"""

from __future__ import annotations

import inspect
from typing import Any

import click
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from scormbuild import reference
from scormbuild.cli import main as cli_main

PROGRAM = "scormbuild"
CLI_PAGE = "reference/cli.md"
KEYS_PAGE = "reference/keys.md"


def _cell(text: str) -> str:
    """Text that stays inside one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _help_text(command: click.Command) -> str:
    """The command's full help, as ``--help`` shows it (click's ``\\f`` cuts the rest)."""
    text = inspect.cleandoc(command.help or "").split("\f")[0]
    return text.replace("\b\n", "")


def _option_names(option: click.Option) -> str:
    """`-o`, `--output` `DIRECTORY`; a choice is named after its option, its values go in the next column."""
    names = [f"`{name}`" for name in (*option.opts, *option.secondary_opts)]
    if not option.is_flag and not option.count:
        metavar = option.metavar or _type_metavar(option)
        if isinstance(option.type, click.Choice) or not metavar:
            metavar = option.opts[-1].lstrip("-").upper().replace("-", "_")
        names[-1] += f" `{metavar}`"
    return ", ".join(names)


def _type_metavar(option: click.Option) -> str | None:
    """click 8.2 gave ``ParamType.get_metavar`` a context argument; 8.1 has none."""
    if "ctx" in inspect.signature(click.ParamType.get_metavar).parameters:
        return option.type.get_metavar(option, click.Context(click.Command(PROGRAM)))
    return option.type.get_metavar(option)  # type: ignore[call-arg]


def _option_facts(option: click.Option) -> str:
    facts = []
    if isinstance(option.type, click.Choice):
        facts.append("one of " + ", ".join(f"`{choice}`" for choice in option.type.choices))
    if option.required and not option.prompt:
        facts.append("required")
    if option.multiple:
        facts.append("may be given more than once")
    default = option.default
    if default not in (None, False, (), []) and not callable(default) and not option.is_flag:
        shown = ", ".join(str(value) for value in default) if isinstance(default, (list, tuple)) else str(default)
        facts.append(f"default `{shown}`")
    if option.envvar:
        facts.append(f"or the environment variable `{option.envvar}`")
    if option.prompt:
        facts.append("asked for when missing")
    return "; ".join(facts)


def _usage(command: click.Command, path: str) -> str:
    context = click.Context(command, info_name=path)
    return f"{path} {' '.join(command.collect_usage_pieces(context))}"


def _command_section(name: str, command: click.Command) -> list[str]:
    path = f"{PROGRAM} {name}"
    lines = [f"## `{path}`", "", _help_text(command), "", "```sh", _usage(command, path), "```", ""]
    arguments = [param for param in command.params if isinstance(param, click.Argument)]
    options = [param for param in command.params if isinstance(param, click.Option) and not param.hidden]
    if arguments:
        lines += ["| argument | what it is |", "|---|---|"]
        for argument in arguments:
            what = "one or more" if argument.nargs == -1 else "required" if argument.required else "optional"
            lines.append(f"| `{argument.human_readable_name}` | {what} |")
        lines.append("")
    lines += ["| option | what it does | values |", "|---|---|---|"]
    for option in options:
        lines.append(f"| {_option_names(option)} | {_cell(option.help or '')} | {_cell(_option_facts(option))} |")
    lines.append("| `--help` | Show the command's help and stop. | |")
    return [*lines, ""]


def cli_reference(group: click.Group = cli_main) -> str:
    """The command-line reference page, in Markdown, from the click group."""
    context = click.Context(group, info_name=PROGRAM)
    lines = [
        "# Command-line reference",
        "",
        "Generated from the `scormbuild` program itself each time the guide is built, so it always matches"
        " what `scormbuild COMMAND --help` says.",
        "",
        "Every command exits with 0 when all went well, 1 when there is a problem with your course, a"
        " package or an LRS (the message says where and what to do), and 2 when the command line is wrong.",
        "",
        "Options of `scormbuild` itself, before the command:",
        "",
        "| option | what it does |",
        "|---|---|",
    ]
    for option in group.params:
        if isinstance(option, click.Option) and not option.hidden:
            lines.append(f"| {', '.join(f'`{name}`' for name in option.opts)} | {_cell(option.help or '')} |")
    lines += ["| `--help` | Show the list of commands and stop. |", ""]
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if command is not None and not command.hidden:
            lines += _command_section(name, command)
    return "\n".join(lines)


def keys_reference() -> str:
    """The reference of every course.yaml and scene key, from the declared keys."""
    return "\n".join([
        "# Every key of course.yaml and of the scenes",
        "",
        "Generated from the keys scormbuild checks, each time the guide is built: what `scormbuild validate`"
        " accepts is exactly what this page lists. *id* means lowercase letters, digits and hyphens"
        " (at most 64); *text* is any text on one line (quote it when it contains `: ` or starts with a"
        " special character); *settings* is a group of keys indented below.",
        "",
        "## Scene kinds and their keys",
        "",
        reference.markdown(),
        "",
    ])


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    snippets = config.mdx_configs.setdefault("pymdownx.snippets", {})
    snippets["base_path"] = [config.docs_dir]
    return config


def on_files(files: Files, config: MkDocsConfig, **_: Any) -> Files:
    for path, content in ((CLI_PAGE, cli_reference()), (KEYS_PAGE, keys_reference())):
        files.append(File.generated(config, path, content=content))
    return files

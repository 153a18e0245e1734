"""Imports run one way (content → model ← kinds ← scenario ← lint, player data, render, standards
← commands ← cli): checked on the source, lazy imports inside functions included."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter

from support.paths import ROOT

SRC = ROOT / "src" / "scormbuild"


def _module_name(path) -> str:  # noqa: ANN001
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Every scormbuild module → the scormbuild modules it imports (anywhere in its code)."""
    modules = {_module_name(path): path for path in SRC.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        imported: set[str] = set()
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    imported.add(full if full in modules else base)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
        graph[name] = {target for target in imported if target in modules and target != name}
    return graph


def test_the_module_graph_has_no_cycle():
    try:
        list(TopologicalSorter(import_graph()).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle: {' → '.join(error.args[1])}") from None


def _imports_of(prefix: str) -> set[str]:
    graph = import_graph()
    return {target for name, targets in graph.items() if name == prefix or name.startswith(prefix + ".")
            for target in targets}


def _hits(imports: set[str], forbidden: list[str]) -> set[str]:
    return {name for name in imports if any(name == f or name.startswith(f + ".") for f in forbidden)}


CONSUMERS = ["scormbuild.scenario", "scormbuild.lint", "scormbuild.course", "scormbuild.player_data",
             "scormbuild.render", "scormbuild.theme", "scormbuild.standards", "scormbuild.commands", "scormbuild.cli",
             "scormbuild.package", "scormbuild.xapi_activities", "scormbuild.reference", "scormbuild.variables"]


def test_the_model_knows_nothing_but_its_errors():
    assert _imports_of("scormbuild.model") <= {"scormbuild.errors"}


def test_content_and_kinds_do_not_reach_up_the_pipeline():
    assert not _hits(_imports_of("scormbuild.content"), CONSUMERS)
    assert not _hits(_imports_of("scormbuild.kinds"), CONSUMERS + ["scormbuild.content.loader",
                                                                   "scormbuild.content.settings"])


def test_only_the_cli_imports_the_commands_and_nothing_imports_the_cli():
    graph = import_graph()
    for name, targets in graph.items():
        assert name == "scormbuild.__main__" or "scormbuild.cli" not in targets, name
        if not (name.startswith("scormbuild.commands") or name in ("scormbuild.cli", "scormbuild.__main__")):
            assert not _hits(targets, ["scormbuild.commands"]), name

"""The rooms: casework does not import cards (cards sits above it), no module grows past ~400 lines without
saying why at its top, no app imports another app's private module, and production makes cards
through the issuer the cards app registers."""

import ast
from pathlib import Path

import sscard

ROOT = Path(sscard.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                names.add(f"{base}.{node.module}" if node.module else base)
            else:
                names.add(node.module or "")
    return names


def _imported_names(path: Path) -> set[str]:
    """`module.name` for every `from sscard.x import name` (absolute imports: another app is never relative)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {f"{node.module}.{alias.name}" for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and not node.level and node.module for alias in node.names}


def _modules(app: str):
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def test_casework_imports_nothing_of_cards():
    offenders = {str(p.relative_to(ROOT)): sorted(n for n in _imports(p) if n.startswith("sscard.cards"))
                 for p in _modules("casework")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_app_imports_another_apps_private_module():
    private = {}
    for app in sorted(p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
        for path in _modules(app):
            names = sorted(n for n in _imports(path) | _imported_names(path) if n.startswith("sscard.")
                           and "._" in n and not n.startswith(f"sscard.{app}."))
            if names:
                private[str(path.relative_to(ROOT))] = names
    assert private == {}


def test_cards_reaches_casework_only_through_its_public_modules():
    private = {str(p.relative_to(ROOT)): sorted(n for n in _imports(p)
                                                if n.startswith("sscard.casework") and "._" in n)
               for p in _modules("cards")}
    assert {k: v for k, v in private.items() if v} == {}


def test_no_module_is_over_400_lines_without_a_reason_at_its_top():
    too_long = []
    for app in sorted(p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
        for path in _modules(app):
            text = path.read_text(encoding="utf-8")
            if text.count("\n") > 400 and "Over ~400 lines because" not in text[:2000]:
                too_long.append(str(path.relative_to(ROOT)))
    assert too_long == []


def test_production_makes_cards_through_the_issuer_the_cards_app_registers():
    from sscard.cards import services as card_services
    from sscard.casework.production.services import card_issuer

    assert card_issuer() is card_services


def test_the_case_page_serves_the_delivery_actions_of_the_cards_app():
    from sscard.casework.workbench import CASE_ACTIONS

    assert set(CASE_ACTIONS) == {"tracking", "ready", "hand_over"}

"""Every message in the code has its Vietnamese, and the compiled catalog is current."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "i18n.py"


def _tool():
    spec = importlib.util.spec_from_file_location("i18n_tool", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_has_a_vietnamese_translation():
    tool = _tool()
    assert tool.extract(), "no messages found: the extractor is broken"
    assert tool.missing() == []


def test_the_compiled_catalog_matches_the_po_file():
    tool = _tool()
    assert tool.MO.read_bytes() == tool.compile_mo(tool.read_po())


def test_the_compiled_catalog_is_read_by_gettext():
    import gettext

    from thidua_cli.i18n import _, read_catalog, set_language

    tool = _tool()
    with tool.MO.open("rb") as catalog:
        stdlib = gettext.GNUTranslations(catalog)
    ours = read_catalog(tool.MO)
    assert len(ours) > 500
    assert ours == {k: v for k, v in stdlib._catalog.items() if k}
    assert read_catalog(tool.MO.with_name("missing.mo")) == {}

    set_language("vi")
    assert _("unit") == "đơn vị"
    set_language("en")
    assert _("unit") == "unit"
    set_language("vi")

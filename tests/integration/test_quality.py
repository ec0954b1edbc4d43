"""What quality_scale.yaml and the style guide claim, checked against the code."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
import re

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heat_pump_care import PLATFORMS

PACKAGE = Path(__file__).parents[2] / "custom_components" / "heat_pump_care"
EN = json.loads((PACKAGE / "translations" / "en.json").read_text(encoding="utf-8"))
ICONS = json.loads((PACKAGE / "icons.json").read_text(encoding="utf-8"))
SOURCES = {path.name: path.read_text(encoding="utf-8") for path in PACKAGE.glob("*.py")}


def test_every_platform_sets_parallel_updates() -> None:
    """Each platform module declares how many updates may run at once."""
    for platform in PLATFORMS:
        module = importlib.import_module(f"custom_components.heat_pump_care.{platform}")
        assert isinstance(module.PARALLEL_UPDATES, int), platform


def test_manifest_for_hacs() -> None:
    """The manifest has every key HACS and Home Assistant look for, and no requirements."""
    manifest = json.loads((PACKAGE / "manifest.json").read_text(encoding="utf-8"))
    for key in (
        "domain",
        "name",
        "version",
        "codeowners",
        "documentation",
        "issue_tracker",
        "config_flow",
        "integration_type",
        "iot_class",
    ):
        assert manifest.get(key) not in (None, ""), key
    assert manifest["requirements"] == []
    assert (PACKAGE / "brand" / "icon.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_exception_translations_exist() -> None:
    """Every translation_key raised to Home Assistant has a message."""
    keys = set()
    for source in SOURCES.values():
        keys |= set(
            re.findall(
                r'translation_domain=DOMAIN,\s*translation_key="([a-z_]+)"', source
            )
        )
    assert keys
    assert keys <= set(EN["exceptions"]), keys - set(EN["exceptions"])


def test_flow_errors_and_aborts_translated() -> None:
    """Every error and abort reason the config flow can produce is translated."""
    source = SOURCES["config_flow.py"]
    errors = set(re.findall(r'(?:"base"|CONF_\w+): "([a-z_]+)"', source))
    aborts = set(re.findall(r'reason="([a-z_]+)"', source))
    aborts |= {"already_configured", "reconfigure_successful", "reauth_successful"}
    assert errors == set(EN["config"]["error"])
    assert aborts <= set(EN["config"]["abort"]), aborts - set(EN["config"]["abort"])


def test_icons_match_translations() -> None:
    """icons.json only names entities that exist in the translations."""
    for platform, entities in ICONS["entity"].items():
        assert set(entities) <= set(EN["entity"][platform]), platform


async def test_every_entity_translated(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    init_integration: MockConfigEntry,
) -> None:
    """Every entity has a translation key with a name; none has a hard-coded name or icon."""
    entries = er.async_entries_for_config_entry(
        entity_registry, init_integration.entry_id
    )
    assert entries
    for entry in entries:
        assert entry.translation_key, entry.entity_id
        assert entry.original_icon is None, entry.entity_id
        assert EN["entity"][entry.domain][entry.translation_key]["name"]

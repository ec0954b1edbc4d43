"""Repair issues for faults an owner can fix, with a flow that walks the repair steps.

Only faults the knowledge base marks as safe for the owner get an issue (Home Assistant shows
only issues the user can act on); technician-only faults are on the technician sensor instead.
"""

from __future__ import annotations

import re
from typing import cast

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResult
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.loader import async_get_integration
import voluptuous as vol

from .const import DOMAIN
from .coordinator import HeatPumpCareConfigEntry, HeatPumpCareCoordinator
from .fault_actions import acknowledge_fault, async_reset_faults
from .faults import DecodedFault
from .markup import escape_markdown

DATA_ENTRY_ID = "entry_id"
DATA_CODE = "code"


def _issue_id(entry_id: str, code: str) -> str:
    return f"fault_{entry_id}_{code}"


def _owner_can_fix(item: DecodedFault) -> bool:
    return item.info.found and not item.info.technician_required


def glossary_url(documentation: str, item: DecodedFault) -> str:
    """Link to the code's entry in the brand's glossary page (GitHub's heading anchor)."""
    heading = f"{item.code}: {item.info.title}".lower()
    anchor = re.sub(r"[^\w\- ]", "", heading).replace(" ", "-")
    return f"{documentation}/blob/main/docs/glossary/{item.info.brand}.md#{anchor}"


async def async_setup_fault_issues(
    hass: HomeAssistant, entry: HeatPumpCareConfigEntry
) -> None:
    """Keep one repair issue per active, owner-fixable, unacknowledged fault."""
    coordinator = entry.runtime_data
    documentation = (await async_get_integration(hass, DOMAIN)).documentation or ""
    shown: set[str] = set()

    @callback
    def _sync() -> None:
        history = coordinator.history.history
        wanted = {
            item.code: item
            for item in coordinator.data.faults
            if _owner_can_fix(item) and not history.is_acknowledged(item.code)
        }
        for code in shown - wanted.keys():
            ir.async_delete_issue(hass, DOMAIN, _issue_id(entry.entry_id, code))
        registry = ir.async_get(hass)
        for code, item in wanted.items():
            # Also when shown before but gone: a finished fix flow deletes its issue even
            # when the fault survived the reset, and the owner must still see it.
            if code not in shown or not registry.async_get_issue(
                DOMAIN, _issue_id(entry.entry_id, code)
            ):
                _create_issue(coordinator, item, documentation)
        shown.clear()
        shown.update(wanted)

    @callback
    def _remove_all() -> None:
        # Issues are not persistent; an unloaded entry must not leave any behind.
        for code in shown:
            ir.async_delete_issue(hass, DOMAIN, _issue_id(entry.entry_id, code))

    _sync()
    entry.async_on_unload(coordinator.async_add_listener(_sync))
    entry.async_on_unload(_remove_all)


def _create_issue(
    coordinator: HeatPumpCareCoordinator, item: DecodedFault, documentation: str
) -> None:
    entry = coordinator.config_entry
    ir.async_create_issue(
        coordinator.hass,
        DOMAIN,
        _issue_id(entry.entry_id, item.code),
        is_fixable=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key="fault",
        translation_placeholders={
            # The device's name comes from the gateway: never trusted as markup.
            "device": escape_markdown(
                coordinator.data.snapshot.device.name or entry.title
            ),
            "code": item.code,
            "title": item.info.title,
            "meaning": item.info.meaning,
            "steps": "\n".join(
                f"{number}. {step.text}"
                for number, step in enumerate(item.info.steps, start=1)
            ),
            "glossary": glossary_url(documentation, item),
        },
        data={DATA_ENTRY_ID: entry.entry_id, DATA_CODE: item.code},
    )


class FaultRepairFlow(RepairsFlow):
    """Walk the repair steps one by one (safety first), then reset or acknowledge."""

    def __init__(self, entry_id: str, code: str) -> None:
        """Remember which fault of which heat pump this flow fixes."""
        self._entry_id = entry_id
        self._code = code
        self._step = 0

    def _fault(self) -> tuple[HeatPumpCareCoordinator, DecodedFault] | None:
        entry: HeatPumpCareConfigEntry | None = (
            self.hass.config_entries.async_get_entry(self._entry_id)
        )
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            return None
        coordinator = entry.runtime_data
        for item in coordinator.data.faults:
            if item.code == self._code:
                return coordinator, item
        return None

    async def async_step_init(
        self, user_input: dict[str, str] | None = None
    ) -> FlowResult:
        """Start with the first repair step (the input here is the issue, not a form)."""
        return await self.async_step_step()

    async def async_step_step(
        self, user_input: dict[str, str] | None = None
    ) -> FlowResult:
        """Show each step in turn; the knowledge base puts the safety step first."""
        if (found := self._fault()) is None:
            return self.async_abort(reason="fault_gone")
        coordinator, item = found
        steps = item.info.steps
        if user_input is not None:
            self._step += 1
        if self._step < len(steps):
            step = steps[self._step]
            return self.async_show_form(
                step_id="step",
                data_schema=vol.Schema({}),
                description_placeholders={
                    "code": item.code,
                    "title": item.info.title,
                    "number": str(self._step + 1),
                    "total": str(len(steps)),
                    "section": step.section_title,
                    "text": step.text,
                },
            )
        if coordinator.protocol.supports_reset:
            return await self.async_step_reset()
        return await self.async_step_acknowledge()

    async def async_step_reset(
        self, user_input: dict[str, str] | None = None
    ) -> FlowResult:
        """Reset the fault on the heat pump once the owner has done the steps."""
        if (found := self._fault()) is None:
            return self.async_abort(reason="fault_gone")
        coordinator, item = found
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                await async_reset_faults(coordinator)
            except HomeAssistantError:
                errors["base"] = "reset_failed"
            else:
                return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="reset",
            data_schema=vol.Schema({}),
            description_placeholders={"code": item.code},
            errors=errors,
        )

    async def async_step_acknowledge(
        self, user_input: dict[str, str] | None = None
    ) -> FlowResult:
        """Acknowledge the fault where the gateway cannot reset it."""
        if (found := self._fault()) is None:
            return self.async_abort(reason="fault_gone")
        coordinator, item = found
        if user_input is not None:
            acknowledge_fault(coordinator, item.code)
            return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="acknowledge",
            data_schema=vol.Schema({}),
            description_placeholders={"code": item.code},
        )


async def async_create_fix_flow(
    hass: HomeAssistant,
    issue_id: str,
    data: dict[str, str | int | float | None] | None,
) -> RepairsFlow:
    """Create the flow for a fault issue."""
    # Every fault issue is created with its data.
    issue = cast("dict[str, str]", data)
    return FaultRepairFlow(issue[DATA_ENTRY_ID], issue[DATA_CODE])

"""Slack's Block Kit limits, checked by the fake Web API as Slack checks them."""

from typing import Any

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100


def problems(blocks: list[dict[str, Any]], *, limit: int) -> list[str]:
    """What Slack would reject in ``blocks`` (empty when they are valid)."""
    found = [f"{len(blocks)} blocks, over {limit}"] if len(blocks) > limit else []
    for index, block in enumerate(blocks):
        found += [f"block {index}: {problem}" for problem in _block(block)]
    return found


def view_problems(view: dict[str, Any]) -> list[str]:
    """What Slack would reject in a modal or home view."""
    found = problems(view.get("blocks", []), limit=VIEW_BLOCKS)
    for part in ("title", "submit", "close"):
        text = (view.get(part) or {}).get("text")
        if text is not None and not 0 < len(text) <= 24:
            found.append(f"{part} of {len(text)} characters")
    return found


def _block(block: dict[str, Any]) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        return _text(block.get("text"), 150, "header")
    if kind == "section":
        found = []
        if "text" not in block and "fields" not in block:
            found.append("section with neither text nor fields")
        if "text" in block:
            found += _text(block["text"], 3000, "section")
        fields = block.get("fields", [])
        if len(fields) > 10:
            found.append(f"{len(fields)} fields")
        for field in fields:
            found += _text(field, 2000, "field")
        return found
    if kind == "actions":
        elements = block.get("elements", [])
        found = [f"{len(elements)} elements"] if len(elements) > 25 else []
        for element in elements:
            found += _text(element.get("text"), 75, "button")
            if len(element.get("value", "")) > 2000:
                found.append("button value over 2000")
        return found
    if kind == "input":
        return _text(block.get("label"), 2000, "label") + _element(block.get("element", {}))
    return [f"unknown block type {kind}"]


def _element(element: dict[str, Any]) -> list[str]:
    found = []
    if element.get("type") == "plain_text_input":
        limit = element.get("max_length", 3000)
        if limit > 3000:
            found.append("max_length over 3000")
        if len(element.get("initial_value", "")) > limit:
            found.append("initial_value longer than max_length")
    options = element.get("options", [])
    if len(options) > 100:
        found.append(f"{len(options)} options")
    initial = element.get("initial_option")
    for option in [*options, *([initial] if initial else [])]:
        found += _text(option.get("text"), 75, "option")
        if len(option.get("value", "")) > 150:
            found.append("option value over 150")
    return found


def _text(text: Any, limit: int, what: str) -> list[str]:
    value = text.get("text", "") if isinstance(text, dict) else ""
    return [] if 0 < len(value) <= limit else [f"{what} text of {len(value)} characters"]

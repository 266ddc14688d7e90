"""Figures data placed for a layout: a layout without 公开10表 takes that table's figures from 表外数据
(narrate.model.T10_STAND_INS), a layout with it from ``tables.t10``.  Tests that render one unit under
every profile move the figures to where the chosen layout reads them (as a finance officer would)."""

from __future__ import annotations

import copy
from typing import Any

from narrate.model import T10, T10_STAND_INS
from narrate.rendering import load_profile


def placed(data: dict[str, Any], profile: str) -> dict[str, Any]:
    """``data`` (plain figures data) with 公开10表's figures where ``profile`` reads them."""
    data = copy.deepcopy(data)
    tables = data.setdefault("tables", {})
    if "t10" in load_profile(profile).style.absent_tables:
        t10 = T10.model_validate(tables.pop("t10", None) or {})  # a blank cell is 0
        admin = t10.admin_operating_cost
        _put(data, "admin_operating_cost.amount", admin.administrative + admin.civil_servant_managed)
        for part in ("total", "goods", "works", "services"):
            _put(data, f"procurement.{part}", getattr(t10.procurement, part))
        _put(data, "assets.vehicles", t10.vehicles.model_dump())
        _put(data, "assets.equipment_over_1m", t10.equipment_over_1m)
        return data
    t10 = tables.setdefault("t10", {})
    for field, place in T10_STAND_INS.items():
        value = _pop(data, field)
        if value is not None:
            _put(t10, "admin_operating_cost.administrative" if field == "admin_operating_cost.amount" else place, value)
    return data


def _pop(node: dict[str, Any], dotted: str) -> Any:
    *parents, last = dotted.split(".")
    for key in parents:
        node = node.get(key) or {}
    return node.pop(last, None)


def _put(node: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value

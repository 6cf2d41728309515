"""Every button's data: one prefix per kind, every field bounded (forged data is refused whole)."""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal, get_args, get_origin

import annotated_types
from aiogram.filters.callback_data import CallbackData

import ui.callbacks  # noqa: F401  (every CallbackData class is declared there)


def kinds() -> list[type[CallbackData]]:
    found: list[type[CallbackData]] = []
    pending = list(CallbackData.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending += cls.__subclasses__()
    return found


def test_all_button_data_is_declared_in_one_module() -> None:
    assert {cls.__module__ for cls in kinds()} == {"ui.callbacks"}


def test_every_prefix_is_unique() -> None:
    prefixes = [cls.__prefix__ for cls in kinds()]
    assert len(prefixes) == len(set(prefixes)), sorted(prefixes)


def _bounded(annotation: Any, metadata: list[Any]) -> bool:
    if annotation is bool or get_origin(annotation) is Literal:
        return True
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return True
    limits = {type(m) for m in metadata}
    if annotation is int:
        return bool(limits & {annotated_types.Le, annotated_types.Lt}) and bool(
            limits & {annotated_types.Ge, annotated_types.Gt}
        )
    if annotation is str:
        return annotated_types.MaxLen in limits
    return (
        all(_bounded(arg, metadata) for arg in get_args(annotation))
        if get_args(annotation)
        else False
    )


def test_every_field_is_range_checked() -> None:
    loose = [
        f"{cls.__name__}.{name}: {field.annotation}"
        for cls in kinds()
        for name, field in cls.model_fields.items()
        if not _bounded(field.annotation, field.metadata)
    ]
    assert not loose, loose

"""Pure deal rules: the shape of a pipeline's stages and which moves a deal may make."""

from __future__ import annotations

from collections.abc import Sequence

from patron.kernel.errors import FieldError, ValidationFailed
from patron.kernel.messages import Message

DEFAULT_PIPELINE = "Sales"
DEFAULT_STAGES: list[tuple[str, str]] = [
    ("new", "open"),
    ("qualified", "open"),
    ("proposal", "open"),
    ("negotiation", "open"),
    ("won", "won"),
    ("lost", "lost"),
]


def check_stages(stages: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Stage names trimmed and distinct; open stages first, then exactly one won and one lost stage."""
    errors: list[FieldError] = []
    seen: set[str] = set()
    result: list[tuple[str, str]] = []
    for i, (raw, kind) in enumerate(stages):
        name = " ".join(raw.split())
        if not name:
            errors.append(FieldError(f"stages[{i}].name", Message("field.blank")))
        elif name.lower() in seen:
            errors.append(FieldError(f"stages[{i}].name", Message("pipeline.stage_name_repeated")))
        seen.add(name.lower())
        result.append((name, kind))
    kinds = [kind for _, kind in result]
    if kinds.count("won") != 1 or kinds.count("lost") != 1 or "open" not in kinds:
        errors.append(FieldError("stages", Message("pipeline.stages_shape")))
    elif any(kind == "open" for kind in kinds[kinds.index("won") :] + kinds[kinds.index("lost") :]):
        errors.append(FieldError("stages", Message("pipeline.stages_order")))
    if errors:
        raise ValidationFailed(errors)
    return result

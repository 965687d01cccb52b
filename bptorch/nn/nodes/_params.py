"""Creating and assigning the weights of nodes."""

from __future__ import annotations

from typing import Any, Sequence

import torch

from bptorch.initialize import init_param
from bptorch.math.variables import TrainVar, Variable, as_tensor

__all__ = ['make_param', 'assign', 'value_of', 'cat_last']


def make_param(initializer: Any, shape: Sequence[int], trainable: bool,
               allow_none: bool = True) -> Any:
    """The weight of ``shape`` from ``initializer``: a ``bm.TrainVar`` if ``trainable``,
    else a tensor (None for a None initializer, where allowed)."""
    shape = tuple(shape)
    value = init_param(initializer, shape, allow_none=allow_none)
    if value is None:
        return None
    value = as_tensor(value)
    if not (value.is_floating_point() or value.is_complex()):
        from bptorch.math import settings
        value = value.to(settings.float_())
    if tuple(value.shape) != shape:
        value = value.expand(shape).clone()
    return TrainVar(value) if trainable else value


def value_of(x: Any) -> Any:
    """The tensor of a Variable (the current one, also inside transforms); others unchanged."""
    return x.value if isinstance(x, Variable) else x


def assign(node: Any, attr: str, value: torch.Tensor) -> None:
    """Set the weight ``attr`` of ``node``: through its Variable, or as a new tensor."""
    old = getattr(node, attr)
    if isinstance(old, Variable):
        old.value = value.to(old.dtype)
    else:
        setattr(node, attr, value if old is None else value.to(old.dtype))


def cat_last(data: Any) -> torch.Tensor:
    """One tensor from a node's data: a tensor as it is, a sequence joined on the last axis."""
    if isinstance(data, (tuple, list)):
        parts = [value_of(d) for d in data]
        return parts[0] if len(parts) == 1 else torch.cat(parts, dim=-1)
    return value_of(data)

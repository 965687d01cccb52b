"""``bp.base``: the Base object, naming and state files."""

from bptorch.base.base import Base
from bptorch.base.naming import clear_name_cache
from bptorch.math.collectors import Collector, TensorCollector

__all__ = ['Base', 'Collector', 'TensorCollector', 'clear_name_cache']

"""Pure statistical methods: one function per method, no I/O."""

from jamlik.stats.estimate import Estimate, normalise_confidence, z_value

__all__ = ["Estimate", "normalise_confidence", "z_value"]

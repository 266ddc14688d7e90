"""Hypothesis strategies for random, internally consistent units.

The unit builder lives in :mod:`narrate.synthetic` (shared with the seeded
generator used by the benchmarks); here its choices come from Hypothesis, so
failures shrink to a minimal unit.
"""

from __future__ import annotations

from typing import Any, Sequence

from hypothesis import strategies as st

from narrate.synthetic import build_unit

amounts_in_cents = st.one_of(
    st.just(0),
    st.integers(min_value=1, max_value=99),                # tiny: under 1 万元
    st.integers(min_value=100, max_value=10_000_000),     # ordinary
    st.integers(min_value=10_000_000, max_value=5_000_000_000),  # large
)


class HypothesisPicker:
    def __init__(self, draw: Any) -> None:
        self.draw = draw

    def integer(self, low: int, high: int) -> int:
        return self.draw(st.integers(low, high))

    def choice(self, options: Sequence[Any]) -> Any:
        return self.draw(st.sampled_from(list(options)))

    def subset(self, options: Sequence[Any], low: int, high: int) -> list[Any]:
        return self.draw(st.lists(st.sampled_from(list(options)), min_size=low, max_size=high, unique=True))

    def cents(self) -> int:
        return self.draw(amounts_in_cents)


@st.composite
def units(draw) -> dict[str, Any]:
    """A consistent unit's figures as plain data (Decimal amounts, int counts)."""
    return build_unit(HypothesisPicker(draw))

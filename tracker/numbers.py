"""Numbers written for people in the reader's language ("42%", "42 %" in French and German)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel import numbers
from flask_babel import format_decimal, get_locale


def percent(value: float | None) -> str:
    """A share out of 100 (a progress of 42) in the language's own way; at most one decimal,
    none for a whole number. Empty for none."""
    if value is None:
        return ""
    return _percent(value, get_locale())


@lru_cache(maxsize=4096)
def _percent(value: float, locale: object) -> str:
    """Written once for the process: a table writes the same shares on every request."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        # A whole share (most are: progress is kept in whole percent) in the language's own
        # pattern as it stands, which Babel writes several times faster than unquantised.
        return numbers.format_percent(Decimal(int(rounded)) / 100, locale=locale)
    share = Decimal(str(rounded)) / 100  # exact: 33.3 stays 33.3, not 33.2999…
    return numbers.format_percent(share, locale=locale, decimal_quantization=False)


def decimal(value: float | None, digits: int = 1) -> str:
    """A number with at most `digits` decimals (an average level of 2.5 is "2,5" in German)."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0." + "#" * digits if digits else "#,##0")

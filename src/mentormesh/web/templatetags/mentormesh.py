from django import template

register = template.Library()


@register.filter
def money(minor_units: int | None, currency: str) -> str:
    """12550, "EUR" -> "125.50 EUR" (amounts are kept in integer minor units)."""
    if minor_units is None:
        return ""
    return f"{minor_units // 100:,}.{minor_units % 100:02d} {currency}"

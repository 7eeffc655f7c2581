"""Drug prices: typical/minimum/maximum, price per pure gram, and the retail-to-wholesale ratio.

Prices are in one currency (converting local currency to USD and deflating is the caller's step). Intervals
take the extremes: the cheapest pure gram is the minimum price at the maximum purity.
"""

import statistics
from collections.abc import Sequence

from observatory.errors import BadInput
from observatory.stats.figure import Figure, Method
from observatory.stats.inputs import computed, positive
from observatory.stats.ranges import Range

GRAMS_PER_KILOGRAM = 1000


def price_range(observations: Sequence[float]) -> Range:
    """Typical (median), minimum and maximum of price observations."""
    prices = [positive(f"price {i}", price) for i, price in enumerate(observations)]
    if not prices:
        raise BadInput("no price observations given", [{"field": "observations"}])
    return Range(statistics.median(prices), min(prices), max(prices))


def pure_gram_price(price_per_gram: Range, purity: Range, *, currency: str) -> Figure:
    """Price per pure gram = price per gram ÷ purity (a proportion in (0, 1])."""
    price_per_gram.at_least("price per gram", 0, strict=True)
    purity.at_least("purity", 0, strict=True)
    if purity.high > 1:
        raise BadInput(
            f"purity is a proportion in (0, 1], not up to {purity.high} (divide a percentage by 100)",
            [{"field": "purity", "value": purity.high, "accepted": "0 < purity ≤ 1"}],
        )
    method = Method(
        "prices/pure-gram",
        "price per gram ÷ purity; low = minimum price ÷ maximum purity, high = maximum price ÷ minimum purity",
    )
    return Figure(
        value=computed("pure price", price_per_gram.best / purity.best),
        low=computed("pure price low", price_per_gram.low / purity.high),
        high=computed("pure price high", price_per_gram.high / purity.low),
        unit=f"{currency} per pure gram",
        method=method,
    )


def retail_wholesale_ratio(retail_per_gram: Range, wholesale_per_kilogram: Range) -> Figure:
    """Retail price of a kilogram (bought by the gram) ÷ wholesale price of a kilogram, in the same currency."""
    retail_per_gram.at_least("retail price per gram", 0, strict=True)
    wholesale_per_kilogram.at_least("wholesale price per kilogram", 0, strict=True)
    retail = Range(*(GRAMS_PER_KILOGRAM * v for v in (retail_per_gram.best, retail_per_gram.low, retail_per_gram.high)))
    method = Method(
        "prices/retail-wholesale-ratio",
        "retail price per kg (1,000 × per gram) ÷ wholesale price per kg; extremes give low and high",
    )
    return Figure(
        value=computed("ratio", retail.best / wholesale_per_kilogram.best),
        low=computed("ratio low", retail.low / wholesale_per_kilogram.high),
        high=computed("ratio high", retail.high / wholesale_per_kilogram.low),
        unit="ratio",
        method=method,
    )

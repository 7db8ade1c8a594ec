"""Literals written as the store keeps them, so the dumps, the store and the endpoint agree term for term.

Oxigraph stores a number by its value and writes it back in its canonical form: an xsd:decimal
without trailing zeros ("0.8150" comes back as "0.815", "1.0" as "1"), and any integer type as
xsd:integer. A literal in another form would be one term in migkg.nq and another in the store.
"""

from decimal import Decimal

from rdflib import Literal
from rdflib.namespace import XSD


def decimal_literal(lexical: str) -> Literal:
    """The xsd:decimal ``lexical`` (a numeral such as "0.8150" or "-15.40669") in canonical form."""
    number = Decimal(lexical)
    if number == 0:
        number = Decimal(0)  # "-0.0000" is the value 0
    return Literal(format(number.normalize(), "f"), datatype=XSD.decimal)

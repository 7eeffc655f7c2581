"""Country reporting: reading, validating and recording what countries and agencies submit."""

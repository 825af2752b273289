"""compcalc: sales compensation for land-and-expand SaaS teams, exact to the cent."""
__version__ = "0.1.0"

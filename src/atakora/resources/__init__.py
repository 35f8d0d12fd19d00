"""Typed Azure resource constructs, one module per resource provider namespace."""

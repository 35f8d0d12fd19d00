"""Tests of the Function App package generator."""

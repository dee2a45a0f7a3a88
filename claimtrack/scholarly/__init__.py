"""Scholarly identifiers and, later, the clients for Crossref and NCBI. No views, no models."""

"""Downloading pages and caching them."""

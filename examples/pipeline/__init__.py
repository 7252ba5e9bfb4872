"""A blob and text processing pipeline."""

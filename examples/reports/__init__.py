"""Report generation: text statistics and rendering."""

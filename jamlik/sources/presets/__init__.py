"""Shipped source mappings (TOML) for `jamlik sync preset`; see jamlik.sources.catalogue."""

"""Output: one registry of formats, the cells every renderer shares, and the renderers."""

"""The domain: the knowledge base model, its schema, loading, validation, cache and check."""

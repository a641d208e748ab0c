"""Pages of investigations: one module per concern."""

"""JSON API of investigations: one module per concern."""

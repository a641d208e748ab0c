"""The permission matrix's table and the helpers it is written with (`tests/test_permission_matrix.py`)."""

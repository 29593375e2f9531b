"""Sincere rewordings: details found in the draft, slot filling, casing, retrieval, ranking and composition."""

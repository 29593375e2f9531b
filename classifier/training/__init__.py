"""Beside the flow: the corpus and its validator, background text, active learning, training and the model file."""

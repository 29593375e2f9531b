"""Detection: clause features, the fitted model's fast path, cue words, the detector and the safety check."""

"""The migkg build pipeline: sources → extract → link → reason → validate → publish."""

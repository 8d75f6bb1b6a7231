"""The event-centric odds capture engine: every listing book asked at the same moment per SportRadar id."""

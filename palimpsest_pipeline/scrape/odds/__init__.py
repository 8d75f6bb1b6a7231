"""The event-centric odds capture engine: every listing book asked at the same moment per SportRadar id.

``engine`` runs a capture cycle; ``model`` is what it takes and returns and its pure rules; ``http_hooks``
plugs it into the HTTP client; ``parsing`` parses payloads in worker processes; ``completion``, ``stream``,
``breaker``, ``stats`` and ``gc_tuning`` are its parts.
"""

"""The event-centric odds capture engine: every listing book asked at the same moment per SportRadar id.

- ``engine``: the capture cycle (targets, per-book slots, simultaneous sends, results);
- ``wire``: one attempt on the wire (send instants, retries, the attempt context);
- ``breaker``: a book that keeps failing is left alone for the rest of the cycle;
- ``parsing``: payloads parsed off the event loop, in a process pool, into compact columns;
- ``model``: what a capture is and returns; ``stream``: batches stored as they complete;
- ``options``: the engine's tuning knobs.
"""

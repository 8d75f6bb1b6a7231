"""The live watcher: a run every five minutes that polls the books' live lists every 30 seconds."""

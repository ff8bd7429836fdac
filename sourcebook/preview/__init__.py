"""The live preview, `python build.py serve`: the build's engine in memory, a watcher, and a
server that reloads the browser (server, watcher)."""

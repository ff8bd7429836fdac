"""The render stage: the research → the site's pages and data files.

routes (in the package above) names every URL; kinds declares what a page kind and an export
are; pages/ and exports/ hold one module each; catalogue registers them; reader is the tracked
access through which they read the research; render makes what is stale.
"""

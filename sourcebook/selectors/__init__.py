"""Text selectors: normalising text, matching and describing quotes (W3C TextQuoteSelector and
TextPositionSelector), finding names, and URL text fragments. Pure functions of text, shared
by anchoring, the site, the exports and the authoring tools."""

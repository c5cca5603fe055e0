"""The HTML pages: home, entities, lists, timeline, map, search, and what crawlers ask for."""

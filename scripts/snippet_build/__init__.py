"""Run the site's snippets, capture what they print and draw, and cache the results."""
